import Foundation
import Model
import Scheduling
import Testing

@Suite struct PreemptionTests {
    static func pod(_ name: String, cpu: String, priority: Int64, started: Double = 0, preemptionPolicy: String? = nil,
                    app: String? = nil) -> PodInfo {
        var spec: JSONValue = ["priority": .int(priority), "containers": [["name": "c", "resources": ["requests": ["cpu": .string(cpu)]]]]]
        if let preemptionPolicy { spec["preemptionPolicy"] = .string(preemptionPolicy) }
        var metadata: JSONValue = ["name": .string(name), "namespace": "default"]
        if let app { metadata["labels"] = ["app": .string(app)] }
        return PodInfo(["metadata": metadata, "spec": spec,
                        "status": ["startTime": .string(Timestamp.format(Date(timeIntervalSince1970: 1_800_000_000 + started)))]])
    }

    /// A node of `cpu` cores holding `pods`.
    static func node(_ name: String, cpu: String = "4", pods: [PodInfo], unschedulable: Bool = false) -> NodeInfo {
        let empty = NodeInfo(name: name, unschedulable: unschedulable,
                             allocatable: ResourceAmounts(requests: ["cpu": .string(cpu), "memory": "64Gi", "pods": 110]))
        return pods.reduce(empty) { $0.adding($1) }
    }

    static func plan(_ preemptor: PodInfo, _ cluster: [(String, [PodInfo], Bool)], budgets: [DisruptionBudget] = []) -> Preemption.Outcome {
        let nodes = cluster.map { node($0.0, pods: $0.1, unschedulable: $0.2) }
        let byNode = Dictionary(uniqueKeysWithValues: cluster.map { ($0.0, $0.1) })
        return Preemption.plan(preemptor, nodes: nodes, pods: { byNode[$0] ?? [] }, profile: .binPacking, budgets: budgets)
    }

    /// A budget over the pods labelled `app` that allows `allowed` more disruptions.
    static func budget(_ app: String, allowed: Int, disrupted: Set<String> = []) -> DisruptionBudget {
        DisruptionBudget(namespace: "default", selector: LabelSelector(requirements: [.init(key: "app", op: .equals, values: [app])]),
                         disruptionsAllowed: allowed, disruptedPods: disrupted)
    }

    static func victims(_ outcome: Preemption.Outcome) -> [String] {
        if case .preempt(_, let victims) = outcome { return victims.map(\.name).sorted() }
        return []
    }

    @Test func theLeastImportantPodsThatMakeRoomAreTheVictims() {
        // 4 cores: low-a 1, low-b 2, mid 1 (priority 5). A 2-core pod of priority 10 needs 2 free.
        let outcome = Self.plan(Self.pod("urgent", cpu: "2", priority: 10),
                                [("n1", [Self.pod("low-a", cpu: "1", priority: 1), Self.pod("low-b", cpu: "2", priority: 1),
                                         Self.pod("mid", cpu: "1", priority: 5)], false)])
        // mid is kept (most important), low-a is kept (added back first: it started as early and
        // fits), low-b has to go.
        #expect(Self.victims(outcome) == ["low-b"])
    }

    @Test func equalOrHigherPriorityIsNeverPreempted() {
        let outcome = Self.plan(Self.pod("urgent", cpu: "2", priority: 5),
                                [("n1", [Self.pod("same", cpu: "4", priority: 5)], false),
                                 ("n2", [Self.pod("higher", cpu: "4", priority: 9)], false)])
        #expect(outcome == .impossible(message: "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."))
    }

    @Test func aNodeThatRejectsForOtherReasonsIsNotHelped() {
        let outcome = Self.plan(Self.pod("urgent", cpu: "2", priority: 10),
                                [("cordoned", [Self.pod("low", cpu: "4", priority: 0)], true)])
        #expect(outcome == .impossible(message: "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."))
    }

    @Test(arguments: [
        // The node whose most important victim matters least wins.
        ([("n1", [pod("mid", cpu: "4", priority: 5)]), ("n2", [pod("low", cpu: "4", priority: 1)])], "n2"),
        // Same highest priority: the smaller sum.
        ([("n1", [pod("a", cpu: "2", priority: 1), pod("b", cpu: "2", priority: 1)]), ("n2", [pod("c", cpu: "4", priority: 1)])], "n2"),
        // Same priorities: the victim that started later (less work lost).
        ([("n1", [pod("old", cpu: "4", priority: 1, started: 0)]), ("n2", [pod("new", cpu: "4", priority: 1, started: 100)])], "n2"),
    ] as [([(String, [PodInfo])], String)])
    func theNodeWithTheCheapestVictimsIsChosen(cluster: [(String, [PodInfo])], node: String) {
        let outcome = Self.plan(Self.pod("urgent", cpu: "3", priority: 10), cluster.map { ($0.0, $0.1, false) })
        guard case .preempt(let chosen, _) = outcome else { Issue.record("no preemption: \(outcome)"); return }
        #expect(chosen == node)
    }

    @Test func theSearchStopsAfterEnoughCandidates() {
        // Three workable nodes; a limit of two leaves the third (the cheapest) unseen.
        let cluster = [("n1", [Self.pod("a", cpu: "4", priority: 5)], false), ("n2", [Self.pod("b", cpu: "4", priority: 5)], false),
                       ("n3", [Self.pod("c", cpu: "4", priority: 1)], false)]
        let nodes = cluster.map { Self.node($0.0, pods: $0.1) }
        let byNode = Dictionary(uniqueKeysWithValues: cluster.map { ($0.0, $0.1) })
        let limited = Preemption.plan(Self.pod("urgent", cpu: "3", priority: 10), nodes: nodes, pods: { byNode[$0] ?? [] },
                                      profile: .binPacking, maxCandidates: 2)
        guard case .preempt(let node, _) = limited else { Issue.record("\(limited)"); return }
        #expect(node == "n1")
        #expect(Preemption.candidateLimit(nodeCount: 50) == 100 && Preemption.candidateLimit(nodeCount: 5000) == 500)
    }

    @Test func eachSearchStartsWhereTheLastOneStoppedAndWraps() {
        // Four equal nodes, one candidate per search: successive preemptors walk on instead of all
        // examining the first nodes (upstream starts at a random offset).
        let cluster = (1...4).map { ("n\($0)", [Self.pod("p\($0)", cpu: "4", priority: 1)]) }
        let nodes = cluster.map { Self.node($0.0, pods: $0.1) }
        let byNode = Dictionary(uniqueKeysWithValues: cluster.map { ($0.0, $0.1) })
        var start = 2
        var chosen: [String] = []
        for _ in 0..<3 {
            let outcome = Preemption.plan(Self.pod("urgent", cpu: "3", priority: 10), nodes: nodes, pods: { byNode[$0] ?? [] },
                                          profile: .binPacking, maxCandidates: 1, budgets: [], nextStartIndex: &start)
            if case .preempt(let node, _) = outcome { chosen.append(node) }
        }
        #expect(chosen == ["n3", "n4", "n1"])
        #expect(start == 1)
        // Nodes where nothing can be done are passed over and count as examined.
        var from = 0
        let unhelpful = [Self.node("cordoned", pods: [], unschedulable: true)] + nodes
        _ = Preemption.plan(Self.pod("urgent", cpu: "3", priority: 10), nodes: unhelpful, pods: { byNode[$0] ?? [] },
                            profile: .binPacking, maxCandidates: 1, budgets: [], nextStartIndex: &from)
        #expect(from == 2)
    }

    @Test func podsAlreadyLeavingAreNotChosenAgain() {
        var leaving = Self.pod("leaving", cpu: "4", priority: 0)
        leaving.object.setValue("2026-01-01T00:00:00Z", at: ["metadata", "deletionTimestamp"])
        #expect(Preemption.victims(for: Self.pod("urgent", cpu: "2", priority: 10), on: Self.node("n1", pods: [leaving]),
                                   pods: [leaving], profile: .binPacking) == nil)
    }

    @Test func podsWhoseEvictionBreaksABudgetAreSparedWhenOthersMakeRoom() {
        // 4 cores: guarded (priority 1, in a budget with nothing left) and free (priority 2); a
        // 2-core preemptor needs one of them gone. Without budgets the less important one goes.
        let cluster = [("n1", [Self.pod("guarded", cpu: "2", priority: 1, app: "db"), Self.pod("free", cpu: "2", priority: 2)], false)]
        let preemptor = Self.pod("urgent", cpu: "2", priority: 10)
        #expect(Self.victims(Self.plan(preemptor, cluster)) == ["guarded"])
        #expect(Self.victims(Self.plan(preemptor, cluster, budgets: [Self.budget("db", allowed: 0)])) == ["free"])
        // A budget that still allows a disruption, or that already approved this pod's eviction, does not protect it.
        #expect(Self.victims(Self.plan(preemptor, cluster, budgets: [Self.budget("db", allowed: 1)])) == ["guarded"])
        #expect(Self.victims(Self.plan(preemptor, cluster, budgets: [Self.budget("db", allowed: 0, disrupted: ["guarded"])])) == ["guarded"])
    }

    @Test func aBudgetIsBrokenWhenNothingElseMakesRoom() {
        let node = Self.node("n1", pods: [Self.pod("a", cpu: "2", priority: 1, app: "db"), Self.pod("b", cpu: "2", priority: 1, app: "db")])
        let chosen = Preemption.victims(for: Self.pod("urgent", cpu: "4", priority: 10), on: node, pods: [
            Self.pod("a", cpu: "2", priority: 1, app: "db"), Self.pod("b", cpu: "2", priority: 1, app: "db"),
        ], profile: .binPacking, budgets: [Self.budget("db", allowed: 1)])
        // One disruption allowed: the first pod (in importance order) spends it, the second breaks the budget.
        #expect(chosen?.pods.map(\.name).sorted() == ["a", "b"])
        #expect(chosen?.budgetViolations == 1)
    }

    @Test(arguments: [
        // The node whose victims break no budget wins, even over cheaper victims elsewhere.
        ([("n1", [pod("cheap", cpu: "4", priority: 1, app: "db")]), ("n2", [pod("dearer", cpu: "4", priority: 5)])], "n2"),
        // Both break one: back to the priorities.
        ([("n1", [pod("cheap", cpu: "4", priority: 1, app: "db")]), ("n2", [pod("dearer", cpu: "4", priority: 5, app: "db")])], "n1"),
    ] as [([(String, [PodInfo])], String)])
    func theNodeWithTheFewestBudgetViolationsIsChosen(cluster: [(String, [PodInfo])], node: String) {
        let outcome = Self.plan(Self.pod("urgent", cpu: "3", priority: 10), cluster.map { ($0.0, $0.1, false) },
                                budgets: [Self.budget("db", allowed: 0)])
        guard case .preempt(let chosen, _) = outcome else { Issue.record("no preemption: \(outcome)"); return }
        #expect(chosen == node)
    }

    @Test func aBudgetWithoutASelectorGuardsNothing() {
        let object: JSONValue = ["metadata": ["name": "none", "namespace": "default"], "spec": ["minAvailable": 1, "selector": .emptyObject],
                                 "status": ["disruptionsAllowed": 0]]
        #expect(DisruptionBudget(object) == nil)
        let real: JSONValue = ["metadata": ["name": "db", "namespace": "default"],
                               "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "db"]]],
                               "status": ["disruptionsAllowed": 2, "disruptedPods": ["db-0": "2026-01-01T00:00:00Z"]]]
        #expect(DisruptionBudget(real) == Self.budget("db", allowed: 2, disrupted: ["db-0"]))
    }
}
