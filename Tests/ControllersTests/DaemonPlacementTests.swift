import Foundation
import Model
import Scheduling
import Testing
@testable import Controllers

/// Which nodes a DaemonSet's pods belong on (upstream's NodeShouldRunDaemonPod), and the pods it makes.
@Suite struct DaemonPlacementTests {
    typealias F = DaemonSetFixtures

    func verdict(_ ds: JSONValue, _ node: JSONValue) -> (Bool, Bool) {
        let v = DaemonSetSync.nodes([node], for: DaemonSetView(ds))[0].verdict
        return (v.shouldRun, v.shouldContinueRunning)
    }

    @Test func eligibilityFollowsSelectorAffinityAndTaintsAsUpstream() {
        let gpu = ["gpu": "yes"]
        let rows: [(String, JSONValue, JSONValue, (Bool, Bool))] = [
            ("plain node", F.daemonSet(), F.node("a"), (true, true)),
            ("selector matches", F.daemonSet(nodeSelector: gpu), F.node("a", labels: gpu), (true, true)),
            ("selector misses", F.daemonSet(nodeSelector: gpu), F.node("a"), (false, false)),
            ("NoSchedule taint: no new pod, running one stays", F.daemonSet(),
             F.node("a", taints: [Taint(key: "dedicated", value: "db", effect: "NoSchedule")]), (false, true)),
            ("NoExecute taint: none at all", F.daemonSet(),
             F.node("a", taints: [Taint(key: "dedicated", value: "db", effect: "NoExecute")]), (false, false)),
            ("PreferNoSchedule is ignored", F.daemonSet(),
             F.node("a", taints: [Taint(key: "dedicated", effect: "PreferNoSchedule")]), (true, true)),
            ("tolerated taint", F.daemonSet(tolerations: [["key": "dedicated", "operator": "Exists"]]),
             F.node("a", taints: [Taint(key: "dedicated", value: "db", effect: "NoExecute")]), (true, true)),
            ("cordoned: the daemon toleration covers it", F.daemonSet(),
             F.node("a", taints: [Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")], unschedulable: true), (true, true)),
            ("unreachable: daemon pods stay", F.daemonSet(),
             F.node("a", taints: [Taint(key: "node.kubernetes.io/unreachable", effect: "NoExecute")], ready: false), (true, true)),
            ("memory pressure", F.daemonSet(),
             F.node("a", taints: [Taint(key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule")]), (true, true)),
            ("network unavailable stops non-hostNetwork pods", F.daemonSet(),
             F.node("a", taints: [Taint(key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule")]), (false, true)),
        ]
        for (name, ds, node, expected) in rows {
            let got = verdict(ds, node)
            #expect(got == expected, "\(name): \(got)")
        }
    }

    @Test func requiredNodeAffinityAndNodeNameLimitTheNodes() {
        var ds = F.daemonSet()
        ds.setValue(["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchExpressions": [["key": "zone", "operator": "In", "values": ["z1"]]]]]]],
                    at: ["spec", "template", "spec", "affinity", "nodeAffinity"])
        #expect(verdict(ds, F.node("a", labels: ["zone": "z1"])) == (true, true))
        #expect(verdict(ds, F.node("b", labels: ["zone": "z2"])) == (false, false))
        var pinned = F.daemonSet()
        pinned.setValue("a", at: ["spec", "template", "spec", "nodeName"])
        #expect(verdict(pinned, F.node("a")) == (true, true))
        #expect(verdict(pinned, F.node("b")) == (false, false))
    }

    @Test func aDaemonPodIsPinnedByAffinityCarriesTheHashAndTheDaemonTolerations() {
        var object = F.daemonSet(tolerations: [["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                                                "tolerationSeconds": 30]])
        object.setValue(["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchExpressions": [["key": "zone", "operator": "In", "values": ["z1"]]]]]],
                         "preferredDuringSchedulingIgnoredDuringExecution": [["weight": 1, "preference": ["matchExpressions": [
                             ["key": "ssd", "operator": "Exists"]]]]]],
                        at: ["spec", "template", "spec", "affinity", "nodeAffinity"])
        let pod = PodView(DaemonPlacement.pod(for: DaemonSetView(object), node: "n7", hash: "abc"))
        #expect(pod.object["metadata"]?["generateName"] == "agent-")
        #expect(pod.labels == ["app": "agent", "controller-revision-hash": "abc"])
        #expect(pod.metadata.controllerReference?.uid == "ds-uid")
        #expect(pod.metadata.controllerReference?.blockOwnerDeletion == true)
        #expect(pod.nodeName == nil)
        #expect(DaemonPlacement.targetNode(of: pod) == "n7")
        let affinity = pod.object.value(at: ["spec", "affinity", "nodeAffinity"])
        #expect(affinity?["requiredDuringSchedulingIgnoredDuringExecution"] ==
                ["nodeSelectorTerms": [["matchFields": [["key": "metadata.name", "operator": "In", "values": ["n7"]]]]]])
        #expect(affinity?["preferredDuringSchedulingIgnoredDuringExecution"]?.array?.count == 1)
        let tolerations = pod.object.value(at: ["spec", "tolerations"])?.array ?? []
        #expect(tolerations.count == 6)
        // The template's own not-ready toleration (with seconds) is replaced by the daemon one (none).
        let notReady = tolerations.filter { $0["key"] == "node.kubernetes.io/not-ready" }
        #expect(notReady == [["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"]])
        // The scheduler's own affinity filter admits exactly that node.
        let info = PodInfo(pod.object)
        #expect(NodeAffinity().fits(pod: info, node: NodeInfo(F.node("n7"))))
        #expect(!NodeAffinity().fits(pod: info, node: NodeInfo(F.node("n8"))))
    }

    @Test func hostNetworkPodsAlsoTolerateNetworkUnavailable() {
        var ds = F.daemonSet()
        ds.setValue(true, at: ["spec", "template", "spec", "hostNetwork"])
        let node = F.node("a", taints: [Taint(key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule")])
        #expect(verdict(ds, node) == (true, true))
    }

    @Test func theTargetNodeIsTheBindingElseThePinnedName() {
        #expect(DaemonPlacement.targetNode(of: F.pod("p", node: "n1", bound: false)) == "n1")
        #expect(DaemonPlacement.targetNode(of: F.pod("p", node: "n2")) == "n2")
        #expect(DaemonPlacement.targetNode(of: PodView(["spec": ["containers": []]])) == nil)
    }
}
