import Foundation
import Model
import Testing
@testable import Controllers

/// DeploymentSync.plan step by step: creation, rolling steps within the bounds, rollback,
/// Recreate, progress conditions, pause, scaling and history.
@Suite struct DeploymentRolloutTests {
    typealias F = DeploymentFixtures
    let v2 = DeploymentFixtures.template("700")

    func replicas(_ object: JSONValue) -> Int { ReplicaSetView(object).replicas }

    @Test func aNewDeploymentCreatesItsFirstReplicaSetAtRevisionOne() {
        let plan = F.plan(F.deployment(), [])
        let rs = ReplicaSetView(plan.create ?? .null)
        let hash = TemplateHash.compute(F.template(), collisionCount: nil)
        #expect(rs.name == "web-" + hash)
        #expect(rs.replicas == 3)   // surge ceil(0.75) = 1 allows 4 in all; capped at replicas
        #expect(rs.templateLabels[DeploymentView.podTemplateHashLabel] == hash)
        #expect(rs.selector?["matchLabels"]?[DeploymentView.podTemplateHashLabel] == .string(hash))
        #expect(rs.annotations[DeploymentView.revisionAnnotation] == "1")
        #expect(rs.metadata.controllerReference?.uid == "d-uid")
        #expect(plan.revision == "1")
        #expect(DeploymentConditions.find(plan.status, "Progressing")?.reason == "NewReplicaSetCreated")
        #expect(DeploymentConditions.find(plan.status, "Available")?.reason == "MinimumReplicasUnavailable")
        #expect(plan.events.map(\.message) == ["Scaled up replica set \(rs.name) from 0 to 3"])
    }

    /// A rollout simulated to the end: after each plan the ReplicaSets take the planned sizes
    /// (scale-down at once, new pods become available one tick later); at every instant pods ≤
    /// replicas + maxSurge and available ≥ replicas − maxUnavailable.
    @Test(arguments: [(3, "25%", "25%"), (10, "25%", "25%"), (4, "0", "1"), (5, "2", "0"), (6, "50%", "50%")])
    func rollingUpdateStaysWithinItsBounds(replicaCount: Int, surge: String, unavailable: String) throws {
        func value(_ text: String) -> JSONValue { Int64(text).map(JSONValue.int) ?? .string(text) }
        let strategy: JSONValue = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": value(surge), "maxUnavailable": value(unavailable)]]
        var d = F.deployment(replicas: replicaCount, template: v2, strategy: strategy, generation: 2)
        let bounds = RolloutBounds.fenceposts(maxSurge: value(surge), maxUnavailable: value(unavailable), desired: replicaCount)
        var sets = [F.replicaSet(revision: 1, replicas: replicaCount, desired: replicaCount)]
        var steps = 0
        while steps < 50 {
            steps += 1
            let plan = F.plan(d, sets)
            d["status"] = plan.status
            if let created = plan.create {
                var rs = created
                rs.setValue("rs-new", at: ["metadata", "uid"])
                rs.setValue(.string(Timestamp.format(F.t0.addingTimeInterval(Double(steps)))), at: ["metadata", "creationTimestamp"])
                sets.append(rs)
            }
            for update in plan.updates {
                let i = try #require(sets.firstIndex { ReplicaSetView($0).uid == ReplicaSetView(update).uid })
                sets[i] = update
            }
            // Scale-down removes available pods now; scale-up pods become available next tick.
            for i in sets.indices {
                let spec = replicas(sets[i]), available = ReplicaSetView(sets[i]).availableReplicas
                sets[i]["status"] = ["replicas": .int(Int64(spec)), "readyReplicas": .int(Int64(min(spec, available))),
                                     "availableReplicas": .int(Int64(min(spec, available))), "observedGeneration": 1]
            }
            let total = sets.map(replicas).reduce(0, +)
            let available = sets.map { ReplicaSetView($0).availableReplicas }.reduce(0, +)
            #expect(total <= replicaCount + bounds.surge, "step \(steps): \(total) pods")
            #expect(available >= replicaCount - bounds.unavailable, "step \(steps): \(available) available")
            for i in sets.indices {
                sets[i].setValue(.int(Int64(replicas(sets[i]))), at: ["status", "availableReplicas"])
                sets[i].setValue(.int(Int64(replicas(sets[i]))), at: ["status", "readyReplicas"])
            }
            if DeploymentConditions.find(plan.status, "Progressing")?.reason == "NewReplicaSetAvailable" { break }
        }
        #expect(steps < 50)
        let new = try #require(sets.first { ReplicaSetView($0).uid == "rs-new" })
        #expect(replicas(new) == replicaCount && replicas(sets[0]) == 0)
        #expect(ReplicaSetView(new).annotations[DeploymentView.revisionAnnotation] == "2")
        #expect(DeploymentConditions.find(d["status"]!, "Available")?.isTrue == true)
    }

    @Test func theFirstRollingStepSurgesAndTheSecondScalesTheOldDown() {
        // 3 replicas at 25%/25%: surge 1, unavailable 0.
        let d = F.deployment(template: v2, generation: 2)
        let first = F.plan(d, [F.replicaSet(revision: 1, replicas: 3)])
        #expect(first.create.map(replicas) == 1 && first.updates.isEmpty)
        var new = first.create!
        new.setValue("rs-2", at: ["metadata", "uid"])
        new["status"] = ["replicas": 1, "availableReplicas": 1, "readyReplicas": 1]
        let second = F.plan(d, [F.replicaSet(revision: 1, replicas: 3), new])
        #expect(second.updates.map(replicas) == [2])
        #expect(second.events.first?.message.hasPrefix("Scaled down replica set web-") == true)
    }

    /// 4 replicas at 25%/25% (floor 3, at most 5 pods): the new set of 3 and the old one just scaled
    /// to 2 have 4 pods available. Whatever lags — the old set's status still counting a pod it is
    /// deleting, or the new set's status a pod the cache shows terminating — the old set goes to 1
    /// at most, not to 0 (which upstream's status-only count would do, leaving 2 available).
    @Test(arguments: [
        ("the old set's status counts a pod above its size", 3, false),
        ("the cache shows one of the new set's pods terminating", 2, true),
    ])
    func aLaggingReplicaSetStatusNeverLetsAvailabilityBelowTheFloor(_ lag: String, oldStatusAvailable: Int, newPodTerminating: Bool) {
        let d = F.deployment(replicas: 4, template: v2, generation: 2)
        var old = F.replicaSet(revision: 1, replicas: 2, desired: 4)
        old.setValue(.int(Int64(oldStatusAvailable)), at: ["status", "availableReplicas"])
        let new = F.replicaSet(template: v2, revision: 2, replicas: 3, available: newPodTerminating ? 3 : 2,
                               created: F.t0.addingTimeInterval(10), desired: 4)
        let pod = { (name: String, owner: String, deleting: Bool) in PodView(ReplicaSetFixtures.pod(name, owner: owner, deleting: deleting)) }
        var newPods = [pod("new-a", "rs-2", false), pod("new-b", "rs-2", false)]
        if newPodTerminating { newPods.append(pod("new-c", "rs-2", true)) }
        let plan = F.plan(d, [old, new], pods: ["rs-1": [pod("old-a", "rs-1", false), pod("old-b", "rs-1", false)], "rs-2": newPods])
        let oldSizes = plan.updates.map(ReplicaSetView.init).filter { $0.uid == "rs-1" }.map(\.replicas)
        #expect(oldSizes == [1], "\(lag)")
    }

    /// 4 replicas, surge 1: the old set was just scaled from 3 to 2 but the cache still shows its 3
    /// pods live. The new set of 2 must not grow yet: 3 + 3 live pods would exceed 5.
    @Test func theNewReplicaSetWaitsWhileAnOldOneStillHasThePodsItWasToldToDrop() {
        let d = F.deployment(replicas: 4, template: v2, generation: 2)
        let old = F.replicaSet(revision: 1, replicas: 2, desired: 4)
        let new = F.replicaSet(template: v2, revision: 2, replicas: 2, created: F.t0.addingTimeInterval(10), desired: 4)
        let pod = { (name: String, owner: String) in PodView(ReplicaSetFixtures.pod(name, owner: owner)) }
        let lagging = ["rs-1": ["a", "b", "c"].map { pod("old-\($0)", "rs-1") }, "rs-2": ["a", "b"].map { pod("new-\($0)", "rs-2") }]
        let sizes = { (plan: DeploymentPlan) in plan.updates.map(ReplicaSetView.init).filter { $0.uid == "rs-2" }.map(\.replicas) }
        #expect(sizes(F.plan(d, [old, new], pods: lagging)) == [])
        var caughtUp = lagging
        caughtUp["rs-1"]?.removeLast()
        #expect(sizes(F.plan(d, [old, new], pods: caughtUp)) == [3])
    }

    @Test func rollbackReusesTheOldReplicaSetWithTheNextRevision() {
        let old = F.replicaSet(revision: 1, replicas: 0)
        let current = F.replicaSet(template: v2, revision: 2, replicas: 3, created: F.t0.addingTimeInterval(10))
        let plan = F.plan(F.deployment(generation: 3), [old, current])
        #expect(plan.create == nil)
        let reused = plan.updates.map(ReplicaSetView.init).first { $0.uid == "rs-1" }
        #expect(reused?.annotations[DeploymentView.revisionAnnotation] == "3")
        #expect(reused?.annotations[DeploymentView.revisionHistoryAnnotation] == "1")
        #expect(reused?.replicas == 1)
        #expect(plan.revision == "3")
    }

    @Test func recreateScalesTheOldDownWaitsForItsPodsThenCreates() {
        let d = F.deployment(template: v2, strategy: ["type": "Recreate"], generation: 2)
        let down = F.plan(d, [F.replicaSet(revision: 1, replicas: 3)])
        #expect(down.create == nil && down.updates.map(replicas) == [0])

        var scaled = F.replicaSet(revision: 1, replicas: 0)
        let running = PodView(["metadata": ["name": "web-x"], "status": ["phase": "Running"]])
        #expect(F.plan(d, [scaled], pods: ["rs-1": [running]]).create == nil, "an old pod still runs")

        scaled["status"] = ["replicas": 0, "availableReplicas": 0, "observedGeneration": 1]
        let up = F.plan(d, [scaled], pods: ["rs-1": []])
        #expect(up.create.map(replicas) == 3)
        #expect(up.create.map { ReplicaSetView($0).annotations[DeploymentView.revisionAnnotation] } == "2")
    }

    @Test func aCompleteRolloutReportsNewReplicaSetAvailable() {
        let status: JSONValue = ["replicas": 4, "updatedReplicas": 3, "availableReplicas": 3, "readyReplicas": 3, "observedGeneration": 2,
                                 "conditions": [DeploymentConditions.make("Progressing", "True", "ReplicaSetUpdated", "x", now: F.t0)]]
        let d = F.deployment(template: v2, generation: 2, status: status)
        let plan = F.plan(d, [F.replicaSet(revision: 1, replicas: 0, available: 0), F.replicaSet(template: v2, revision: 2, replicas: 3)])
        let progressing = DeploymentConditions.find(plan.status, "Progressing")
        #expect(progressing?.reason == "NewReplicaSetAvailable" && progressing?.isTrue == true)
        #expect(progressing?.message.hasSuffix("has successfully progressed.") == true)
        #expect(DeploymentConditions.find(plan.status, "Available")?.reason == "MinimumReplicasAvailable")
        #expect(plan.status["updatedReplicas"] == 3 && plan.status["unavailableReplicas"] == 0)
        #expect(plan.requeueAfter == nil)
    }

    @Test func aStuckRolloutTimesOutAfterItsDeadlineAndRequeuesUntilThen() {
        let stuck = F.replicaSet(template: v2, revision: 2, replicas: 1, available: 0)
        let status: JSONValue = ["replicas": 4, "updatedReplicas": 1, "availableReplicas": 3, "readyReplicas": 3, "observedGeneration": 2,
                                 "conditions": [DeploymentConditions.make("Progressing", "True", "ReplicaSetUpdated", "x", now: F.t0)]]
        let d = F.deployment(template: v2, generation: 2, status: status)
        let before = F.plan(d, [F.replicaSet(revision: 1, replicas: 3), stuck], now: F.t0.addingTimeInterval(100))
        #expect(DeploymentConditions.find(before.status, "Progressing")?.reason == "ReplicaSetUpdated")
        #expect(before.requeueAfter == 501)   // 600 s from the last update, + 1 s
        let after = F.plan(d, [F.replicaSet(revision: 1, replicas: 3), stuck], now: F.t0.addingTimeInterval(601))
        let condition = DeploymentConditions.find(after.status, "Progressing")
        #expect(condition?.reason == "ProgressDeadlineExceeded" && condition?.status == "False")
        #expect(after.requeueAfter == nil)
    }

    @Test func aPausedDeploymentDoesNotRollOut() {
        let plan = F.plan(F.deployment(template: v2, generation: 2, paused: true), [F.replicaSet(revision: 1, replicas: 3)])
        #expect(plan.create == nil && plan.updates.isEmpty)
        #expect(DeploymentConditions.find(plan.status, "Progressing")?.reason == "DeploymentPaused")
        #expect(DeploymentConditions.find(plan.status, "Progressing")?.status == "Unknown")
    }

    @Test func resizingScalesTheOnlyActiveReplicaSet() {
        let plan = F.plan(F.deployment(replicas: 5, generation: 2), [F.replicaSet(revision: 1, replicas: 3)])
        #expect(plan.updates.map(replicas) == [5])
        #expect(plan.updates.first.map { ReplicaSetView($0).annotations[DeploymentView.desiredReplicasAnnotation] } == "5")
    }

    @Test func resizingMidRolloutSplitsTheDifferenceProportionally() {
        // 10 → 20 replicas (surge 25%: 25 allowed) while old has 8 and new 5, both sized for 13:
        // old round(8·25/13) = 15 (+7), new round(5·25/13) = 10 (+5); 12 added in all.
        var old = F.replicaSet(revision: 1, replicas: 8, desired: 10)
        var new = F.replicaSet(template: v2, revision: 2, replicas: 5, created: F.t0.addingTimeInterval(5), desired: 10)
        old.setValue("13", at: ["metadata", "annotations", DeploymentView.maxReplicasAnnotation])
        new.setValue("13", at: ["metadata", "annotations", DeploymentView.maxReplicasAnnotation])
        let plan = F.plan(F.deployment(replicas: 20, template: v2, generation: 3), [old, new])
        let sizes = Dictionary(uniqueKeysWithValues: plan.updates.map { (ReplicaSetView($0).uid, replicas($0)) })
        #expect(sizes == ["rs-1": 15, "rs-2": 10])
    }

    @Test func historyBeyondTheLimitIsDeletedOldestRevisionFirst() {
        let status: JSONValue = ["replicas": 3, "updatedReplicas": 3, "availableReplicas": 3, "observedGeneration": 4]
        var d = F.deployment(template: v2, generation: 4, status: status)
        d.setValue(1, at: ["spec", "revisionHistoryLimit"])
        let sets = [F.replicaSet(template: F.template("1"), revision: 1, replicas: 0),
                    F.replicaSet(template: F.template("2"), revision: 2, replicas: 0),
                    F.replicaSet(template: F.template("3"), revision: 3, replicas: 0),
                    F.replicaSet(template: v2, revision: 4, replicas: 3)]
        #expect(F.plan(d, sets).deletions.map(\.uid) == ["rs-1", "rs-2"])
    }
}
