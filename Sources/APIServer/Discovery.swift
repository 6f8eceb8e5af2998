import Model

/// The discovery documents kubectl reads (KUBE-API.md §3): `/api`, `/apis`, and one
/// APIResourceList per group-version, plus `/version`.
enum Discovery {
    static let allVerbs: [JSONValue] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// Group-versions served, in discovery order; a group served in several versions lists its
    /// preferred one first (autoscaling: v2, then v1). policy/v1 holds PodDisruptionBudgets and
    /// names the group of the pods/eviction subresource `kubectl drain` looks for.
    static let groups: [(group: String, version: String)] = [("batch", "v1"), ("apps", "v1"), ("policy", "v1"),
                                                                    ("autoscaling", "v2"), ("autoscaling", "v1"),
                                                                    ("scheduling.k8s.io", "v1"), ("scheduling.x-k8s.io", "v1alpha1"),
                                                                    ("coordination.k8s.io", "v1"), (Kueue.group, "v1beta1"),
                                                                    ("metrics.k8s.io", "v1beta1"),
                                                                    (PendingWorkloads.group, PendingWorkloads.version)]

    /// `GET /version`; minor "32" selects kubectl 1.32 through the dispatcher (KUBE-API.md §14).
    static func version(gitVersion: String) -> JSONValue {
        ["major": "1", "minor": "32", "gitVersion": .string("v1.32.0-drover+\(gitVersion)"), "gitCommit": "",
         "gitTreeState": "clean", "buildDate": "", "goVersion": "", "compiler": "swift", "platform": "linux/amd64"]
    }

    /// `GET /api`.
    static let coreVersions: JSONValue = [
        "kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": ""]],
    ]

    /// `GET /apis`.
    static var groupList: JSONValue {
        let items: [JSONValue] = groupNames.map { name in
            let versions: [JSONValue] = groups.filter { $0.group == name }.map { g in
                ["groupVersion": .string("\(g.group)/\(g.version)"), "version": .string(g.version)]
            }
            return ["name": .string(name), "versions": .array(versions), "preferredVersion": versions[0]]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(items)]
    }

    /// The served groups, each once, in discovery order.
    static var groupNames: [String] {
        var seen: Set<String> = []
        return groups.map(\.group).filter { seen.insert($0).inserted }
    }

    /// The APIResourceList for a group-version, or nil if it is not served.
    static func resourceList(group: String, version: String) -> JSONValue? {
        guard group.isEmpty ? version == "v1" : groups.contains(where: { $0.group == group && $0.version == version }) else { return nil }
        var resources: [JSONValue] = extraResources(group)
        for info in ResourceCatalog.served where info.group == group && info.version == version {
            resources.append(entry(info))
            for sub in info.subresources { resources.append(subresourceEntry(info, sub)) }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(resources)]
    }

    static func entry(_ info: ResourceInfo) -> JSONValue {
        var e: JSONValue = ["name": .string(info.plural), "singularName": .string(info.singular),
                            "namespaced": .bool(info.namespaced), "kind": .string(info.kind), "verbs": .array(allVerbs)]
        if !info.shortNames.isEmpty { e["shortNames"] = .array(info.shortNames.map { .string($0) }) }
        if !info.categories.isEmpty { e["categories"] = .array(info.categories.map { .string($0) }) }
        return e
    }

    static func subresourceEntry(_ info: ResourceInfo, _ sub: String) -> JSONValue {
        var e: JSONValue = ["name": .string("\(info.plural)/\(sub)"), "singularName": "", "namespaced": .bool(info.namespaced),
                            "kind": .string(info.kind)]
        switch sub {
        case "status": e["verbs"] = ["get", "patch", "update"]
        case "scale":
            e["kind"] = "Scale"; e["group"] = "autoscaling"; e["version"] = "v1"
            e["verbs"] = ["get", "patch", "update"]
        case "binding": e["kind"] = "Binding"; e["verbs"] = ["create"]
        case "log": e["verbs"] = ["get"]
        case "eviction":
            e["kind"] = "Eviction"; e["group"] = "policy"; e["version"] = "v1"
            e["verbs"] = ["create"]
        default: e["verbs"] = ["get"]
        }
        return e
    }
}
