import Foundation
import Model
import Testing
@testable import Controllers

/// The taint eviction controller's decisions as tables (upstream's processPodOnNode and
/// getMinTolerationTime), with the times in the comments.
@Suite struct TaintEvictionRulesTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let unreachable = Taint(key: Taint.unreachableKey, effect: "NoExecute")
    static let notReady = Taint(key: Taint.notReadyKey, effect: "NoExecute")
    static let custom = Taint(key: "maintenance", value: "yes", effect: "NoExecute")

    static func tolerate(_ key: String, seconds: Int64?) -> Toleration {
        Toleration(key: key, op: .exists, effect: "NoExecute", seconds: seconds)
    }

    typealias Row = (name: String, taints: [(Taint, Double)], tolerations: [Toleration], now: Double, expected: TaintEviction.Decision)

    static let rows: [Row] = [
        ("no taint, nothing to do", [], [], 0, .keep),
        ("untolerated: at once", [(unreachable, 0)], [], 0, .evict),
        ("tolerated for ever", [(unreachable, 0)], [tolerate(Taint.unreachableKey, seconds: nil)], 1000, .keep),
        ("300 s from the taint at t0", [(unreachable, 0)], [tolerate(Taint.unreachableKey, seconds: 300)], 100, .evictAt(t0.addingTimeInterval(300))),
        ("300 s are over at t0+300", [(unreachable, 0)], [tolerate(Taint.unreachableKey, seconds: 300)], 300, .evict),
        ("zero seconds is none", [(unreachable, 0)], [tolerate(Taint.unreachableKey, seconds: 0)], 0, .evict),
        ("negative seconds too", [(unreachable, 0)], [tolerate(Taint.unreachableKey, seconds: -5)], 0, .evict),
        ("each taint from its own time: min(0+300, 50+60) = 110", [(unreachable, 0), (custom, 50)],
         [tolerate(Taint.unreachableKey, seconds: 300), tolerate("maintenance", seconds: 60)], 60, .evictAt(t0.addingTimeInterval(110))),
        ("one taint untolerated among tolerated ones", [(unreachable, 0), (custom, 0)], [tolerate(Taint.unreachableKey, seconds: nil)], 0, .evict),
        ("the first matching toleration decides", [(unreachable, 0)],
         [Toleration(op: .exists), tolerate(Taint.unreachableKey, seconds: 10)], 1000, .keep),
        ("a forever toleration and a limited one: the limited one counts", [(unreachable, 0), (notReady, 0)],
         [tolerate(Taint.unreachableKey, seconds: nil), tolerate(Taint.notReadyKey, seconds: 30)], 0, .evictAt(t0.addingTimeInterval(30))),
        ("a value mismatch does not tolerate", [(custom, 0)], [Toleration(key: "maintenance", value: "no", effect: "NoExecute")], 0, .evict),
    ]

    @Test(arguments: rows.indices)
    func tolerationsDecideWhenAPodGoes(_ i: Int) {
        let row = Self.rows[i]
        let taints = row.taints.map { TaintEviction.TaintSince(taint: $0.0, since: Self.t0.addingTimeInterval($0.1)) }
        #expect(TaintEviction.decide(taints, tolerations: row.tolerations, now: Self.t0.addingTimeInterval(row.now)) == row.expected, "\(row.name)")
    }

    @Test func aPodArrivesWhenScheduledOrElseWhenCreated() {
        let created = Self.t0.addingTimeInterval(-60)
        let scheduled = PodView(["metadata": ["creationTimestamp": .string(Timestamp.format(created))],
                                 "status": ["conditions": [["type": "PodScheduled", "status": "True",
                                                            "lastTransitionTime": .string(Timestamp.format(Self.t0))]]]])
        #expect(TaintEviction.arrival(of: scheduled) == Self.t0)
        #expect(TaintEviction.arrival(of: PodView(["metadata": ["creationTimestamp": .string(Timestamp.format(created))]])) == created)
    }

    @Test(arguments: [
        // (deleting, phase, node taint, finish at)
        (true, "Running", unreachable, 30.0 as Double?), (false, "Running", unreachable, nil), (true, "Running", notReady, nil),
        (true, "Failed", unreachable, nil), (true, "Pending", unreachable, 30.0),
    ] as [(Bool, String, Taint, Double?)])
    func aDeletionOnAnUnreachableNodeIsFinishedAtTheEndOfItsGrace(deleting: Bool, phase: String, taint: Taint, finish: Double?) {
        var metadata: JSONValue = ["name": "p"]
        if deleting { metadata["deletionTimestamp"] = .string(Timestamp.format(Self.t0.addingTimeInterval(30))) }
        let pod = PodView(["metadata": metadata, "status": ["phase": .string(phase)]])
        #expect(TaintEviction.finishDeletionAt(pod, nodeTaints: [taint]) == finish.map { Self.t0.addingTimeInterval($0) })
    }
}
