import Foundation
import Model

/// The ReplicaSets of one Deployment as one sync plans them: the cached view plus the planned
/// replicas and annotations, with the Events scaling records. Mutated by `DeploymentSync`; the
/// controller writes what changed.
struct RolloutState {
    struct Set: Equatable {
        var view: ReplicaSetView
        var replicas: Int
        var annotations: [String: String]
        var minReadySeconds: Int
        /// Not stored yet: the controller creates it.
        var isCreated = false

        init(_ view: ReplicaSetView) {
            self.view = view
            replicas = view.replicas
            annotations = view.annotations
            minReadySeconds = view.minReadySeconds
        }

        var name: String { view.name }
        var changed: Bool { replicas != view.replicas || annotations != view.annotations || minReadySeconds != view.minReadySeconds }

        /// The object to store: the view with the planned replicas, annotations and minReadySeconds.
        var object: JSONValue {
            var object = view.object
            object.setValue(.int(Int64(replicas)), at: ["spec", "replicas"])
            object.setValue(.int(Int64(minReadySeconds)), at: ["spec", "minReadySeconds"])
            object.setValue(annotations.isEmpty ? nil : .stringMap(annotations), at: ["metadata", "annotations"])
            return object
        }
    }

    let deployment: DeploymentView
    /// Oldest first (creation time, then name).
    var sets: [Set]
    var events: [DeploymentPlan.Event] = []

    init(deployment: DeploymentView, replicaSets: [ReplicaSetView]) {
        self.deployment = deployment
        sets = replicaSets.sorted {
            ($0.creationTimestamp ?? .distantPast, $0.name) < ($1.creationTimestamp ?? .distantPast, $1.name)
        }.map(Set.init)
    }

    var totalReplicas: Int { sets.map(\.replicas).reduce(0, +) }

    /// Upstream's NewRSNewReplicas: RollingUpdate grows the new ReplicaSet up to replicas +
    /// maxSurge pods in all; Recreate goes straight to replicas. `podsAboveSizes` are live pods the
    /// ReplicaSets have beyond their sizes (a scale-down whose deletions have not happened yet):
    /// they count too, so pods never exceed the surge while the deletions catch up.
    func newReplicaSetReplicas(current: Int, podsAboveSizes: Int = 0) -> Int {
        let d = deployment
        guard !d.isRecreate else { return d.replicas }
        let maxTotal = d.replicas + RolloutBounds.maxSurge(d)
        let total = totalReplicas + podsAboveSizes
        if total >= maxTotal { return current }
        return current + max(0, min(maxTotal - total, d.replicas - current))
    }

    /// Upstream's scaleReplicaSetAndRecordEvent: a change of size also sets the replica
    /// annotations and records ScalingReplicaSet. Returns true when the size changed.
    @discardableResult
    mutating func scale(_ index: Int, to replicas: Int) -> Bool {
        guard sets[index].replicas != replicas else { return false }
        setSize(index, replicas)
        return true
    }

    /// Upstream's scaleReplicaSet: size and replica annotations, the Event only when the size changed.
    mutating func setSize(_ index: Int, _ replicas: Int) {
        let d = deployment
        let from = sets[index].replicas
        sets[index].replicas = replicas
        sets[index].annotations[DeploymentView.desiredReplicasAnnotation] = String(d.replicas)
        sets[index].annotations[DeploymentView.maxReplicasAnnotation] = String(d.replicas + RolloutBounds.maxSurge(d))
        if from != replicas {
            let direction = replicas > from ? "up" : "down"
            events.append(.init(type: "Normal", reason: "ScalingReplicaSet",
                                message: "Scaled \(direction) replica set \(sets[index].name) from \(from) to \(replicas)"))
        }
    }
}
