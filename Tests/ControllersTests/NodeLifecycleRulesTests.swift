import Foundation
import Model
import Testing
@testable import Controllers

/// The node lifecycle controller's pure rules as tables: grace arithmetic, the conditions of a
/// stale node, the taints conditions call for, zone states and rates, the token bucket.
@Suite struct NodeLifecycleRulesTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let stamp0 = Timestamp.format(t0)

    @Test(arguments: [
        // (seconds since the heartbeat was seen changing, grace, stale?)
        (0.0, 40.0, false), (39.9, 40.0, false), (40.0, 40.0, false), (40.5, 40.0, true), (300.0, 40.0, true), (10.5, 10.0, true),
    ])
    func aHeartbeatIsStaleOnlyAfterTheWholeGracePeriod(elapsed: Double, grace: Double, stale: Bool) {
        #expect(NodeHealth.isStale(probedAt: Self.t0, now: Self.t0.addingTimeInterval(elapsed), grace: grace) == stale)
    }

    @Test func theHeartbeatClockIsTheControllersAndMovesOnlyWhenTheSignatureChanges() {
        let heartbeats = NodeHeartbeats()
        #expect(heartbeats.observe("n1", signature: "a|1", now: Self.t0) == Self.t0, "first seen: a full grace period from now")
        #expect(heartbeats.observe("n1", signature: "a|1", now: Self.t0.addingTimeInterval(30)) == Self.t0)
        #expect(heartbeats.observe("n1", signature: "a|2", now: Self.t0.addingTimeInterval(35)) == Self.t0.addingTimeInterval(35))
        heartbeats.restartAll(at: Self.t0.addingTimeInterval(100))
        #expect(heartbeats.observe("n1", signature: "a|2", now: Self.t0.addingTimeInterval(101)) == Self.t0.addingTimeInterval(100))
        heartbeats.retain([])
        #expect(heartbeats.observe("n1", signature: "a|2", now: Self.t0.addingTimeInterval(102)) == Self.t0.addingTimeInterval(102))
    }

    @Test func aStaleNodesAgentConditionsBecomeUnknownAndMissingOnesAreAdded() throws {
        let conditions: [JSONValue] = [
            ["type": "Ready", "status": "True", "reason": "KubeletReady", "lastHeartbeatTime": "2027-01-01T00:00:00Z",
             "lastTransitionTime": "2026-12-01T00:00:00Z"],
            ["type": "MemoryPressure", "status": "False", "lastHeartbeatTime": "2027-01-01T00:00:00Z"],
            ["type": "CgroupsUnavailable", "status": "True"],
            ["type": "NetworkUnavailable", "status": "False"],
        ]
        let created = Self.t0.addingTimeInterval(-3600)
        let result = try #require(NodeHealth.unknownConditions(conditions, created: created, now: Self.t0))
        let byType = Dictionary(result.map { ($0["type"]?.string ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        for type in ["Ready", "MemoryPressure", "CgroupsUnavailable"] {
            #expect(byType[type]?["status"] == "Unknown")
            #expect(byType[type]?["reason"] == "NodeStatusUnknown")
            #expect(byType[type]?["message"] == "Kubelet stopped posting node status.")
            #expect(byType[type]?["lastTransitionTime"]?.string == Self.stamp0)
        }
        #expect(byType["Ready"]?["lastHeartbeatTime"] == "2027-01-01T00:00:00Z", "the last heartbeat stays what it was")
        for type in ["DiskPressure", "PIDPressure"] {
            #expect(byType[type]?["reason"] == "NodeStatusNeverUpdated")
            #expect(byType[type]?["message"] == "Kubelet never posted node status.")
            #expect(byType[type]?["lastHeartbeatTime"]?.string == Timestamp.format(created))
        }
        #expect(byType["NetworkUnavailable"]?["status"] == "False", "the control plane's condition is not the agent's")
        #expect(NodeHealth.unknownConditions(result, created: created, now: Self.t0.addingTimeInterval(5)) == nil, "already Unknown")
    }

    @Test(arguments: [
        ("True", nil), ("False", Taint.notReadyKey), ("Unknown", Taint.unreachableKey), (nil, nil),
    ] as [(String?, String?)])
    func theReadyStatusChoosesTheNoExecuteTaint(ready: String?, key: String?) {
        #expect(NodeTaintRules.noExecuteTaint(readyStatus: ready)?.key == key)
        #expect(NodeTaintRules.noExecuteTaint(readyStatus: ready)?.effect ?? "NoExecute" == "NoExecute")
    }

    @Test(arguments: [
        ([("Ready", "True")], false, [String]()),
        ([("Ready", "False")], false, [Taint.notReadyKey]),
        ([("Ready", "Unknown"), ("MemoryPressure", "Unknown")], false, [Taint.unreachableKey]),
        ([("Ready", "True"), ("MemoryPressure", "True"), ("DiskPressure", "True"), ("PIDPressure", "True")], false,
         [Taint.memoryPressureKey, Taint.diskPressureKey, Taint.pidPressureKey]),
        ([("Ready", "True"), ("NetworkUnavailable", "True")], true, [Taint.networkUnavailableKey, Taint.unschedulableKey]),
    ] as [([(String, String)], Bool, [String])])
    func conditionsAndACordonChooseTheNoScheduleTaints(conditions: [(String, String)], unschedulable: Bool, keys: [String]) {
        let views = conditions.map { ConditionView(["type": .string($0.0), "status": .string($0.1)]) }
        let taints = NodeTaintRules.noScheduleTaints(conditions: views, unschedulable: unschedulable)
        #expect(taints.map(\.key) == keys)
        #expect(taints.allSatisfy { $0.effect == "NoSchedule" })
    }

    @Test func editingTaintsKeepsOtherEntriesWholeAndStampsTheNewOnes() {
        let entries: [JSONValue] = [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"],
                                    ["key": .string(Taint.notReadyKey), "effect": "NoExecute", "timeAdded": "2026-01-01T00:00:00Z"]]
        let edited = NodeTaintRules.edit(entries, add: [NodeTaintRules.unreachableNoExecute, Taint(key: "dedicated", value: "x", effect: "NoSchedule")],
                                         remove: [NodeTaintRules.notReadyNoExecute], now: Self.t0)
        #expect(edited == [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"],
                           ["key": .string(Taint.unreachableKey), "effect": "NoExecute", "timeAdded": .string(Self.stamp0)]],
                "a taint of the same key and effect is already there, whatever its value")
    }

    @Test(arguments: [
        // (ready, not ready, state)
        (10, 0, ZoneState.normal), (0, 0, .normal), (0, 1, .fullDisruption), (0, 5, .fullDisruption),
        (1, 2, .normal),               // at most two not ready never disrupts a zone
        (2, 3, .partialDisruption),    // 3/5 = 0.6 ≥ 0.55
        (45, 55, .partialDisruption),  // 0.55 exactly
        (46, 54, .normal),             // 0.54
        (90, 10, .normal),
    ])
    func zonesAreDisruptedByTheShareOfNodesNotReady(ready: Int, notReady: Int, state: ZoneState) {
        #expect(ZoneRules.state(ready: ready, notReady: notReady, unhealthyThreshold: 0.55) == state)
    }

    @Test(arguments: [
        // (state, zone size, every zone down, rate)
        (ZoneState.normal, 100, false, 0.1), (.fullDisruption, 10, false, 0.1), (.partialDisruption, 50, false, 0.0),
        (.partialDisruption, 51, false, 0.01), (.fullDisruption, 10, true, 0.0), (.normal, 10, true, 0.0),
    ])
    func evictionRatesFollowTheZoneState(state: ZoneState, size: Int, everyZoneDown: Bool, rate: Double) {
        #expect(ZoneRules.evictionRate(state, zoneSize: size, everyZoneDown: everyZoneDown, options: NodeLifecycleOptions()) == rate)
    }

    @Test func theTokenBucketHandsOutTokensAtItsRate() {
        var bucket = TokenBucket(rate: 0.1, now: Self.t0)
        // (seconds after t0, a new rate to set first, token?)
        let steps: [(Double, Double?, Bool)] = [
            (0, nil, true),        // a new bucket starts full
            (1, nil, false), (10, nil, true), (10, nil, false),
            (100, nil, true),      // burst 1: a long wait still gives one token…
            (100, nil, false),     // …not ten
            (1000, 0, false),      // rate 0 refuses everything, even the token that accrued before
            (1001, 1, true),       // which is there once the rate is back
            (1001.5, nil, false), (1002.5, nil, true),
        ]
        var taken: [Bool] = []
        for (seconds, rate, _) in steps {
            let now = Self.t0.addingTimeInterval(seconds)
            if let rate { bucket.setRate(rate, at: now) }
            taken.append(bucket.take(at: now))
        }
        #expect(taken == steps.map(\.2))
        var fresh = TokenBucket(rate: 0.1, now: Self.t0)
        _ = fresh.take(at: Self.t0)
        #expect(fresh.secondsUntilToken(at: Self.t0.addingTimeInterval(1)).map { abs($0 - 9) < 1e-9 } == true)
        fresh.setRate(0, at: Self.t0.addingTimeInterval(1))
        #expect(fresh.secondsUntilToken(at: Self.t0.addingTimeInterval(2)) == nil)
    }
}
