import Model
import Scheduling
import Testing

@Suite struct TaintTolerationTests {
    static let gpu = Taint(key: "dedicated", value: "gpu", effect: "NoSchedule")

    // (toleration, taint, tolerated?)
    static let matrix: [(JSONValue, Taint, Bool)] = [
        (["key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"], gpu, true),
        (["key": "dedicated", "value": "gpu", "effect": "NoSchedule"], gpu, true),           // operator defaults to Equal
        (["key": "dedicated", "operator": "Equal", "value": "cpu", "effect": "NoSchedule"], gpu, false), // value differs
        (["key": "dedicated", "operator": "Exists", "effect": "NoSchedule"], gpu, true),     // any value
        (["key": "other", "operator": "Exists"], gpu, false),                               // key differs
        (["key": "dedicated", "operator": "Exists", "effect": "NoExecute"], gpu, false),     // effect differs
        (["key": "dedicated", "operator": "Exists"], gpu, true),                            // empty effect: all effects
        (["operator": "Exists"], gpu, true),                                                // empty key + Exists: everything
        (["operator": "Exists", "effect": "NoExecute"], gpu, false),                        // ...but only that effect
        (["key": "dedicated", "operator": "Sometimes", "value": "gpu"], gpu, false),        // unknown operator
        (["key": "dedicated", "value": "gpu"], Taint(key: "dedicated", value: "gpu", effect: "NoExecute"), true),
    ]

    @Test(arguments: matrix.indices)
    func tolerationMatrix(_ i: Int) {
        let (toleration, taint, tolerated) = Self.matrix[i]
        let pod = Fixture.tolerating([toleration])
        let node = Fixture.node("n", taints: [taint])
        #expect(pod.tolerationRules.tolerate(taint) == tolerated)
        #expect(TaintToleration().filter(pod: pod, node: node).reasons == (tolerated ? [] : ["node(s) had untolerated taint {dedicated: gpu}"]))
    }

    @Test func preferNoScheduleNeverFiltersAndNoExecuteDoes() {
        let node = Fixture.node("n", taints: [Taint(key: "soft", effect: "PreferNoSchedule"), Taint(key: "hard", value: "x", effect: "NoExecute")])
        #expect(TaintToleration().filter(pod: Fixture.pod(), node: node).reasons == ["node(s) had untolerated taint {hard: x}"])
        let tolerant = Fixture.tolerating([["key": "hard", "operator": "Exists"]])
        #expect(TaintToleration().fits(pod: tolerant, node: node))
    }

    @Test func fewerUntoleratedPreferNoScheduleTaintsScoreHigher() {
        let soft = { (key: String) in Taint(key: key, effect: "PreferNoSchedule") }
        let nodes = [Fixture.node("none"), Fixture.node("one", taints: [soft("a")]), Fixture.node("two", taints: [soft("a"), soft("b")]),
                     Fixture.node("tolerated", taints: [soft("c")])]
        // A NoSchedule-only toleration does not cover PreferNoSchedule; an effect-less one does.
        let pod = Fixture.tolerating([["key": "a", "operator": "Exists", "effect": "NoSchedule"], ["key": "c", "operator": "Exists"]])
        let plugin = TaintToleration()
        var scores = nodes.map { plugin.score(pod: pod, node: $0) }
        #expect(scores == [0, 1, 2, 0])
        plugin.normalize(scores: &scores)
        // reversed against the maximum 2: 100 − 100·count/2
        #expect(scores == [100, 50, 0, 100])
    }

    @Test func cordonedNodesRejectUnlessTheUnschedulableTaintIsTolerated() {
        var node = Fixture.node("n")
        node.unschedulable = true
        #expect(NodeUnschedulable().filter(pod: Fixture.pod(), node: node).reasons == ["node(s) were unschedulable"])
        let tolerant = Fixture.tolerating([["key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"]])
        #expect(NodeUnschedulable().fits(pod: tolerant, node: node))
        node.ready = false
        #expect(NodeReady().filter(pod: tolerant, node: node).reasons == ["node(s) were not ready"])
    }
}
