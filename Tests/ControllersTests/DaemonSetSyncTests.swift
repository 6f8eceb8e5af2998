import Foundation
import Model
import Testing
@testable import Controllers

/// DaemonSetSync.manage and status as tables (upstream's podsShouldBeOnNode and updateDaemonSetStatus).
@Suite struct DaemonSetSyncTests {
    typealias F = DaemonSetFixtures
    let ds = DaemonSetView(F.daemonSet())
    let now = F.t0.addingTimeInterval(3600)

    func manage(_ nodes: [DaemonSetSync.Node], _ pods: [PodView], ds: DaemonSetView? = nil,
                backoff: [String: Date] = [:]) -> DaemonSetSync.Plan {
        DaemonSetSync.manage(ds ?? self.ds, nodes: nodes, pods: DaemonSetSync.podsByNode(pods), hash: "h1", now: now, backoffUntil: backoff)
    }

    @Test func everyEligibleNodeWithoutAPodGetsOne() {
        let plan = manage(F.eligible("a", "b", "c"), [F.pod("pb", node: "b")])
        #expect(plan.createOn == ["a", "c"])
        #expect(plan.delete.isEmpty)
    }

    @Test func aNodeWithAnUnscheduledOrTerminatingPodGetsNoSecond() {
        let plan = manage(F.eligible("a", "b"), [F.pod("pa", node: "a", bound: false), F.pod("pb", node: "b", deleting: true)])
        #expect(plan.createOn.isEmpty)
        #expect(plan.delete.isEmpty)
    }

    @Test func extraRunningPodsGoKeepingTheOldestScheduled() {
        let pods = [F.pod("new", node: "a", created: F.t0.addingTimeInterval(60)), F.pod("old", node: "a"),
                    F.pod("unbound", node: "a", created: F.t0.addingTimeInterval(-60), bound: false)]
        #expect(manage(F.eligible("a"), pods).delete.map(\.name) == ["new", "unbound"])
    }

    @Test func failedPodsAreDeletedWithAWarningThenBackedOffPerNode() {
        let pods = [F.pod("fa", node: "a", phase: "Failed"), F.pod("fb", node: "b", phase: "Failed")]
        let plan = manage(F.eligible("a", "b"), pods, backoff: ["b": now.addingTimeInterval(4)])
        #expect(plan.delete.map(\.name) == ["fa"])
        #expect(plan.failedOn == ["a"])
        #expect(plan.warnings == ["Found failed daemon pod default/fa on node a, will try to kill it"])
        #expect(plan.requeueAfter == 4)
    }

    @Test func succeededPodsAreDeleted() {
        #expect(manage(F.eligible("a"), [F.pod("done", node: "a", phase: "Succeeded")]).delete.map(\.name) == ["done"])
    }

    @Test func podsLeaveNodesTheyMayNotRunOn() {
        let nodes = [DaemonSetSync.Node(name: "a", verdict: .init(shouldRun: false, shouldContinueRunning: false)),
                     DaemonSetSync.Node(name: "b", verdict: .init(shouldRun: false, shouldContinueRunning: true))]
        let plan = manage(nodes, [F.pod("pa", node: "a"), F.pod("pb", node: "b")])
        #expect(plan.delete.map(\.name) == ["pa"])
        #expect(plan.createOn.isEmpty)
    }

    @Test func podsOfVanishedNodesGoBoundOnesAtOnce() {
        let plan = manage(F.eligible("a"), [F.pod("pa", node: "a"), F.pod("gone", node: "x"), F.pod("pending", node: "y", bound: false)])
        #expect(plan.delete.map(\.name) == ["pending"])
        #expect(plan.forceDelete.map(\.name) == ["gone"])
    }

    @Test func whileSurgingTwoPodsStayOnlyUntilTheNewOneIsAvailable() {
        let surging = DaemonSetView(F.daemonSet(maxUnavailable: 0, maxSurge: 1, minReadySeconds: 30))
        let old = F.pod("old", node: "a", hash: "h0")
        let waiting = F.pod("new", node: "a", readySince: now.addingTimeInterval(-10), created: F.t0.addingTimeInterval(60))
        #expect(manage(F.eligible("a"), [old, waiting], ds: surging).delete.isEmpty)
        let availableNew = F.pod("new", node: "a", readySince: now.addingTimeInterval(-31), created: F.t0.addingTimeInterval(60))
        #expect(manage(F.eligible("a"), [old, availableNew], ds: surging).delete.map(\.name) == ["old"])
        let notReadyOld = F.pod("old", node: "a", hash: "h0", ready: false)
        #expect(manage(F.eligible("a"), [notReadyOld, waiting], ds: surging).delete.map(\.name) == ["old"])
    }

    @Test func statusCountsTheOldestPodOfEachEligibleNode() {
        let nodes = F.eligible("a", "b", "c", "d") + [DaemonSetSync.Node(name: "e", verdict: .init(shouldRun: false, shouldContinueRunning: true))]
        let pods = [F.pod("pa", node: "a"), F.pod("pb", node: "b", hash: "h0"), F.pod("pc", node: "c", ready: false),
                    F.pod("pe", node: "e")]
        let status = DaemonSetSync.status(ds, nodes: nodes, pods: DaemonSetSync.podsByNode(pods), hash: "h1", now: now, observeGeneration: true)
        #expect(status["desiredNumberScheduled"] == 4)
        #expect(status["currentNumberScheduled"] == 3)
        #expect(status["numberReady"] == 2)
        #expect(status["numberAvailable"] == 2)
        #expect(status["numberUnavailable"] == 2)
        #expect(status["updatedNumberScheduled"] == 2)
        #expect(status["numberMisscheduled"] == 1)
        #expect(status["observedGeneration"] == 1)
        let unobserved = DaemonSetSync.status(ds, nodes: nodes, pods: [:], hash: "h1", now: now, observeGeneration: false)
        #expect(unobserved["observedGeneration"] == nil)
    }

    @Test func availabilityWaitsForMinReadySeconds() {
        let slow = DaemonSetView(F.daemonSet(minReadySeconds: 60))
        let pods = DaemonSetSync.podsByNode([F.pod("pa", node: "a", readySince: now.addingTimeInterval(-30))])
        let status = DaemonSetSync.status(slow, nodes: F.eligible("a"), pods: pods, hash: "h1", now: now, observeGeneration: true)
        #expect(status["numberReady"] == 1)
        #expect(status["numberAvailable"] == 0)
    }
}
