import Foundation
import Model
@testable import Controllers

/// Deployments and ReplicaSets for the Deployment controller's tests, as the API server stores them.
enum DeploymentFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func template(_ command: String = "600") -> JSONValue {
        ["metadata": ["labels": ["app": "web"]],
         "spec": ["containers": [["name": "main", "image": "x", "command": ["sleep", .string(command)]]]]]
    }

    static func deployment(replicas: Int = 3, template: JSONValue = template(), strategy: JSONValue? = nil, generation: Int64 = 1,
                           annotations: [String: String] = [:], paused: Bool = false, status: JSONValue? = nil,
                           progressDeadlineSeconds: Int = 600) -> JSONValue {
        var metadata: JSONValue = ["name": "web", "namespace": "default", "uid": "d-uid", "generation": .int(generation),
                                    "resourceVersion": "1", "creationTimestamp": .string(Timestamp.format(t0))]
        if !annotations.isEmpty { metadata["annotations"] = .stringMap(annotations) }
        var d: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata,
                            "spec": ["replicas": .int(Int64(replicas)), "selector": ["matchLabels": ["app": "web"]], "template": template,
                                     "strategy": strategy ?? ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"]],
                                     "revisionHistoryLimit": 10, "progressDeadlineSeconds": .int(Int64(progressDeadlineSeconds)),
                                     "paused": .bool(paused)]]
        if let status { d["status"] = status }
        return d
    }

    /// A ReplicaSet of the Deployment for `template`, at `revision`, with `replicas` of which
    /// `available` are available (status as the ReplicaSet controller would report it).
    static func replicaSet(template: JSONValue = template(), revision: Int, replicas: Int, available: Int? = nil,
                           created: Date = t0, desired: Int = 3) -> JSONValue {
        let hash = TemplateHash.compute(template, collisionCount: nil) + String(revision)
        var t = template
        t.setValue(.string(hash), at: ["metadata", "labels", DeploymentView.podTemplateHashLabel])
        let owner = OwnerReference.controlling(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d-uid")
        return ["apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": .string("web-\(hash)"), "namespace": "default", "uid": .string("rs-\(revision)"),
                             "generation": 1, "resourceVersion": "1", "creationTimestamp": .string(Timestamp.format(created)),
                             "labels": t["metadata"]?["labels"] ?? .emptyObject, "ownerReferences": [owner.json],
                             "annotations": .stringMap([DeploymentView.revisionAnnotation: String(revision),
                                                        DeploymentView.desiredReplicasAnnotation: String(desired)])],
                "spec": ["replicas": .int(Int64(replicas)), "template": t,
                         "selector": ["matchLabels": ["app": "web", DeploymentView.podTemplateHashLabel: .string(hash)]]],
                "status": ["replicas": .int(Int64(replicas)), "readyReplicas": .int(Int64(available ?? replicas)),
                           "availableReplicas": .int(Int64(available ?? replicas)), "observedGeneration": 1]]
    }

    static func plan(_ d: JSONValue, _ sets: [JSONValue], pods: [String: [PodView]] = [:], now: Date = t0.addingTimeInterval(60)) -> DeploymentPlan {
        DeploymentSync.plan(DeploymentSyncInput(deployment: DeploymentView(d), replicaSets: sets.map(ReplicaSetView.init),
                                                podsByReplicaSet: pods, now: now))
    }
}
