import Model
import Scheduling
import Testing

@Suite struct ProfileTests {
    // busy: 3000m of 4000m cpu and 6Gi of 8Gi in use; idle: nothing in use. The pod asks 500m, 1Gi.
    static let busy = Fixture.node("busy", requested: ResourceAmounts(milliCPU: 3000, memory: 6 << 30, pods: 3))
    static let idle = Fixture.node("idle")
    static let pod = Fixture.pod(containers: [["cpu": "500m", "memory": "1Gi"]])

    @Test func mostAllocatedPacksAndLeastAllocatedSpreads() {
        // MostAllocated  busy: cpu 3500·100/4000 = 87, memory 7Gi·100/8Gi = 87 → 87
        //                idle: cpu  500·100/4000 = 12, memory 1Gi·100/8Gi = 12 → 12
        #expect(MostAllocated().score(pod: Self.pod, node: Self.busy) == 87)
        #expect(MostAllocated().score(pod: Self.pod, node: Self.idle) == 12)
        // LeastAllocated busy: (4000−3500)·100/4000 = 12, (8Gi−7Gi)·100/8Gi = 12 → 12
        //                idle: (4000−500)·100/4000 = 87, (8Gi−1Gi)·100/8Gi = 87 → 87
        #expect(LeastAllocated().score(pod: Self.pod, node: Self.busy) == 12)
        #expect(LeastAllocated().score(pod: Self.pod, node: Self.idle) == 87)
        #expect(Profile.binPacking.schedule(Self.pod, nodes: [Self.idle, Self.busy], tieBreak: .firstByName) == .bind(node: "busy"))
        #expect(Profile.spreading.schedule(Self.pod, nodes: [Self.busy, Self.idle], tieBreak: .firstByName) == .bind(node: "idle"))
    }

    @Test func resourceWeightsTiltTheMean() {
        // cpu 2000m of 4000m after the pod = 50, memory 8Gi of 8Gi = 100.
        let node = Fixture.node("n", requested: ResourceAmounts(milliCPU: 1500, memory: 7 << 30))
        #expect(MostAllocated().score(pod: Self.pod, node: node) == 75)                       // (50 + 100) / 2
        let cpuHeavy = MostAllocated(weights: [ResourceWeight(.cpu, weight: 3), ResourceWeight(.memory)])
        #expect(cpuHeavy.score(pod: Self.pod, node: node) == 62)                              // (3·50 + 100) / 4 = 62.5
        // A GPU weight is ignored on a node without GPUs instead of dragging its score to 0.
        let gpuToo = MostAllocated(weights: ResourceWeight.cpuAndMemory + [ResourceWeight(.extended("example.com/gpu"), weight: 5)])
        #expect(gpuToo.score(pod: Self.pod, node: node) == 75)
    }

    @Test func mixedRejectionsMakeUpstreamsMessage() {
        let hungry = Fixture.pod(containers: [["cpu": "3"]])
        let full = ResourceAmounts(milliCPU: 2000, pods: 1)
        let gpu = Taint(key: "dedicated", value: "gpu", effect: "NoSchedule")
        let nodes = [Fixture.node("a", requested: full), Fixture.node("b", requested: full), Fixture.node("c", requested: full),
                     Fixture.node("d", taints: [gpu]), Fixture.node("e", taints: [gpu])]
        // Each node counts the first filter that rejects it; taints are checked before resources,
        // so d and e (also short of nothing) count only the taint. Sorted as strings, as upstream.
        #expect(Profile.binPacking.schedule(hungry, nodes: nodes, tieBreak: .firstByName)
            == .unschedulable(message: "0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu."))
    }

    @Test func messageSortsCountAndReasonAsOneString() {
        var message = UnschedulableMessage(nodeCount: 13)
        for _ in 0..<10 { message.record(["Insufficient memory"]) }
        message.record(["node(s) were not ready"])
        message.record(["node(s) were not ready"])
        message.record(["Too many pods", "Insufficient cpu"])
        // "1 I" < "1 T" < "10 " < "2 n": bytewise, like Go's sort.Strings.
        #expect(message.description
            == "0/13 nodes are available: 1 Insufficient cpu, 1 Too many pods, 10 Insufficient memory, 2 node(s) were not ready.")
        #expect(Profile.binPacking.schedule(Self.pod, nodes: [], tieBreak: .firstByName)
            == .unschedulable(message: "no nodes available to schedule pods"))
    }

    @Test func samplingStillFindsTheOnlyFeasibleNodeAmongThousands() {
        var nodes = (0..<5000).map { Fixture.node("n-\($0)", requested: ResourceAmounts(milliCPU: 4000, pods: 1)) }
        nodes[3217] = Fixture.node("the-one")
        for start in [0, 3218, 4999] {
            var next = start
            #expect(Profile.binPacking.schedule(Self.pod, nodes: nodes, tieBreak: .firstByName, nextStartIndex: &next)
                == .bind(node: "the-one"))
            // Only one node was feasible, so the whole ring was examined and the start is back where it was.
            #expect(next == start)
        }
    }

    @Test func spreadingRotatesTheStartIndexByTheNodesExamined() {
        // 1000 nodes: adaptive 50 − 1000/125 = 42% → 420 feasible nodes wanted.
        let nodes = (0..<1000).map { Fixture.node("n-\($0)") }
        var next = 0
        for expected in [420, 840, 260] {
            _ = Profile.spreading.schedule(Self.pod, nodes: nodes, tieBreak: .firstByName, nextStartIndex: &next)
            #expect(next == expected)
        }
    }

    @Test func binPackingSearchesFromTheFirstNodeSoPartlyFilledNodesStayInView() {
        // 1000 nodes, 420 wanted. Full nodes 0–99 are skipped; the only partly filled node, 150,
        // lies in the window from node 0 but not in a window rotated to start at 500.
        var nodes = (0..<1000).map { Fixture.node("n-\($0)") }
        for i in 0..<100 { nodes[i] = Fixture.node("n-\(i)", requested: ResourceAmounts(milliCPU: 4000, pods: 1)) }
        nodes[150] = Fixture.node("partly-filled", requested: ResourceAmounts(milliCPU: 1000, pods: 1))
        var next = 500
        for _ in 0..<3 {
            #expect(Profile.binPacking.schedule(Self.pod, nodes: nodes, tieBreak: .firstByName, nextStartIndex: &next)
                == .bind(node: "partly-filled"))
            #expect(next == 500)
        }
    }

    // (nodes, percentageOfNodesToScore, feasible nodes wanted)
    @Test(arguments: [(50, 0, 50), (100, 0, 100), (1000, 0, 420), (5000, 0, 500), (10000, 0, 500), (5000, 100, 5000),
                      (5000, 30, 1500), (5000, 1, 100)])
    func numFeasibleNodesToFindFollowsUpstream(_ nodes: Int, _ percentage: Int, _ wanted: Int) {
        // 5000 nodes: 50 − 40 = 10% → 500; 10000 nodes: 50 − 80 < 5 → 5% → 500; 1% of 5000 = 50 → at least 100.
        var profile = Profile.binPacking
        profile.percentageOfNodesToScore = percentage
        #expect(profile.numFeasibleNodesToFind(nodeCount: nodes) == wanted)
    }

    @Test func tiesGoToTheFirstNameOrToTheInjectedGenerator() {
        let nodes = ["c", "a", "b"].map { Fixture.node($0) }
        #expect(Profile.binPacking.schedule(Self.pod, nodes: nodes, tieBreak: .firstByName) == .bind(node: "a"))
        // Reservoir sampling: the k-th tied node replaces the choice when pick(k) == 0.
        #expect(Profile.binPacking.schedule(Self.pod, nodes: nodes, tieBreak: .random { _ in 0 }) == .bind(node: "b"))
        #expect(Profile.binPacking.schedule(Self.pod, nodes: nodes, tieBreak: .random { $0 - 1 }) == .bind(node: "c"))
    }

    @Test func systemRandomSpreadsTiesOverEveryTiedNode() {
        let nodes = ["c", "a", "b"].map { Fixture.node($0) }
        let tieBreak = TieBreak.systemRandom
        var chosen: [String: Int] = [:]
        for _ in 0..<600 {
            guard case .bind(let node) = Profile.binPacking.schedule(Self.pod, nodes: nodes, tieBreak: tieBreak) else {
                Issue.record("the pod fits every node")
                return
            }
            chosen[node, default: 0] += 1
        }
        // Uniform: 200 each expected; below 100 for any node has probability < 1e-12.
        #expect(chosen.keys.sorted() == ["a", "b", "c"])
        #expect(chosen.values.allSatisfy { $0 > 100 })
    }

    @Test func preferredAffinityOutweighsAnEqualPackingScore() {
        let pod = Fixture.withAffinity(["preferredDuringSchedulingIgnoredDuringExecution": [
            ["weight": 10, "preference": ["matchExpressions": [Fixture.expression("disk", "In", ["ssd"])]]],
        ]])
        let nodes = [Fixture.node("a"), Fixture.node("b", labels: ["disk": "ssd"])]
        #expect(Profile.binPacking.schedule(pod, nodes: nodes, tieBreak: .firstByName) == .bind(node: "b"))
    }
}
