import Foundation
import Model

/// The ReplicaSet controller's decisions (upstream's syncReplicaSet / manageReplicas /
/// calculateStatus), pure: no I/O, tested as tables.
enum ReplicaSetSync {
    /// Upstream's burstReplicas: at most this many creations or deletions per sync.
    static let burstReplicas = 500

    /// What one sync does to the pods.
    struct Plan: Equatable {
        /// How many pods to create.
        var create = 0
        /// The pods to delete, victims first.
        var delete: [PodView] = []
    }

    /// - Parameters:
    ///   - pods: the ReplicaSet's active pods (claimed; not terminal, not being deleted).
    ///   - related: the active pods of it and its siblings (for the node spread of victims).
    ///   - expectationsSatisfied: false while the cache is behind our own writes: nothing is done.
    static func plan(_ rs: ReplicaSetView, pods: [PodView], related: [PodView], expectationsSatisfied: Bool, now: Date) -> Plan {
        guard expectationsSatisfied, !rs.isDeleting else { return Plan() }
        let diff = pods.count - rs.replicas
        if diff < 0 { return Plan(create: min(-diff, burstReplicas)) }
        if diff > 0 { return Plan(delete: ScaleDownVictims.choose(min(diff, burstReplicas), from: pods, related: related, now: now)) }
        return Plan()
    }

    /// A failure of this sync's creations or deletions, for the ReplicaFailure condition.
    struct Failure: Equatable {
        /// `FailedCreate` or `FailedDelete`.
        var reason: String
        var message: String
    }

    /// The status to store (upstream's calculateStatus): counts over the active pods, the
    /// generation observed, and ReplicaFailure added on a failure (kept while it persists) and
    /// removed after a clean sync. Unknown members of the stored status are kept.
    static func status(_ rs: ReplicaSetView, pods: [PodView], failure: Failure?, now: Date) -> JSONValue {
        var status = rs.object["status"].flatMap { $0.object == nil ? nil : $0 } ?? .emptyObject
        let templateLabels = rs.templateLabels
        let fullyLabeled = pods.filter { pod in templateLabels.allSatisfy { pod.labels[$0.key] == $0.value } }
        status["replicas"] = .int(Int64(pods.count))
        status["fullyLabeledReplicas"] = .int(Int64(fullyLabeled.count))
        status["readyReplicas"] = .int(Int64(pods.filter(\.isReady).count))
        status["availableReplicas"] = .int(Int64(pods.filter {
            PodAvailability.isAvailable($0, minReadySeconds: rs.minReadySeconds, now: now)
        }.count))
        status["observedGeneration"] = .int(rs.generation)
        var conditions = status["conditions"]?.array ?? []
        let hasFailure = conditions.contains { $0["type"] == "ReplicaFailure" }
        if let failure, !hasFailure {
            conditions.append(["type": "ReplicaFailure", "status": "True", "reason": .string(failure.reason),
                               "message": .string(failure.message), "lastTransitionTime": .string(Timestamp.format(now))])
        } else if failure == nil, hasFailure {
            conditions.removeAll { $0["type"] == "ReplicaFailure" }
        }
        status["conditions"] = conditions.isEmpty ? nil : .array(conditions)
        return status
    }

    /// The pod a ReplicaSet creates from its template (upstream's GetPodFromTemplate): the
    /// template's labels, annotations, finalizers and spec, generateName `<rs>-` (the server adds
    /// five random characters), and the ReplicaSet as controller (blockOwnerDeletion).
    static func pod(from rs: ReplicaSetView) -> JSONValue {
        let template = rs.template
        var metadata: JSONValue = ["generateName": .string(rs.name + "-"), "namespace": .string(rs.namespace)]
        for key in ["labels", "annotations", "finalizers"] {
            if let value = template["metadata"]?[key], !value.isNull { metadata[key] = value }
        }
        metadata["ownerReferences"] = [OwnerReference.controlling(apiVersion: "apps/v1", kind: "ReplicaSet",
                                                                  name: rs.name, uid: rs.uid).json]
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template["spec"] ?? .emptyObject]
    }
}
