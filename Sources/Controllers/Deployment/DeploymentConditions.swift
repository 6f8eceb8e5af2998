import Foundation
import Model

/// Deployment conditions and the computed status (upstream's deployment_util condition helpers,
/// calculateStatus, DeploymentComplete / DeploymentProgressing / DeploymentTimedOut), pure.
enum DeploymentConditions {
    // Reasons, as upstream spells them.
    static let newReplicaSetCreated = "NewReplicaSetCreated"
    static let foundNewReplicaSet = "FoundNewReplicaSet"
    static let replicaSetUpdated = "ReplicaSetUpdated"
    static let newReplicaSetAvailable = "NewReplicaSetAvailable"
    static let progressDeadlineExceeded = "ProgressDeadlineExceeded"
    static let minimumReplicasAvailable = "MinimumReplicasAvailable"
    static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"
    static let paused = "DeploymentPaused"
    static let resumed = "DeploymentResumed"

    /// A new condition with both times `now`.
    static func make(_ type: String, _ status: String, _ reason: String, _ message: String, now: Date) -> JSONValue {
        let time = JSONValue.string(Timestamp.format(now))
        return ["type": .string(type), "status": .string(status), "lastUpdateTime": time, "lastTransitionTime": time,
                "reason": .string(reason), "message": .string(message)]
    }

    static func find(_ status: JSONValue, _ type: String) -> ConditionView? {
        status["conditions"]?.array?.map(ConditionView.init).first { $0.type == type }
    }

    /// Upstream's SetDeploymentCondition: nothing changes when one of the same status and reason
    /// is there; the transition time is kept when only the reason changes.
    static func set(_ condition: JSONValue, in status: inout JSONValue) {
        let type = condition["type"]?.string ?? ""
        var new = condition
        if let current = find(status, type) {
            if current.status == condition["status"]?.string, current.reason == condition["reason"]?.string { return }
            if current.status == condition["status"]?.string { new["lastTransitionTime"] = current.object["lastTransitionTime"] }
        }
        var all = (status["conditions"]?.array ?? []).filter { $0["type"]?.string != type }
        all.append(new)
        status["conditions"] = .array(all)
    }

    static func remove(_ type: String, from status: inout JSONValue) {
        let all = (status["conditions"]?.array ?? []).filter { $0["type"]?.string != type }
        status["conditions"] = all.isEmpty ? nil : .array(all)
    }

    private static func int(_ status: JSONValue, _ key: String) -> Int { status[key]?.int.map { Int(clamping: $0) } ?? 0 }

    /// Upstream's DeploymentComplete: every replica updated and available, the generation observed.
    static func isComplete(_ d: DeploymentView, _ status: JSONValue) -> Bool {
        int(status, "updatedReplicas") == d.replicas && int(status, "replicas") == d.replicas
            && int(status, "availableReplicas") == d.replicas && (status["observedGeneration"]?.int ?? 0) >= d.generation
    }

    /// Upstream's DeploymentProgressing: more updated, fewer old, more ready or more available
    /// replicas than the stored status says.
    static func isProgressing(_ d: DeploymentView, _ status: JSONValue) -> Bool {
        let oldOld = d.statusReplicas - d.updatedReplicas
        let newOld = int(status, "replicas") - int(status, "updatedReplicas")
        return int(status, "updatedReplicas") > d.updatedReplicas || newOld < oldOld
            || int(status, "readyReplicas") > d.readyReplicas || int(status, "availableReplicas") > d.availableReplicas
    }

    /// Upstream's DeploymentTimedOut: Progressing last updated more than progressDeadlineSeconds ago.
    static func isTimedOut(_ d: DeploymentView, _ status: JSONValue, now: Date) -> Bool {
        guard let deadline = d.progressDeadlineSeconds, let condition = find(status, "Progressing") else { return false }
        if condition.reason == newReplicaSetAvailable { return false }
        if condition.reason == progressDeadlineExceeded { return true }
        guard let from = lastUpdate(condition) else { return false }
        return from.addingTimeInterval(Double(deadline)) < now
    }

    static func lastUpdate(_ condition: ConditionView) -> Date? {
        condition.object["lastUpdateTime"]?.string.flatMap(Timestamp.parse) ?? condition.lastTransitionTime
    }

    /// Upstream's calculateStatus over the ReplicaSets as planned: counts, generation, collision
    /// count, and Available (at least replicas − maxUnavailable available). `base` carries the
    /// conditions so far and any unknown members.
    static func calculate(_ d: DeploymentView, sets: [RolloutState.Set], newIndex: Int?, base: JSONValue, now: Date) -> JSONValue {
        var status = base
        let available = sets.map(\.view.availableReplicas).reduce(0, +)
        let total = sets.map(\.replicas).reduce(0, +)
        status["observedGeneration"] = .int(d.generation)
        status["replicas"] = .int(Int64(sets.map(\.view.statusReplicas).reduce(0, +)))
        status["updatedReplicas"] = .int(Int64(newIndex.map { sets[$0].view.statusReplicas } ?? 0))
        status["readyReplicas"] = .int(Int64(sets.map(\.view.readyReplicas).reduce(0, +)))
        status["availableReplicas"] = .int(Int64(available))
        status["unavailableReplicas"] = .int(Int64(max(0, total - available)))
        if let collisions = d.collisionCount { status["collisionCount"] = .int(Int64(collisions)) }
        if available >= d.replicas - RolloutBounds.maxUnavailable(d) {
            set(make("Available", "True", minimumReplicasAvailable, "Deployment has minimum availability.", now: now), in: &status)
        } else {
            set(make("Available", "False", minimumReplicasUnavailable, "Deployment does not have minimum availability.", now: now),
                in: &status)
        }
        return status
    }
}
