import Foundation
import Model

extension DeploymentSync {
    // MARK: RollingUpdate (rolling.go)

    /// Scale the new ReplicaSet up (never above replicas + maxSurge pods in all), else scale old
    /// ones down (never below replicas − maxUnavailable available), else clean up history.
    mutating func rolloutRolling() {
        findNewReplicaSet(create: true)
        guard let i = newIndex else { return syncRolloutStatus() }
        if reconcileNewReplicaSet(i) { return syncRolloutStatus() }
        if reconcileOldReplicaSets(i) { return syncRolloutStatus() }
        if DeploymentConditions.isComplete(d, d.object["status"] ?? .emptyObject) { cleanup() }
        syncRolloutStatus()
    }

    mutating func reconcileNewReplicaSet(_ i: Int) -> Bool {
        let current = state.sets[i].replicas
        if current == d.replicas { return false }
        if current > d.replicas { return state.scale(i, to: d.replicas) }
        return state.scale(i, to: state.newReplicaSetReplicas(current: current, podsAboveSizes: podsAboveSizes))
    }

    /// Upstream's reconcileOldReplicaSets: first unhealthy old pods (they do not count as
    /// available anyway), then healthy ones down to the availability floor.
    mutating func reconcileOldReplicaSets(_ i: Int) -> Bool {
        let old = oldIndices
        guard old.map({ state.sets[$0].replicas }).reduce(0, +) > 0 else { return false }
        let minAvailable = d.replicas - RolloutBounds.maxUnavailable(d)
        let newUnavailable = state.sets[i].replicas - available(i)
        let maxScaledDown = state.totalReplicas - minAvailable - newUnavailable
        guard maxScaledDown > 0 else { return false }
        var cleaned = 0
        for j in old where cleaned < maxScaledDown {
            let unhealthy = state.sets[j].replicas - available(j)
            guard state.sets[j].replicas > 0, unhealthy > 0 else { continue }
            let down = min(maxScaledDown - cleaned, unhealthy)
            state.scale(j, to: state.sets[j].replicas - down)
            cleaned += down
        }
        return cleaned + scaleDownOldForRollingUpdate(old, minAvailable: minAvailable) > 0
    }

    /// Scales old ReplicaSets down, oldest first, by the available pods above the floor.
    mutating func scaleDownOldForRollingUpdate(_ old: [Int], minAvailable: Int) -> Int {
        let available = state.sets.indices.map(available).reduce(0, +)
        guard available > minAvailable else { return 0 }
        let allowed = available - minAvailable
        var done = 0
        for j in old where done < allowed && state.sets[j].replicas > 0 {
            let down = min(state.sets[j].replicas, allowed - done)
            state.scale(j, to: state.sets[j].replicas - down)
            done += down
        }
        return done
    }

    /// The available pods of set `j` that scaling may count on: its status' availableReplicas, but
    /// never more than its planned size (the ReplicaSet controller is deleting the pods above it)
    /// nor than the available, not terminating pods the pod cache shows for it. Upstream counts the
    /// status alone, which lags the ReplicaSet controller: a sync between an old set's scale-down
    /// and its next status write counted pods being deleted and took availability below
    /// replicas − maxUnavailable (seen by bench/apps at 1,000 replicas).
    func available(_ j: Int) -> Int {
        let set = state.sets[j]
        var count = min(set.view.availableReplicas, set.replicas)
        if let pods = pods[set.view.uid] {
            count = min(count, pods.count { $0.isActive && PodAvailability.isAvailable($0, minReadySeconds: set.minReadySeconds, now: now) })
        }
        return count
    }

    /// Live pods the pod cache shows beyond their ReplicaSets' planned sizes (scale-downs whose
    /// deletions are not done yet). Upstream counts sizes alone, so a new set could grow while an
    /// old one still had the pods it was told to drop: bench/apps saw 1,253 live of 1,250.
    var podsAboveSizes: Int {
        state.sets.map { set in max(0, (pods[set.view.uid]?.count(where: \.isActive) ?? 0) - set.replicas) }.reduce(0, +)
    }

    // MARK: Recreate (recreate.go)

    /// Every old ReplicaSet to 0, wait until no old pod is left, then the new one to replicas.
    mutating func rolloutRecreate() {
        findNewReplicaSet(create: false)
        var scaledDown = false
        for j in oldIndices where state.sets[j].replicas > 0 { scaledDown = state.scale(j, to: 0) || scaledDown }
        if scaledDown || oldPodsRunning() { return syncRolloutStatus() }
        if newIndex == nil { findNewReplicaSet(create: true) }
        if let i = newIndex { state.scale(i, to: d.replicas) }
        if DeploymentConditions.isComplete(d, d.object["status"] ?? .emptyObject) { cleanup() }
        syncRolloutStatus()
    }

    /// An old ReplicaSet still reports pods, or one of its pods is not finished (terminating counts).
    func oldPodsRunning() -> Bool {
        let old = oldIndices.map { state.sets[$0].view }
        if old.map(\.statusReplicas).reduce(0, +) > 0 { return true }
        return old.contains { rs in (pods[rs.uid] ?? []).contains { !$0.isTerminal } }
    }

    // MARK: scaling while paused or resized (sync.go scale)

    /// Upstream's scale: one active ReplicaSet takes the new size; a saturated new one lets the old
    /// go; otherwise a RollingUpdate spreads the difference over the active ReplicaSets in
    /// proportion to their size (the rounding leftover to the largest).
    mutating func scaleProportionally() {
        let active = state.sets.indices.filter { state.sets[$0].replicas > 0 }
        if active.count <= 1 {
            let target = active.first ?? newIndex ?? state.sets.indices.last
            if let target, state.sets[target].replicas != d.replicas { state.scale(target, to: d.replicas) }
            return
        }
        if let i = newIndex, isSaturated(i) {
            for j in oldIndices where state.sets[j].replicas > 0 { state.scale(j, to: 0) }
            return
        }
        guard !d.isRecreate else { return }
        let allowed = d.replicas > 0 ? d.replicas + RolloutBounds.maxSurge(d) : 0
        let toAdd = allowed - active.map { state.sets[$0].replicas }.reduce(0, +)
        guard toAdd != 0 else { return }
        // Largest first; equal sizes newest first when growing, oldest first when shrinking.
        let ordered = active.sorted { a, b in
            let sa = state.sets[a].replicas, sb = state.sets[b].replicas
            if sa != sb { return sa > sb }
            return toAdd > 0 ? a > b : a < b
        }
        var sizes: [Int: Int] = [:]
        var added = 0
        for j in ordered {
            let part = proportion(j, toAdd: toAdd, added: added)
            sizes[j] = state.sets[j].replicas + part
            added += part
        }
        if let first = ordered.first { sizes[first] = max(0, sizes[first]! + toAdd - added) }
        for j in ordered { state.setSize(j, sizes[j]!) }
    }

    /// Upstream's GetProportion / getReplicaSetFraction: the set's share of the new total, from
    /// the max-replicas annotation it was last sized for, capped by what is left to add.
    func proportion(_ j: Int, toAdd: Int, added: Int) -> Int {
        let set = state.sets[j]
        guard set.replicas > 0, toAdd != added else { return 0 }
        let fraction: Int
        if d.replicas == 0 {
            fraction = -set.replicas
        } else {
            let maxReplicas = d.replicas + RolloutBounds.maxSurge(d)
            let annotated = set.annotations[DeploymentView.maxReplicasAnnotation].flatMap { Int($0) } ?? d.statusReplicas
            fraction = annotated == 0 ? 0 : Int((Double(set.replicas * maxReplicas) / Double(annotated)).rounded()) - set.replicas
        }
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// Upstream's IsSaturated: sized for, and fully available at, `spec.replicas`.
    func isSaturated(_ i: Int) -> Bool {
        let set = state.sets[i]
        return set.annotations[DeploymentView.desiredReplicasAnnotation] == String(d.replicas)
            && set.replicas == d.replicas && set.view.availableReplicas == d.replicas
    }

    // MARK: history and progress

    /// Upstream's cleanupDeployment: old ReplicaSets beyond revisionHistoryLimit, lowest revision
    /// first, deleted only when they have no pods and their status is current.
    mutating func cleanup() {
        let cleanable = oldIndices.map { state.sets[$0] }.filter { !$0.view.isDeleting && !$0.isCreated }
        let excess = cleanable.count - d.revisionHistoryLimit
        guard excess > 0 else { return }
        let byRevision = cleanable.sorted { DeploymentRevisions.revision($0.view) < DeploymentRevisions.revision($1.view) }
        for set in byRevision.prefix(excess)
        where set.view.statusReplicas == 0 && set.replicas == 0 && set.view.generation <= set.view.observedGeneration {
            plan.deletions.append(set.view)
        }
    }

    /// Upstream's syncRolloutStatus: status, then Progressing from what changed (complete,
    /// progressing, or timed out), ReplicaFailure from the ReplicaSets, and the requeue for the
    /// deadline.
    mutating func syncRolloutStatus() {
        status = DeploymentConditions.calculate(d, sets: state.sets, newIndex: newIndex, base: status, now: now)
        typealias C = DeploymentConditions
        guard let deadline = d.progressDeadlineSeconds else {
            C.remove("Progressing", from: &status)
            return syncReplicaFailure()
        }
        let current = C.find(status, "Progressing")
        let isDone = status["replicas"] == status["updatedReplicas"] && current?.reason == C.newReplicaSetAvailable
        let newName = newIndex.map { state.sets[$0].name }
        if !isDone {
            if C.isComplete(d, status) {
                let message = newName.map { "ReplicaSet \"\($0)\" has successfully progressed." } ?? "Deployment \"\(d.name)\" has successfully progressed."
                C.set(C.make("Progressing", "True", C.newReplicaSetAvailable, message, now: now), in: &status)
            } else if C.isProgressing(d, status) {
                let message = newName.map { "ReplicaSet \"\($0)\" is progressing." } ?? "Deployment \"\(d.name)\" is progressing."
                var condition = C.make("Progressing", "True", C.replicaSetUpdated, message, now: now)
                if let current, current.isTrue { condition["lastTransitionTime"] = current.object["lastTransitionTime"] }
                C.remove("Progressing", from: &status)
                C.set(condition, in: &status)
            } else if C.isTimedOut(d, status, now: now) {
                let message = newName.map { "ReplicaSet \"\($0)\" has timed out progressing." } ?? "Deployment \"\(d.name)\" has timed out progressing."
                C.set(C.make("Progressing", "False", C.progressDeadlineExceeded, message, now: now), in: &status)
            }
        }
        syncReplicaFailure()
        // Upstream's requeueStuckDeployment: come back when the deadline would pass.
        if let progressing = C.find(status, "Progressing"), !isDone, progressing.reason != C.newReplicaSetAvailable,
           !C.isTimedOut(d, status, now: now), let from = C.lastUpdate(progressing) {
            plan.requeueAfter = max(0, from.addingTimeInterval(Double(deadline)).timeIntervalSince(now)) + 1
        }
    }

    /// A ReplicaSet's ReplicaFailure condition shows on the Deployment; none left removes it.
    private mutating func syncReplicaFailure() {
        let failure = state.sets.lazy.compactMap { $0.view.condition("ReplicaFailure") }.first
        if let failure {
            DeploymentConditions.set(DeploymentConditions.make("ReplicaFailure", failure.status, failure.reason, failure.message,
                                                               now: now), in: &status)
        } else {
            DeploymentConditions.remove("ReplicaFailure", from: &status)
        }
    }
}
