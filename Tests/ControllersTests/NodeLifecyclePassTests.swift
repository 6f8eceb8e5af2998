import Foundation
import Model
import Testing
@testable import Controllers

/// Nodes as the node lifecycle controller's tests need them.
enum NodeFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func node(_ name: String, ready: String? = "True", zone: String? = nil, taints: [JSONValue] = [],
                     unschedulable: Bool = false, labels: [String: String] = [:], heartbeat: Date = t0) -> JSONValue {
        var allLabels = labels
        if let zone { allLabels["topology.kubernetes.io/zone"] = zone }
        var spec: JSONValue = .emptyObject
        if !taints.isEmpty { spec["taints"] = .array(taints) }
        if unschedulable { spec["unschedulable"] = true }
        var status: JSONValue = .emptyObject
        if let ready {
            status["conditions"] = [["type": "Ready", "status": .string(ready), "reason": "KubeletReady",
                                     "lastHeartbeatTime": .string(Timestamp.format(heartbeat)),
                                     "lastTransitionTime": .string(Timestamp.format(t0.addingTimeInterval(-3600)))],
                                    ["type": "MemoryPressure", "status": "False", "lastHeartbeatTime": .string(Timestamp.format(heartbeat))],
                                    ["type": "DiskPressure", "status": "False"], ["type": "PIDPressure", "status": "False"]]
        }
        return ["apiVersion": "v1", "kind": "Node",
                "metadata": ["name": .string(name), "uid": .string("uid-\(name)"), "labels": .stringMap(allLabels),
                             "creationTimestamp": .string(Timestamp.format(t0.addingTimeInterval(-7200)))],
                "spec": spec, "status": status]
    }

    static func taint(_ key: String, _ effect: String, added: Date = t0) -> JSONValue {
        ["key": .string(key), "effect": .string(effect), "timeAdded": .string(Timestamp.format(added))]
    }
}

/// `NodeLifecyclePass.plan` as tables: stale nodes, taints, rate limits and zone states.
@Suite struct NodeLifecyclePassTests {
    typealias F = NodeFixtures
    let t0 = NodeFixtures.t0
    let options = NodeLifecycleOptions()

    /// Nodes heard from at `t0` (or `probedAt`) planned at `t0 + elapsed`.
    func plan(_ nodes: [(JSONValue, Double)], elapsed: Double, wasDown: Bool = false,
              buckets: inout [String: TokenBucket]) -> NodeLifecyclePass {
        NodeLifecyclePass.plan(nodes.map { NodeSnapshot(node: NodeView($0.0), probedAt: t0.addingTimeInterval($0.1)) },
                               now: t0.addingTimeInterval(elapsed), options: options, wasEveryZoneDown: wasDown, buckets: &buckets)
    }

    func keys(_ change: NodeChange?) -> [String] {
        (change?.taints ?? []).compactMap { Taint(json: $0).map { "\($0.key):\($0.effect)" } }.sorted()
    }

    @Test func aNodeSilentForTheGracePeriodBecomesUnknownAndIsTaintedUnreachable() {
        var buckets: [String: TokenBucket] = [:]
        let fresh = plan([(F.node("a"), 0), (F.node("b"), 30)], elapsed: 40, buckets: &buckets)
        #expect(fresh.changes.isEmpty, "40 s is still within the grace period")
        let pass = plan([(F.node("a"), 0), (F.node("b"), 30), (F.node("c"), 30)], elapsed: 41, buckets: &buckets)
        #expect(pass.changes.map(\.name) == ["a"])
        let change = pass.changes.first
        #expect(change?.becameUnknown == true)
        #expect(change?.conditions?.first?["status"] == "Unknown")
        #expect(keys(change) == ["\(Taint.unreachableKey):NoExecute", "\(Taint.unreachableKey):NoSchedule"])
        #expect(pass.zoneStates == ["": .normal])
    }

    @Test func anAgentReportingNotReadyGetsTheNotReadyTaints() {
        var buckets: [String: TokenBucket] = [:]
        let pass = plan([(F.node("a", ready: "False"), 0), (F.node("b"), 0)], elapsed: 1, buckets: &buckets)
        #expect(pass.changes.first?.conditions == nil, "the agent is alive: its conditions stay its own")
        #expect(keys(pass.changes.first) == ["\(Taint.notReadyKey):NoExecute", "\(Taint.notReadyKey):NoSchedule"])
    }

    @Test func aNodeThatComesBackLosesItsTaintsAndKeepsOthers() {
        var buckets: [String: TokenBucket] = [:]
        let tainted = F.node("a", taints: [F.taint(Taint.unreachableKey, "NoExecute"), F.taint(Taint.unreachableKey, "NoSchedule"),
                                           ["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]])
        let pass = plan([(tainted, 100)], elapsed: 101, buckets: &buckets)
        #expect(keys(pass.changes.first) == ["dedicated:NoSchedule"])
    }

    @Test func noExecuteTaintsAreRateLimitedPerZoneOldestFirst() {
        var buckets: [String: TokenBucket] = [:]
        let nodes = [(F.node("a"), 5.0), (F.node("b"), 0), (F.node("c"), 100), (F.node("d"), 100), (F.node("e"), 100),
                     (F.node("z1", zone: "z"), 0), (F.node("z2", zone: "z"), 100)]
        let first = plan(nodes, elapsed: 60, buckets: &buckets)
        let noExecute = { (pass: NodeLifecyclePass) in
            pass.changes.filter { self.keys($0).contains("\(Taint.unreachableKey):NoExecute") }.map(\.name)
        }
        #expect(Set(first.changes.map(\.name)) == ["a", "b", "z1"], "all three are Unknown and NoSchedule-tainted at once")
        #expect(noExecute(first) == ["b", "z1"], "one token per zone, the longest silent node first")
        #expect(abs(first.requeueAfter - 5) < 1e-9, "the monitor period comes before the zone's next token")
        // a is now Unknown with the NoSchedule taint only; 10 s later the zone has a token for it.
        let a = F.node("a", ready: "Unknown", taints: [F.taint(Taint.unreachableKey, "NoSchedule")])
        let b = F.node("b", ready: "Unknown", taints: [F.taint(Taint.unreachableKey, "NoSchedule"), F.taint(Taint.unreachableKey, "NoExecute")])
        let rest = Array(nodes[2..<5])
        let early = plan([(a, 5), (b, 0)] + rest, elapsed: 65, buckets: &buckets)
        #expect(noExecute(early).isEmpty)
        let later = plan([(a, 5), (b, 0)] + rest, elapsed: 70, buckets: &buckets)
        #expect(noExecute(later) == ["a"])
    }

    @Test func swappingNotReadyForUnreachableIsImmediateEvenWithoutTokens() {
        var buckets = ["": TokenBucket(rate: 0, now: t0)]
        _ = buckets[""]?.take(at: t0)
        let node = F.node("a", ready: "False", taints: [F.taint(Taint.notReadyKey, "NoExecute"), F.taint(Taint.notReadyKey, "NoSchedule")])
        let pass = plan([(node, 0), (F.node("b"), 60), (F.node("c"), 60)], elapsed: 60, buckets: &buckets)
        #expect(keys(pass.changes.first) == ["\(Taint.unreachableKey):NoExecute", "\(Taint.unreachableKey):NoSchedule"])
    }

    @Test func aPartlyDisruptedSmallZoneStopsEvictingAndALargeOneSlowsDown() {
        var buckets: [String: TokenBucket] = [:]
        // 3 of 5 silent: 60% ≥ 55% of a zone of 5 (≤ 50 nodes): no NoExecute taint at all.
        let small = (0..<5).map { (F.node("n\($0)"), $0 < 3 ? 0.0 : 60.0) }
        let pass = plan(small, elapsed: 60, buckets: &buckets)
        #expect(pass.zoneStates == ["": .partialDisruption])
        #expect(pass.changes.count == 3 && pass.changes.allSatisfy { !keys($0).contains("\(Taint.unreachableKey):NoExecute") })
        // 60 of 100 silent: the secondary rate, 0.01/s, still lets one through now (a full bucket).
        var large: [String: TokenBucket] = [:]
        let big = (0..<100).map { (F.node("n\($0)"), $0 < 60 ? 0.0 : 60.0) }
        let bigPass = plan(big, elapsed: 60, buckets: &large)
        #expect(bigPass.changes.filter { keys($0).contains("\(Taint.unreachableKey):NoExecute") }.count == 1)
        #expect(large[""]?.rate == 0.01)
    }

    @Test func whenEveryZoneIsDownNothingIsEvictedAndNoExecuteTaintsAreLifted() {
        var buckets: [String: TokenBucket] = [:]
        let tainted = F.node("a", ready: "Unknown", zone: "x", taints: [F.taint(Taint.unreachableKey, "NoExecute")])
        let down = plan([(tainted, 0), (F.node("b", zone: "y"), 0)], elapsed: 60, buckets: &buckets)
        #expect(down.everyZoneDown)
        #expect(down.zoneStates == [":\u{0}:x": .fullDisruption, ":\u{0}:y": .fullDisruption])
        #expect(down.changes.allSatisfy { !keys($0).contains("\(Taint.unreachableKey):NoExecute") })
        #expect(down.changes.map(\.name) == ["a", "b"], "a loses its NoExecute taint, b becomes Unknown")
        // One zone comes back: the heartbeat clocks restart and this pass still taints nothing.
        let back = plan([(F.node("a", ready: "Unknown", zone: "x"), 0), (F.node("b", zone: "y"), 61)], elapsed: 62, wasDown: true,
                        buckets: &buckets)
        #expect(!back.everyZoneDown && back.restartHeartbeats)
        #expect(back.changes.allSatisfy { !keys($0).contains("\(Taint.unreachableKey):NoExecute") })
    }

    @Test func aCordonAddsTheUnschedulableTaint() {
        var buckets: [String: TokenBucket] = [:]
        let pass = plan([(F.node("a", unschedulable: true), 0)], elapsed: 1, buckets: &buckets)
        #expect(keys(pass.changes.first) == ["\(Taint.unschedulableKey):NoSchedule"])
        let uncordoned = plan([(F.node("a", taints: [F.taint(Taint.unschedulableKey, "NoSchedule")]), 0)], elapsed: 2, buckets: &buckets)
        #expect(uncordoned.changes.first?.taints == [])
    }

    @Test func aNodeWithoutAReadyConditionKeepsItsNoExecuteTaintsUntilItIsJudged() {
        var buckets: [String: TokenBucket] = [:]
        let fresh = F.node("a", ready: nil, taints: [F.taint(Taint.notReadyKey, "NoExecute")])
        #expect(plan([(fresh, 0), (F.node("b"), 0)], elapsed: 1, buckets: &buckets).changes.isEmpty)
    }

    @Test func excludedNodesCountInNoZone() {
        var buckets: [String: TokenBucket] = [:]
        let excluded = F.node("a", labels: [NodeLifecyclePass.excludeDisruptionLabel: ""])
        let pass = plan([(excluded, 0), (F.node("b"), 60)], elapsed: 60, buckets: &buckets)
        #expect(pass.zoneStates == ["": .normal])
        #expect(keys(pass.changes.first).contains("\(Taint.unreachableKey):NoExecute"))
    }
}
