import Foundation
import Model
import Testing
@testable import Controllers

/// The DaemonSet RollingUpdate steps (upstream's rollingUpdate) as tables.
@Suite struct DaemonSetRolloutTests {
    typealias F = DaemonSetFixtures
    let now = F.t0.addingTimeInterval(3600)

    func step(_ ds: JSONValue, _ nodes: [DaemonSetSync.Node], _ pods: [PodView]) -> DaemonSetSync.Plan {
        DaemonSetRollout.plan(DaemonSetView(ds), nodes: nodes, pods: DaemonSetSync.podsByNode(pods), hash: "h1", now: now)
    }

    @Test func boundsScaleAgainstDesiredNodesRoundingUp() {
        let rows: [(JSONValue, JSONValue, Int, (Int, Int))] = [
            (1, 0, 10, (0, 1)), ("10%", 0, 5, (0, 1)), ("34%", 0, 3, (0, 2)), ("50%", 0, 0, (0, 1)),
            (0, "25%", 10, (3, 0)), (0, 0, 5, (0, 1)), (2, 1, 5, (1, 2)),
        ]
        for (unavailable, surge, desired, expected) in rows {
            let ds = DaemonSetView(F.daemonSet(maxUnavailable: unavailable, maxSurge: surge))
            let got = DaemonSetRollout.bounds(ds, desired: desired)
            #expect(got == expected, "\(unavailable)/\(surge) of \(desired): \(got)")
        }
    }

    @Test func withoutSurgeOldPodsGoWhileFewerThanMaxUnavailableNodesAreDown() {
        let nodes = F.eligible("a", "b", "c", "d")
        let old = ["a", "b", "c", "d"].map { F.pod("old-\($0)", node: $0, hash: "h0") }
        #expect(step(F.daemonSet(maxUnavailable: 1), nodes, old).delete.map(\.name) == ["old-a"])
        #expect(step(F.daemonSet(maxUnavailable: "50%"), nodes, old).delete.map(\.name) == ["old-a", "old-b"])
        // Node a is being replaced (no pod yet: unavailable): nothing more goes.
        #expect(step(F.daemonSet(maxUnavailable: 1), nodes, Array(old.dropFirst())).delete.isEmpty)
        // A new pod that is not yet ready also counts against the budget.
        let updating = [F.pod("new-a", node: "a", ready: false)] + old.dropFirst()
        #expect(step(F.daemonSet(maxUnavailable: 1), nodes, updating).delete.isEmpty)
        let updated = [F.pod("new-a", node: "a")] + old.dropFirst()
        #expect(step(F.daemonSet(maxUnavailable: 1), nodes, updated).delete.map(\.name) == ["old-b"])
    }

    @Test func anUnavailableOldPodIsReplacedWhateverTheBudget() {
        let nodes = F.eligible("a", "b")
        let pods = [F.pod("new-a", node: "a", ready: false), F.pod("old-b", node: "b", hash: "h0", ready: false)]
        #expect(step(F.daemonSet(maxUnavailable: 1), nodes, pods).delete.map(\.name) == ["old-b"])
    }

    @Test func onDeleteNeverDeletes() {
        let pods = [F.pod("old-a", node: "a", hash: "h0")]
        #expect(step(F.daemonSet(onDelete: true), F.eligible("a"), pods) == DaemonSetSync.Plan())
    }

    @Test func withSurgeNewPodsStartBesideOldOnesAndOldOnesGoOnceReplaced() {
        let ds = F.daemonSet(maxUnavailable: 0, maxSurge: 1)
        let nodes = F.eligible("a", "b", "c")
        let old = ["a", "b", "c"].map { F.pod("old-\($0)", node: $0, hash: "h0") }
        #expect(step(ds, nodes, old).createOn == ["a"])
        #expect(step(ds, nodes, old).delete.isEmpty)
        // a surging (new pod not ready): no further node.
        let surging = old + [F.pod("new-a", node: "a", ready: false, created: F.t0.addingTimeInterval(60))]
        #expect(step(ds, nodes, surging).createOn.isEmpty)
        // a's new pod is available: its old pod goes and b may surge.
        let replaced = old + [F.pod("new-a", node: "a", created: F.t0.addingTimeInterval(60))]
        let plan = step(ds, nodes, replaced)
        #expect(plan.delete.map(\.name) == ["old-a"])
        #expect(plan.createOn == ["b"])
        // An unavailable old pod may always get its replacement; a node holding only a new pod
        // (not ready) is not surging, so b may still surge.
        let broken = [F.pod("old-a", node: "a", hash: "h0", ready: false), F.pod("old-b", node: "b", hash: "h0"),
                      F.pod("new-c", node: "c", ready: false)]
        #expect(step(ds, nodes, broken).createOn == ["a", "b"])
        let surgingC = broken + [F.pod("old-c", node: "c", hash: "h0")]
        #expect(step(ds, nodes, surgingC).createOn == ["a"])
    }
}
