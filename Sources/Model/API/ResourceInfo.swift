/// What the server knows about one REST resource: its group/version/kind, plural name, scope and
/// discovery attributes. The single catalogue every layer uses to spell resources the same way.
public struct ResourceInfo: Sendable, Hashable {
    /// API group; `""` for core.
    public var group: String
    /// API version: `v1`, or the version an add-on's API has upstream (`v1alpha1`).
    public var version: String
    /// Kind, e.g. `Job`.
    public var kind: String
    /// Plural resource name used in paths, e.g. `jobs`.
    public var plural: String
    /// Singular name, e.g. `job`.
    public var singular: String
    /// True for namespaced resources.
    public var namespaced: Bool
    /// Short names kubectl accepts (`po`, `deploy`).
    public var shortNames: [String]
    /// Categories, `["all"]` for the workload kinds.
    public var categories: [String]
    /// Subresources served, e.g. `["status", "scale"]`.
    public var subresources: [String]

    public init(group: String, version: String = "v1", kind: String, plural: String, singular: String,
                namespaced: Bool, shortNames: [String] = [], categories: [String] = [], subresources: [String] = []) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.singular = singular
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.subresources = subresources
    }

    /// `v1` or `batch/v1`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `JobList`.
    public var listKind: String { "\(kind)List" }
    /// The key under which the store keeps objects of this resource: `pods`, `jobs.batch`.
    public var storageName: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// Path prefix of the group-version: `/api/v1` or `/apis/batch/v1`.
    public var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }
}

/// The resources Drover serves.
public enum ResourceCatalog {
    public static let namespaces = ResourceInfo(group: "", kind: "Namespace", plural: "namespaces", singular: "namespace",
                                                namespaced: false, shortNames: ["ns"], subresources: ["status"])
    public static let nodes = ResourceInfo(group: "", kind: "Node", plural: "nodes", singular: "node",
                                           namespaced: false, shortNames: ["no"], subresources: ["status"])
    public static let pods = ResourceInfo(group: "", kind: "Pod", plural: "pods", singular: "pod", namespaced: true,
                                          shortNames: ["po"], categories: ["all"],
                                          subresources: ["status", "binding", "log", "eviction"])
    public static let events = ResourceInfo(group: "", kind: "Event", plural: "events", singular: "event",
                                            namespaced: true, shortNames: ["ev"])
    /// core/v1 Secrets: encrypted at rest when the server has a key (Store's `EncryptingStore`).
    public static let secrets = ResourceInfo(group: "", kind: "Secret", plural: "secrets", singular: "secret", namespaced: true)
    public static let configMaps = ResourceInfo(group: "", kind: "ConfigMap", plural: "configmaps", singular: "configmap",
                                                namespaced: true, shortNames: ["cm"])
    public static let jobs = ResourceInfo(group: "batch", kind: "Job", plural: "jobs", singular: "job", namespaced: true,
                                          categories: ["all"], subresources: ["status"])
    public static let cronJobs = ResourceInfo(group: "batch", kind: "CronJob", plural: "cronjobs", singular: "cronjob",
                                              namespaced: true, shortNames: ["cj"], categories: ["all"], subresources: ["status"])
    public static let deployments = ResourceInfo(group: "apps", kind: "Deployment", plural: "deployments", singular: "deployment",
                                                 namespaced: true, shortNames: ["deploy"], categories: ["all"],
                                                 subresources: ["status", "scale"])
    public static let replicaSets = ResourceInfo(group: "apps", kind: "ReplicaSet", plural: "replicasets", singular: "replicaset",
                                                 namespaced: true, shortNames: ["rs"], categories: ["all"],
                                                 subresources: ["status", "scale"])
    public static let daemonSets = ResourceInfo(group: "apps", kind: "DaemonSet", plural: "daemonsets", singular: "daemonset",
                                                namespaced: true, shortNames: ["ds"], categories: ["all"], subresources: ["status"])
    /// apps/v1 ControllerRevisions: a DaemonSet's template history (`kubectl rollout history|undo ds`).
    public static let controllerRevisions = ResourceInfo(group: "apps", kind: "ControllerRevision", plural: "controllerrevisions",
                                                         singular: "controllerrevision", namespaced: true)
    public static let priorityClasses = ResourceInfo(group: "scheduling.k8s.io", kind: "PriorityClass", plural: "priorityclasses",
                                                     singular: "priorityclass", namespaced: false, shortNames: ["pc"])
    /// coordination.k8s.io/v1 Leases: one per node in `kube-node-lease` is the agent's heartbeat.
    public static let leases = ResourceInfo(group: "coordination.k8s.io", kind: "Lease", plural: "leases", singular: "lease",
                                            namespaced: true)
    public static let podDisruptionBudgets = ResourceInfo(group: "policy", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets",
                                                          singular: "poddisruptionbudget", namespaced: true, shortNames: ["pdb"],
                                                          subresources: ["status"])
    /// The coscheduling plugin's PodGroup (scheduling.x-k8s.io/v1alpha1), Drover's gang.
    public static let podGroups = ResourceInfo(group: "scheduling.x-k8s.io", version: "v1alpha1", kind: "PodGroup", plural: "podgroups",
                                               singular: "podgroup", namespaced: true, shortNames: ["pg", "pgs"], subresources: ["status"])
    /// Kueue's API (kueue.x-k8s.io/v1beta1): quotas and queues for Jobs (see Model/Queueing).
    public static let resourceFlavors = ResourceInfo(group: Kueue.group, version: "v1beta1", kind: "ResourceFlavor",
                                                     plural: "resourceflavors", singular: "resourceflavor", namespaced: false,
                                                     shortNames: ["flavor", "flavors", "rf"])
    public static let clusterQueues = ResourceInfo(group: Kueue.group, version: "v1beta1", kind: "ClusterQueue", plural: "clusterqueues",
                                                   singular: "clusterqueue", namespaced: false, shortNames: ["cq"],
                                                   subresources: ["status"])
    public static let localQueues = ResourceInfo(group: Kueue.group, version: "v1beta1", kind: "LocalQueue", plural: "localqueues",
                                                 singular: "localqueue", namespaced: true, shortNames: ["queue", "queues", "lq"],
                                                 subresources: ["status"])
    public static let workloads = ResourceInfo(group: Kueue.group, version: "v1beta1", kind: "Workload", plural: "workloads",
                                               singular: "workload", namespaced: true, shortNames: ["wl"], subresources: ["status"])
    public static let workloadPriorityClasses = ResourceInfo(group: Kueue.group, version: "v1beta1", kind: "WorkloadPriorityClass",
                                                             plural: "workloadpriorityclasses", singular: "workloadpriorityclass",
                                                             namespaced: false)

    /// autoscaling/v2 HorizontalPodAutoscalers, the stored version (`kubectl get hpa`).
    public static let horizontalPodAutoscalers = ResourceInfo(group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler",
                                                              plural: "horizontalpodautoscalers", singular: "horizontalpodautoscaler",
                                                              namespaced: true, shortNames: ["hpa"], categories: ["all"],
                                                              subresources: ["status"])
    /// autoscaling/v1 HorizontalPodAutoscalers: served by converting to and from the stored v2
    /// objects (`HorizontalPodAutoscalerConversion`); `kubectl autoscale` writes this version.
    public static let horizontalPodAutoscalersV1 = ResourceInfo(group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler",
                                                                plural: "horizontalpodautoscalers", singular: "horizontalpodautoscaler",
                                                                namespaced: true, shortNames: ["hpa"], categories: ["all"],
                                                                subresources: ["status"])

    /// Every stored resource, in discovery order.
    public static let all: [ResourceInfo] = [namespaces, nodes, pods, events, secrets, configMaps, jobs, cronJobs, deployments, replicaSets, daemonSets,
                                             controllerRevisions,
                                             podDisruptionBudgets, priorityClasses, podGroups, leases, horizontalPodAutoscalers,
                                             resourceFlavors, clusterQueues, localQueues, workloads, workloadPriorityClasses]

    /// Versions served besides the stored one of their resource: the server converts each
    /// request to and from the stored version (the same `storageName`), as upstream does.
    public static let convertedVersions: [ResourceInfo] = [horizontalPodAutoscalersV1]

    /// Every served group-version-resource: the stored ones, then the converted ones.
    public static let served: [ResourceInfo] = all + convertedVersions

    /// The resource served at `group`/`version` under `plural`, if any.
    public static func lookup(group: String, version: String, plural: String) -> ResourceInfo? {
        served.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// The resource for a kind in an apiVersion (`batch/v1`, `Job`), if any.
    public static func lookup(apiVersion: String, kind: String) -> ResourceInfo? {
        served.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }

    /// The stored version of `resource` (itself when it is stored).
    public static func storageVersion(of resource: ResourceInfo) -> ResourceInfo {
        all.first { $0.storageName == resource.storageName } ?? resource
    }

    /// The resource a CLI user means by `name`: plural, singular, short name or kind, any case;
    /// `group` narrows `jobs.batch`-style names.
    public static func resolve(_ name: String) -> ResourceInfo? {
        let lower = name.lowercased()
        let parts = lower.split(separator: ".", maxSplits: 1).map(String.init)
        guard let base = parts.first, !base.isEmpty else { return nil }
        let group = parts.count > 1 ? parts[1] : nil
        return all.first { info in
            (group == nil || info.group == group)
                && (info.plural == base || info.singular == base || info.shortNames.contains(base) || info.kind.lowercased() == base)
        }
    }
}
