import Foundation
import Model
@testable import Controllers

/// DaemonSets, nodes and daemon pods for the DaemonSet controller's tests, as the API server stores them.
enum DaemonSetFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func daemonSet(_ name: String = "agent", uid: String = "ds-uid", image: String = "v1", nodeSelector: [String: String] = [:],
                          tolerations: [JSONValue] = [], maxUnavailable: JSONValue = 1, maxSurge: JSONValue = 0,
                          onDelete: Bool = false, minReadySeconds: Int = 0, historyLimit: Int = 10,
                          generation: Int64 = 1) -> JSONValue {
        var podSpec: JSONValue = ["containers": [["name": "main", "image": .string(image), "command": ["sleep", "600"]]]]
        if !nodeSelector.isEmpty { podSpec["nodeSelector"] = .stringMap(nodeSelector) }
        if !tolerations.isEmpty { podSpec["tolerations"] = .array(tolerations) }
        let strategy: JSONValue = onDelete ? ["type": "OnDelete"]
            : ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": maxUnavailable, "maxSurge": maxSurge]]
        return ["apiVersion": "apps/v1", "kind": "DaemonSet",
                "metadata": ["name": .string(name), "namespace": "default", "uid": .string(uid), "generation": .int(generation),
                             "resourceVersion": "1", "creationTimestamp": .string(Timestamp.format(t0))],
                "spec": ["selector": ["matchLabels": ["app": .string(name)]], "minReadySeconds": .int(Int64(minReadySeconds)),
                         "revisionHistoryLimit": .int(Int64(historyLimit)), "updateStrategy": strategy,
                         "template": ["metadata": ["labels": ["app": .string(name)]], "spec": podSpec]]]
    }

    static func node(_ name: String, labels: [String: String] = [:], taints: [Taint] = [], unschedulable: Bool = false,
                     ready: Bool = true) -> JSONValue {
        var labels = labels
        labels["kubernetes.io/hostname"] = name
        var spec: JSONValue = .emptyObject
        if !taints.isEmpty { spec["taints"] = .array(taints.map(\.json)) }
        if unschedulable { spec["unschedulable"] = true }
        return ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name), "labels": .stringMap(labels), "uid": .string("node-\(name)")],
                "spec": spec,
                "status": ["conditions": [["type": "Ready", "status": .string(ready ? "True" : "False")]],
                           "allocatable": ["cpu": "4", "memory": "8Gi", "pods": "110"]]]
    }

    /// A daemon pod on `node` (bound unless `bound: false`, then pinned by affinity only).
    static func pod(_ name: String, node: String, hash: String = "h1", phase: String = "Running", ready: Bool = true,
                    readySince: Date = t0, created: Date = t0, bound: Bool = true, deleting: Bool = false,
                    owner: String? = "ds-uid") -> PodView {
        var metadata: JSONValue = ["name": .string(name), "namespace": "default", "uid": .string("uid-\(name)"),
                                   "creationTimestamp": .string(Timestamp.format(created)),
                                   "labels": ["app": "agent", "controller-revision-hash": .string(hash)]]
        if let owner {
            metadata["ownerReferences"] = [OwnerReference.controlling(apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: owner).json]
        }
        if deleting { metadata["deletionTimestamp"] = .string(Timestamp.format(created.addingTimeInterval(5))) }
        var status: JSONValue = ["phase": .string(phase)]
        if ready { status["conditions"] = [["type": "Ready", "status": "True", "lastTransitionTime": .string(Timestamp.format(readySince))]] }
        var spec = DaemonPlacement.pinning(["containers": [["name": "main"]]], to: node)
        if bound { spec["nodeName"] = .string(node) }
        return PodView(["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status])
    }

    static func eligible(_ names: String...) -> [DaemonSetSync.Node] {
        names.map { DaemonSetSync.Node(name: $0, verdict: .init(shouldRun: true, shouldContinueRunning: true)) }
    }
}
