import Model
import Scheduling
import Testing

@Suite struct NodeAffinityTests {
    static let node = Fixture.node("worker-1", labels: ["zone": "a", "cores": "16", "tier": "batch"])
    typealias E = Fixture

    // (expressions of one term, matches `node`?)
    static let operators: [([JSONValue], Bool)] = [
        ([E.expression("zone", "In", ["a", "b"])], true),
        ([E.expression("zone", "In", ["c"])], false),
        ([E.expression("missing", "In", ["a"])], false),
        ([E.expression("zone", "NotIn", ["c"])], true),
        ([E.expression("zone", "NotIn", ["a"])], false),
        ([E.expression("missing", "NotIn", ["a"])], true),      // absent label is not in the set
        ([E.expression("zone", "Exists")], true),
        ([E.expression("missing", "Exists")], false),
        ([E.expression("missing", "DoesNotExist")], true),
        ([E.expression("zone", "DoesNotExist")], false),
        ([E.expression("cores", "Gt", ["8"])], true),           // 16 > 8
        ([E.expression("cores", "Gt", ["16"])], false),         // 16 > 16 is false
        ([E.expression("cores", "Lt", ["32"])], true),          // 16 < 32
        ([E.expression("cores", "Lt", ["16"])], false),
        ([E.expression("zone", "Gt", ["1"])], false),           // "a" is not an integer
        ([E.expression("cores", "Gt", ["1", "2"])], false),     // Gt needs exactly one value
        ([E.expression("missing", "Lt", ["100"])], false),
        ([E.expression("zone", "Near", ["a"])], false),         // unknown operator
        ([E.expression("zone", "In", ["a"]), E.expression("cores", "Gt", ["8"])], true),   // ANDed
        ([E.expression("zone", "In", ["a"]), E.expression("cores", "Gt", ["20"])], false),
        ([], false),                                            // an empty term matches nothing
    ]

    @Test(arguments: operators.indices)
    func everyOperator(_ i: Int) {
        let (expressions, matches) = Self.operators[i]
        let pod = Fixture.requiring([expressions])
        #expect(NodeAffinity().filter(pod: pod, node: Self.node).reasons == (matches ? [] : ["node(s) didn't match Pod's node affinity/selector"]))
    }

    @Test func termsAreORed() {
        let pod = Fixture.requiring([[E.expression("zone", "In", ["b"])], [E.expression("tier", "In", ["batch"])]])
        #expect(NodeAffinity().fits(pod: pod, node: Self.node))
        let neither = Fixture.requiring([[E.expression("zone", "In", ["b"])], [E.expression("tier", "In", ["web"])]])
        #expect(!NodeAffinity().fits(pod: neither, node: Self.node))
    }

    @Test func podsPinnedByNameAreFilteredOnTheirNodesOnly() {
        let pinned = Fixture.withAffinity(["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchFields": [E.expression("metadata.name", "In", ["worker-7"])]],
        ]]])
        #expect(pinned.affinityRules.requiredNodeNames == ["worker-7"])
        #expect(Fixture.requiring([[E.expression("zone", "In", ["a"])]]).affinityRules.requiredNodeNames == nil)
        let nodes = (0..<50).map { Fixture.node("worker-\($0)") }
        #expect(Profile.binPacking.schedule(pinned, nodes: nodes, tieBreak: .firstByName) == .bind(node: "worker-7"))
        // With the scheduler's name index the pinned node is looked up, not searched for.
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.name, $0) })
        var start = 0
        #expect(Profile.binPacking.schedule(pinned, nodes: nodes, nodeIndex: index, tieBreak: .firstByName, nextStartIndex: &start)
            == .bind(node: "worker-7"))
        let full = nodes.map { $0.name == "worker-7" ? Fixture.node("worker-7", milliCPU: 10) : $0 }
        #expect(Profile.binPacking.schedule(pinned, nodes: full, nodeIndex: index, tieBreak: .firstByName, nextStartIndex: &start)
            != .bind(node: "worker-7"))
        guard case .unschedulable(let message) = Profile.binPacking.schedule(pinned, nodes: full, tieBreak: .firstByName) else {
            Issue.record("a full pinned node must leave the pod unschedulable")
            return
        }
        // The reasons still cover every node, as without the shortcut.
        #expect(message.hasPrefix("0/50 nodes are available:"))
    }

    @Test func matchFieldsSelectByNodeName() {
        let pod = Fixture.withAffinity(["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchFields": [E.expression("metadata.name", "In", ["worker-1"])]],
        ]]])
        #expect(NodeAffinity().fits(pod: pod, node: Self.node))
        #expect(!NodeAffinity().fits(pod: pod, node: Fixture.node("worker-2")))
    }

    @Test func nodeSelectorNeedsEveryLabelAndCombinesWithAffinity() {
        let selector = Fixture.pod(spec: [("nodeSelector", ["zone": "a", "tier": "batch"])])
        #expect(NodeAffinity().fits(pod: selector, node: Self.node))
        let wrong = Fixture.pod(spec: [("nodeSelector", ["zone": "a", "tier": "web"])])
        #expect(NodeAffinity().filter(pod: wrong, node: Self.node).reasons == ["node(s) didn't match Pod's node affinity/selector"])
    }

    @Test func preferredTermsSumTheirWeightsAndNormaliseToTheBest() {
        let pod = Fixture.withAffinity(["preferredDuringSchedulingIgnoredDuringExecution": [
            ["weight": 20, "preference": ["matchExpressions": [E.expression("zone", "In", ["a"])]]],
            ["weight": 60, "preference": ["matchExpressions": [E.expression("disk", "In", ["ssd"])]]],
        ]])
        let nodes = [Fixture.node("a", labels: ["zone": "a"]), Fixture.node("ssd", labels: ["disk": "ssd"]),
                     Fixture.node("both", labels: ["zone": "a", "disk": "ssd"]), Fixture.node("none")]
        let plugin = NodeAffinity()
        var scores = nodes.map { plugin.score(pod: pod, node: $0) }
        #expect(scores == [20, 60, 80, 0])
        plugin.normalize(scores: &scores)
        // 100 · raw / 80
        #expect(scores == [25, 75, 100, 0])
    }
}
