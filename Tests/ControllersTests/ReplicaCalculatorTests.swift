import Controllers
import Foundation
import Model
import Testing

/// Upstream's replica_calculator as a table: pods of 100m cpu requests, usage in millicores.
@Suite struct ReplicaCalculatorTests {
    typealias F = AutoscalingFixture
    static let calculator = ReplicaCalculator()

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var current: Int
        var target: Int64 = 50
        var pods: [PodView]
        var usage: [String: Int64]
        var replicas: Int
        var utilization: Int64
    }

    static let cases: [Case] = [
        // 150m of 300m requested = 50% = the target.
        Case(description: "at the target", current: 3, pods: [F.pod("a"), F.pod("b"), F.pod("c")], usage: ["a": 50, "b": 50, "c": 50],
             replicas: 3, utilization: 50),
        // 54% / 50% = 1.08: within the 10% tolerance.
        Case(description: "within the tolerance", current: 3, pods: [F.pod("a"), F.pod("b"), F.pod("c")], usage: ["a": 54, "b": 54, "c": 54],
             replicas: 3, utilization: 54),
        // 100% / 50% = 2 → ⌈2 × 3⌉ = 6.
        Case(description: "twice the target", current: 3, pods: [F.pod("a"), F.pod("b"), F.pod("c")],
             usage: ["a": 100, "b": 100, "c": 100], replicas: 6, utilization: 100),
        // 10% / 50% = 0.2 → ⌈0.6⌉ = 1.
        Case(description: "far below", current: 3, pods: [F.pod("a"), F.pod("b"), F.pod("c")], usage: ["a": 10, "b": 10, "c": 10],
             replicas: 1, utilization: 10),
        // Scale-up: c has no metric and counts as 0%: 200m of 300m = 66% → 1.32 → ⌈3.96⌉ = 4 (not ⌈2 × 2⌉ = 4 by luck: 6 without c).
        Case(description: "a pod missing metrics counts as 0% on a scale-up", current: 3, pods: [F.pod("a"), F.pod("b"), F.pod("c")],
             usage: ["a": 100, "b": 100], replicas: 4, utilization: 100),
        // Scale-down (target 80%): c, d missing count as 100% of their request: (10+10+100+100)/400 = 55% → 0.6875 → ⌈2.75⌉ = 3.
        Case(description: "pods missing metrics count as 100% on a scale-down", current: 4, target: 80,
             pods: [F.pod("a"), F.pod("b"), F.pod("c"), F.pod("d")], usage: ["a": 10, "b": 10], replicas: 3, utilization: 10),
        // Scale-down where the missing pods reverse the direction: (20+20+100)/300 = 46% vs 50% → within tolerance → keep 3.
        Case(description: "missing pods that reverse a scale-down keep the count", current: 3, pods: [F.pod("a"), F.pod("b"), F.pod("c")],
             usage: ["a": 20, "b": 20], replicas: 3, utilization: 20),
        // Unready c is left out, then counts as 0% on the scale-up: 200/300 = 66% → ⌈3.96⌉ = 4.
        Case(description: "an unready pod counts as 0% on a scale-up", current: 3,
             pods: [F.pod("a"), F.pod("b"), F.pod("c", ready: "False", startedAt: -60)], usage: ["a": 100, "b": 100, "c": 0],
             replicas: 4, utilization: 100),
        // On a scale-down an unready pod is simply left out: 20/200 = 10% → ⌈0.2 × 2⌉ = 1.
        Case(description: "an unready pod is ignored on a scale-down", current: 3,
             pods: [F.pod("a"), F.pod("b"), F.pod("c", ready: "False", startedAt: -60)], usage: ["a": 10, "b": 10, "c": 90],
             replicas: 1, utilization: 10),
        // c started 30 s ago and turned ready 3 s ago; its sample (5 s ago, 10 s window) predates a full window: ignored,
        // then 0% on the scale-up (→ 4), where counting its 500m would give ⌈2.33 × 3⌉ = 14... (700/300 = 233%).
        Case(description: "a starting pod's sample from before a full window is ignored", current: 3,
             pods: [F.pod("a"), F.pod("b"), F.pod("c", readySince: -3, startedAt: -30)], usage: ["a": 100, "b": 100, "c": 500],
             replicas: 4, utilization: 100),
        // Pending pods count as unready.
        Case(description: "a pending pod counts as unready", current: 3,
             pods: [F.pod("a"), F.pod("b"), F.pod("c", phase: "Pending", ready: nil)], usage: ["a": 100, "b": 100],
             replicas: 4, utilization: 100),
        // Deleting pods are ignored altogether: 200/200 = 100% → ⌈2 × 2⌉ = 4.
        Case(description: "a deleting pod is ignored", current: 3, pods: [F.pod("a"), F.pod("b"), F.pod("c", deleting: true)],
             usage: ["a": 100, "b": 100, "c": 0], replicas: 4, utilization: 100),
    ]

    @Test(arguments: cases)
    func utilizationProposals(_ c: Case) throws {
        let proposal = try Self.calculator.utilizationReplicas(current: c.current, targetUtilization: c.target, resource: "cpu",
                                                                container: nil, pods: c.pods, metrics: F.metrics(c.usage), now: F.now)
        #expect(proposal.replicas == c.replicas)
        #expect(proposal.utilization == c.utilization)
    }

    @Test func theRawAverageIsTheMeanUsageOfTheCountedPods() throws {
        let proposal = try Self.calculator.utilizationReplicas(current: 2, targetUtilization: 50, resource: "cpu", container: nil,
                                                                pods: [F.pod("a"), F.pod("b")], metrics: F.metrics(["a": 30, "b": 60]), now: F.now)
        #expect(proposal.rawAverage == 45)
        #expect(proposal.utilization == 45)   // 90m of 200m
    }

    @Test func anAverageValueTargetComparesTheMeanUsage() throws {
        let mi: Int64 = 1_048_576 * 1000   // one MiB in millibytes
        let pods = [F.pod("a", memory: "256Mi"), F.pod("b", memory: "256Mi")]
        // 150Mi average / 100Mi = 1.5 → ⌈1.5 × 2⌉ = 3.
        let proposal = try Self.calculator.averageValueReplicas(current: 2, targetAverage: 100 * mi, resource: "memory", container: nil,
                                                                 pods: pods, metrics: F.metrics(["a": 150 * mi, "b": 150 * mi]), now: F.now)
        #expect(proposal.replicas == 3)
        #expect(proposal.rawAverage == 150 * mi)
        #expect(proposal.utilization == nil)
    }

    @Test(arguments: [
        ([PodView](), ["a": Int64(1)], "no pods returned by selector while calculating replica count"),
        ([F.pod("a", ready: "False", startedAt: -60)], ["a": 10], "did not receive metrics for targeted pods (pods might be unready)"),
    ])
    func refusals(_ pods: [PodView], _ usage: [String: Int64], _ message: String) {
        #expect(throws: ReplicaCalculationError(message)) {
            try Self.calculator.utilizationReplicas(current: 1, targetUtilization: 50, resource: "cpu", container: nil, pods: pods,
                                                    metrics: F.metrics(usage), now: F.now)
        }
    }

    @Test func aPodWithoutARequestForTheResourceIsAnError() {
        #expect(throws: ReplicaCalculationError("missing request for memory in container main of Pod a")) {
            try Self.calculator.utilizationReplicas(current: 1, targetUtilization: 50, resource: "memory", container: nil,
                                                    pods: [F.pod("a")], metrics: F.metrics(["a": 10]), now: F.now)
        }
    }

    @Test func podMetricsAreSummedOverContainersInMilliUnits() throws {
        var list = F.podMetricsList(["a": 120])
        list["items"] = [["metadata": ["name": "a"], "timestamp": "2027-01-15T08:00:00Z", "window": "10.5s",
                          "containers": [["name": "main", "usage": ["cpu": "120000000n", "memory": "1024Ki"]],
                                         ["name": "side", "usage": ["cpu": "30m", "memory": "1Mi"]]]]]
        let cpu = try PodMetricsReading.values(list, resource: "cpu", container: nil)
        #expect(cpu["a"]?.value == 150)
        #expect(cpu["a"]?.window == 10.5)
        #expect(try PodMetricsReading.values(list, resource: "cpu", container: "side")["a"]?.value == 30)
        #expect(try PodMetricsReading.values(list, resource: "memory", container: nil)["a"]?.value == 2 * 1_048_576 * 1000)
        #expect(try PodMetricsReading.values(list, resource: "gpu", container: nil).isEmpty)
        #expect(throws: ReplicaCalculationError("no metrics returned from resource metrics API")) {
            try PodMetricsReading.values(["items": []], resource: "cpu", container: nil)
        }
    }
}
