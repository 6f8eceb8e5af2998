import Foundation
import Model

/// The Deployment controller's decisions (upstream's syncDeployment and its sync.go, rolling.go,
/// recreate.go, progress.go), pure. One call plans one sync from the cached Deployment and its
/// ReplicaSets; the steps follow upstream's order so the same rollout takes the same steps.
struct DeploymentSync {
    let d: DeploymentView
    let now: Date
    var state: RolloutState
    var status: JSONValue
    var newIndex: Int?
    var plan = DeploymentPlan()
    let pods: [String: [PodView]]

    init(_ input: DeploymentSyncInput) {
        d = input.deployment
        now = input.now
        pods = input.podsByReplicaSet
        state = RolloutState(deployment: d, replicaSets: input.replicaSets)
        status = d.object["status"].flatMap { $0.object == nil ? nil : $0 } ?? .emptyObject
    }

    static func plan(_ input: DeploymentSyncInput) -> DeploymentPlan {
        var sync = DeploymentSync(input)
        sync.run()
        return sync.finish()
    }

    private mutating func run() {
        guard let selector = d.selector.flatMap({ try? LabelSelector.from($0) }), !selector.isEmpty else {
            status["observedGeneration"] = .int(d.generation)   // selects everything: upstream does nothing more
            return
        }
        if d.isDeleting {
            findNewReplicaSet(create: false)
            return syncStatusOnly()
        }
        checkPausedConditions()
        if d.paused || isScalingEvent() {
            findNewReplicaSet(create: false)
            scaleProportionally()
            if d.paused { cleanup() }
            return syncStatusOnly()
        }
        if d.isRecreate { rolloutRecreate() } else { rolloutRolling() }
    }

    private func finish() -> DeploymentPlan {
        var plan = self.plan
        plan.status = status
        plan.events += state.events
        for set in state.sets where set.changed && !set.isCreated { plan.updates.append(set.object) }
        if let created = state.sets.first(where: \.isCreated) { plan.create = created.object }
        if let newIndex, let revision = state.sets[newIndex].annotations[DeploymentView.revisionAnnotation],
           d.annotations[DeploymentView.revisionAnnotation] != revision {
            plan.revision = revision
        }
        return plan
    }

    var oldIndices: [Int] { state.sets.indices.filter { $0 != newIndex } }

    // MARK: the new ReplicaSet

    /// Upstream's getAllReplicaSetsAndSyncRevision: the oldest ReplicaSet whose template equals the
    /// Deployment's (ignoring the hash) is the new one; it gets the next revision (a rollback's
    /// old ReplicaSet is re-used this way). Without one and with `create`, a new ReplicaSet is
    /// planned, `<deployment>-<hash>`, sized by newReplicaSetReplicas.
    mutating func findNewReplicaSet(create: Bool) {
        newIndex = state.sets.firstIndex { TemplateHash.equalIgnoringHash($0.view.template, d.template) }
        let newRevision = DeploymentRevisions.maxRevision(oldIndices.map { state.sets[$0].view }) + 1
        if let i = newIndex {
            state.sets[i].annotations = DeploymentRevisions.newReplicaSetAnnotations(state.sets[i].annotations, deployment: d,
                                                                                     newRevision: newRevision, creating: false)
            state.sets[i].minReadySeconds = d.minReadySeconds
            if d.progressDeadlineSeconds != nil, DeploymentConditions.find(status, "Progressing") == nil {
                DeploymentConditions.set(DeploymentConditions.make("Progressing", "True", DeploymentConditions.foundNewReplicaSet,
                                                                   "Found new replica set \"\(state.sets[i].name)\"", now: now), in: &status)
            }
            return
        }
        guard create else { return }
        let replicas = state.newReplicaSetReplicas(current: 0, podsAboveSizes: podsAboveSizes)
        var set = RolloutState.Set(ReplicaSetView(newReplicaSetObject()))
        set.isCreated = true
        set.replicas = replicas
        set.annotations = DeploymentRevisions.newReplicaSetAnnotations([:], deployment: d, newRevision: newRevision, creating: true)
        state.sets.append(set)
        newIndex = state.sets.count - 1
        if replicas > 0 {
            state.events.append(.init(type: "Normal", reason: "ScalingReplicaSet",
                                      message: "Scaled up replica set \(set.name) from 0 to \(replicas)"))
        }
        if d.progressDeadlineSeconds != nil {
            DeploymentConditions.set(DeploymentConditions.make("Progressing", "True", DeploymentConditions.newReplicaSetCreated,
                                                               "Created new replica set \"\(set.name)\"", now: now), in: &status)
        }
    }

    /// The ReplicaSet for the Deployment's template: the hash label on its template, selector and
    /// labels; the Deployment as controller.
    func newReplicaSetObject() -> JSONValue {
        let hash = TemplateHash.compute(d.template, collisionCount: d.collisionCount)
        var template = d.template
        template.setValue(.string(hash), at: ["metadata", "labels", DeploymentView.podTemplateHashLabel])
        var selector = d.selector ?? .emptyObject
        selector.setValue(.string(hash), at: ["matchLabels", DeploymentView.podTemplateHashLabel])
        let labels = template["metadata"]?["labels"] ?? .emptyObject
        let owner = OwnerReference.controlling(apiVersion: "apps/v1", kind: "Deployment", name: d.name, uid: d.uid)
        return ["apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": .string(d.name + "-" + hash), "namespace": .string(d.namespace), "labels": labels,
                             "ownerReferences": [owner.json]],
                "spec": ["replicas": 0, "minReadySeconds": .int(Int64(d.minReadySeconds)), "selector": selector, "template": template]]
    }

    // MARK: status

    /// Upstream's syncDeploymentStatus: counts and Available only.
    mutating func syncStatusOnly() {
        status = DeploymentConditions.calculate(d, sets: state.sets, newIndex: newIndex, base: status, now: now)
    }

    /// Upstream's checkPausedConditions: Progressing=Unknown DeploymentPaused / DeploymentResumed
    /// (never over a timed-out rollout).
    mutating func checkPausedConditions() {
        guard d.progressDeadlineSeconds != nil else { return }
        let current = DeploymentConditions.find(status, "Progressing")
        if current?.reason == DeploymentConditions.progressDeadlineExceeded { return }
        let pausedShown = current?.reason == DeploymentConditions.paused
        if d.paused && !pausedShown {
            DeploymentConditions.set(DeploymentConditions.make("Progressing", "Unknown", DeploymentConditions.paused,
                                                               "Deployment is paused", now: now), in: &status)
        } else if !d.paused && pausedShown {
            DeploymentConditions.set(DeploymentConditions.make("Progressing", "Unknown", DeploymentConditions.resumed,
                                                               "Deployment is resumed", now: now), in: &status)
        }
    }

    /// Upstream's isScalingEvent: an active ReplicaSet was sized for another `spec.replicas`.
    func isScalingEvent() -> Bool {
        state.sets.contains { set in
            guard set.replicas > 0, let desired = set.annotations[DeploymentView.desiredReplicasAnnotation].flatMap({ Int($0) })
            else { return false }
            return desired != d.replicas
        }
    }
}
