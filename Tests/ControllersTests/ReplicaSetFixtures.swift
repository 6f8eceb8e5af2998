import Foundation
import Model
@testable import Controllers

/// ReplicaSets and pods for the ReplicaSet controller's tests, as the API server would store them.
enum ReplicaSetFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func replicaSet(_ name: String = "web", uid: String = "rs-uid", replicas: Int = 3, minReadySeconds: Int = 0,
                           generation: Int64 = 1, status: JSONValue? = nil) -> JSONValue {
        var rs: JSONValue = ["apiVersion": "apps/v1", "kind": "ReplicaSet",
                             "metadata": ["name": .string(name), "namespace": "default", "uid": .string(uid),
                                          "generation": .int(generation), "resourceVersion": "1",
                                          "creationTimestamp": .string(Timestamp.format(t0))],
                             "spec": ["replicas": .int(Int64(replicas)), "minReadySeconds": .int(Int64(minReadySeconds)),
                                      "selector": ["matchLabels": ["app": "web"]],
                                      "template": ["metadata": ["labels": ["app": "web", "tier": "front"]],
                                                   "spec": ["containers": [["name": "main", "image": "x", "command": ["sleep", "600"]]]]]]]
        if let status { rs["status"] = status }
        return rs
    }

    /// A pod of the ReplicaSet (`owner: nil` makes an orphan).
    static func pod(_ name: String, owner: String? = "rs-uid", ownerName: String = "web", phase: String = "Running",
                    node: String? = "n1", ready: Bool = true, readySince: Date = t0, created: Date = t0, restarts: Int = 0,
                    labels: [String: String] = ["app": "web", "tier": "front"], deleting: Bool = false,
                    annotations: [String: String] = [:]) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name), "namespace": "default", "uid": .string("uid-\(name)"),
                                    "creationTimestamp": .string(Timestamp.format(created)), "labels": .stringMap(labels)]
        if let owner {
            metadata["ownerReferences"] = [OwnerReference.controlling(apiVersion: "apps/v1", kind: "ReplicaSet", name: ownerName, uid: owner).json]
        }
        if !annotations.isEmpty { metadata["annotations"] = .stringMap(annotations) }
        if deleting { metadata["deletionTimestamp"] = .string(Timestamp.format(created.addingTimeInterval(5))) }
        var status: JSONValue = ["phase": .string(phase),
                                 "containerStatuses": [["name": "main", "restartCount": .int(Int64(restarts))]]]
        if ready {
            status["conditions"] = [["type": "Ready", "status": "True", "lastTransitionTime": .string(Timestamp.format(readySince))]]
        }
        var spec: JSONValue = ["containers": [["name": "main"]]]
        if let node { spec["nodeName"] = .string(node) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status]
    }
}
