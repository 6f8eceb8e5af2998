import Model
import Scheduling

/// Where a DaemonSet's pods belong (upstream's NodeShouldRunDaemonPod and the daemon util), pure.
/// The node-affinity and taint rules are the scheduler's own (Scheduling's NodeAffinity and
/// tolerations), so the controller and the scheduler can never disagree about a node.
enum DaemonPlacement {
    /// Whether a daemon pod should be created on a node, and whether one already there may stay.
    struct Verdict: Equatable {
        var shouldRun: Bool
        var shouldContinueRunning: Bool
    }

    /// The tolerations every daemon pod gets (upstream's AddOrUpdateDaemonPodTolerations): it
    /// stays through not-ready and unreachable (no tolerationSeconds) and is placed despite
    /// pressure and cordoning; hostNetwork pods also despite network-unavailable.
    static func defaultTolerations(hostNetwork: Bool) -> [JSONValue] {
        var tolerations: [JSONValue] = [
            toleration("node.kubernetes.io/not-ready", "NoExecute"),
            toleration("node.kubernetes.io/unreachable", "NoExecute"),
            toleration("node.kubernetes.io/disk-pressure", "NoSchedule"),
            toleration("node.kubernetes.io/memory-pressure", "NoSchedule"),
            toleration("node.kubernetes.io/pid-pressure", "NoSchedule"),
            toleration("node.kubernetes.io/unschedulable", "NoSchedule"),
        ]
        if hostNetwork { tolerations.append(toleration("node.kubernetes.io/network-unavailable", "NoSchedule")) }
        return tolerations
    }

    private static func toleration(_ key: String, _ effect: String) -> JSONValue {
        ["key": .string(key), "operator": "Exists", "effect": .string(effect)]
    }

    /// `template` with the daemon tolerations merged in (one with the same key, operator and
    /// effect is replaced, as upstream's AddOrUpdateTolerationInPodSpec).
    static func withDaemonTolerations(_ template: JSONValue) -> JSONValue {
        var copy = template
        let hostNetwork = template["spec"]?["hostNetwork"]?.bool ?? false
        var tolerations = template["spec"]?["tolerations"]?.array ?? []
        for added in defaultTolerations(hostNetwork: hostNetwork) {
            let same = { (t: JSONValue) in
                t["key"] == added["key"] && (t["operator"]?.string ?? "Equal") == added["operator"]?.string && t["effect"] == added["effect"]
            }
            if let index = tolerations.firstIndex(where: same) { tolerations[index] = added } else { tolerations.append(added) }
        }
        copy.setValue(.array(tolerations), at: ["spec", "tolerations"])
        return copy
    }

    /// Upstream's NodeShouldRunDaemonPod for a template already carrying the daemon tolerations:
    /// `spec.nodeName` (if set) and the node selector / required affinity must match for either;
    /// an untolerated NoSchedule or NoExecute taint stops new pods, and only an untolerated
    /// NoExecute one evicts a running pod.
    static func verdict(template: JSONValue, node: NodeInfo) -> Verdict {
        if let nodeName = template["spec"]?["nodeName"]?.string, !nodeName.isEmpty, nodeName != node.name {
            return Verdict(shouldRun: false, shouldContinueRunning: false)
        }
        let pod = PodInfo(["spec": template["spec"] ?? .emptyObject])
        guard NodeAffinity().fits(pod: pod, node: node) else { return Verdict(shouldRun: false, shouldContinueRunning: false) }
        let untolerated = node.taints.filter { !pod.tolerationRules.tolerate($0) }
        let blocksScheduling = untolerated.contains { $0.effect == "NoSchedule" || $0.effect == "NoExecute" }
        let evicts = untolerated.contains { $0.effect == "NoExecute" }
        return Verdict(shouldRun: !blocksScheduling, shouldContinueRunning: !evicts)
    }

    /// The node a daemon pod is for: `spec.nodeName` once bound, else the `metadata.name In [node]`
    /// term the controller wrote into its required node affinity (upstream's GetTargetNodeName).
    static func targetNode(of pod: PodView) -> String? {
        if let nodeName = pod.nodeName { return nodeName }
        let terms = pod.object.value(at: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                                          "nodeSelectorTerms"])?.array ?? []
        for term in terms {
            for field in term["matchFields"]?.array ?? []
            where field["key"] == "metadata.name" && field["operator"] == "In" {
                guard let values = field["values"]?.array, values.count == 1 else { return nil }
                return values[0].string
            }
        }
        return nil
    }

    /// The pod spec's affinity with its required node affinity replaced by `metadata.name In
    /// [node]` (preferred terms and pod affinities kept), upstream's
    /// ReplaceDaemonSetPodNodeNameNodeAffinity: the scheduler then places the pod on that node only.
    static func pinning(_ podSpec: JSONValue, to node: String) -> JSONValue {
        var spec = podSpec
        let term: JSONValue = ["matchFields": [["key": "metadata.name", "operator": "In", "values": [.string(node)]]]]
        spec.setValue(["nodeSelectorTerms": [term]],
                      at: ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"])
        return spec
    }

    /// The pod for `node` (upstream's CreatePodTemplate + GetPodFromTemplate): the template with
    /// the daemon tolerations, the `controller-revision-hash` label, the node pinned by affinity
    /// (the scheduler binds it), generateName `<ds>-` and the DaemonSet as controller.
    static func pod(for ds: DaemonSetView, node: String, hash: String) -> JSONValue {
        let template = withDaemonTolerations(ds.template)
        var metadata: JSONValue = ["generateName": .string(ds.name + "-"), "namespace": .string(ds.namespace)]
        for key in ["labels", "annotations", "finalizers"] {
            if let value = template["metadata"]?[key], !value.isNull { metadata[key] = value }
        }
        metadata.setValue(.string(hash), at: ["labels", DaemonSetView.revisionHashLabel])
        metadata["ownerReferences"] = [OwnerReference.controlling(apiVersion: "apps/v1", kind: "DaemonSet",
                                                                  name: ds.name, uid: ds.uid).json]
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata,
                "spec": pinning(template["spec"] ?? .emptyObject, to: node)]
    }
}
