import Model
import Testing
@testable import Queueing

/// One admission pass, as tables: flavors in order, borrowing, StrictFIFO against BestEffortFIFO,
/// priority then creation order, and the position messages of what waits.
@Suite struct QueueSchedulingTests {
    static func input(_ queues: [ClusterQueueView], _ workloads: [WorkloadView], flavors: [ResourceFlavorView] = [Q.flavor("default")],
                      locals: [LocalQueueView]? = nil) -> QueueSchedulingInput {
        QueueSchedulingInput(clusterQueues: queues, localQueues: locals ?? queues.map { Q.localQueue("lq-\($0.name)", $0.name) },
                             flavors: flavors, workloads: workloads, namespaceLabels: [:])
    }

    static let research = Q.clusterQueue("research", flavors: [("default", Q.cpu("2"))])

    @Test func twoOneCPUJobsFitATwoCPUQueueAndTheThirdWaitsWithItsPosition() {
        let workloads = (1...3).map { Q.workload("w\($0)", queue: "lq-research", cpu: "1", created: $0) }
        let plan = QueueScheduling.plan(Self.input([Self.research], workloads))
        #expect(plan.admit.map(\.key) == ["default/w1", "default/w2"])
        #expect(plan.admit[0].admission.podSetAssignments[0].flavors == ["cpu": "default"])
        #expect(plan.pending["default/w3"]?.message == "waiting for quota in ClusterQueue research: position 1 of 1; needs 1 cpu, 0 cpu free of 2 nominal")
    }

    @Test func quotaHeldByAdmittedWorkloadsIsChargedAndFinishedOnesReleaseIt() {
        var finished = Q.workload("done", queue: "lq-research", cpu: "2", admittedIn: ("research", "default")).object
        finished.setValue(.array((finished.value(at: ["status", "conditions"])?.array ?? []) + [["type": "Finished", "status": "True"]]),
                          at: ["status", "conditions"])
        let running = Q.workload("running", queue: "lq-research", cpu: "1", admittedIn: ("research", "default"))
        let plan = QueueScheduling.plan(Self.input([Self.research], [WorkloadView(finished), running,
                                                                      Q.workload("next", queue: "lq-research", cpu: "1")]))
        #expect(plan.admit.map(\.key) == ["default/next"])
    }

    @Test func higherPriorityGoesFirstThenOlder() {
        let workloads = [Q.workload("old", queue: "lq-research", cpu: "2", created: 1),
                         Q.workload("urgent", queue: "lq-research", cpu: "2", priority: 100, created: 5),
                         Q.workload("young", queue: "lq-research", cpu: "2", created: 3)]
        let plan = QueueScheduling.plan(Self.input([Self.research], workloads))
        #expect(plan.admit.map(\.key) == ["default/urgent"])
        #expect(plan.pending["default/old"]?.position == 1)
        #expect(plan.pending["default/young"]?.position == 2)
    }

    @Test(arguments: [(Kueue.strictFIFO, ["default/big", "default/small"]), (Kueue.bestEffortFIFO, ["default/big"])])
    func strictFIFOBlocksBehindTheHeadAndBestEffortDoesNot(strategy: String, waiting: [String]) {
        let queue = Q.clusterQueue("research", strategy: strategy, flavors: [("default", Q.cpu("2"))])
        let workloads = [Q.workload("big", queue: "lq-research", cpu: "4", created: 1), Q.workload("small", queue: "lq-research", cpu: "1", created: 2)]
        let plan = QueueScheduling.plan(Self.input([queue], workloads))
        #expect(plan.pending.keys.sorted() == waiting)
        #expect(plan.admit.map(\.key) == (strategy == Kueue.strictFIFO ? [] : ["default/small"]))
    }

    @Test func strictFIFOSaysWhyAFittingWorkloadWaits() {
        let queue = Q.clusterQueue("research", strategy: Kueue.strictFIFO, flavors: [("default", Q.cpu("2"))])
        let workloads = [Q.workload("big", queue: "lq-research", cpu: "4", created: 1), Q.workload("small", queue: "lq-research", cpu: "1", created: 2)]
        let plan = QueueScheduling.plan(Self.input([queue], workloads))
        #expect(plan.admit.isEmpty)
        #expect(plan.pending["default/small"]?.message
                == "waiting for quota in ClusterQueue research: position 2 of 2; fits, but StrictFIFO admits nothing past big")
    }

    @Test func theFirstFlavorThatFitsIsChosenAndANodeSelectorRulesFlavorsOut() {
        let queue = Q.clusterQueue("research", flavors: [("on-demand", Q.cpu("1")), ("spot", Q.cpu("4"))])
        let flavors = [Q.flavor("on-demand", labels: ["tier": "on-demand"]), Q.flavor("spot", labels: ["tier": "spot"])]
        let workloads = [Q.workload("a", queue: "lq-research", cpu: "1", created: 1),
                         Q.workload("b", queue: "lq-research", cpu: "1", created: 2),
                         Q.workload("pinned", queue: "lq-research", cpu: "1", created: 3, nodeSelector: ["tier": "on-demand"])]
        let plan = QueueScheduling.plan(Self.input([queue], workloads, flavors: flavors))
        #expect(plan.admit.map { "\($0.key)=\($0.admission.podSetAssignments[0].flavors["cpu"] ?? "")" } == ["default/a=on-demand", "default/b=spot"])
        #expect(plan.pending["default/pinned"]?.message
                == "waiting for quota in ClusterQueue research: position 1 of 1; needs 1 cpu, 0 cpu free of 1 nominal in flavor on-demand")
    }

    @Test func aTaintedFlavorIsSkippedByPodsThatDoNotTolerateIt() {
        let queue = Q.clusterQueue("research", flavors: [("gpu", Q.cpu("8")), ("default", Q.cpu("8"))])
        let flavors = [Q.flavor("gpu", taints: [["key": "gpu", "effect": "NoSchedule"]]), Q.flavor("default")]
        let plan = QueueScheduling.plan(Self.input([queue], [Q.workload("a", queue: "lq-research", cpu: "1")], flavors: flavors))
        #expect(plan.admit.first?.admission.podSetAssignments[0].flavors == ["cpu": "default"])
    }

    @Test func aQueueBorrowsUnusedQuotaOfItsCohortWithinItsBorrowingLimit() {
        let a = Q.clusterQueue("a", cohort: "lab", flavors: [("default", Q.cpu("2", borrowing: "1"))])
        let b = Q.clusterQueue("b", cohort: "lab", flavors: [("default", Q.cpu("4"))])
        let workloads = [Q.workload("w1", queue: "lq-a", cpu: "2", created: 1), Q.workload("w2", queue: "lq-a", cpu: "1", created: 2),
                         Q.workload("w3", queue: "lq-a", cpu: "1", created: 3)]
        let plan = QueueScheduling.plan(Self.input([a, b], workloads))
        #expect(plan.admit.map(\.key) == ["default/w1", "default/w2"])
        #expect(plan.book.queues["a"]?.borrowed(FlavorResource(flavor: "default", resource: "cpu")) == Q.q("1"))
        #expect(plan.pending["default/w3"]?.message == "waiting for quota in ClusterQueue a: position 1 of 1; needs 1 cpu, 0 cpu free of 2 nominal")
    }

    @Test func workloadsWhoseQueueCannotTakeThemAreInadmissible() {
        let plan = QueueScheduling.plan(Self.input([Self.research], [Q.workload("lost", queue: "nowhere", cpu: "1"),
                                                                      Q.workload("orphan", queue: "lq-gone", cpu: "1")],
                                                   locals: [Q.localQueue("lq-gone", "gone")]))
        #expect(plan.pending["default/lost"] == PendingState(clusterQueue: nil, reason: "Inadmissible", message: "LocalQueue nowhere doesn't exist"))
        #expect(plan.pending["default/orphan"]?.message == "ClusterQueue gone doesn't exist")
    }

    @Test func aWorkloadNeedingAResourceTheQueueDoesNotCoverWaitsSayingSo() {
        let workload = WorkloadView(Q.workload("gpu", queue: "lq-research", cpu: "1").object.replacing(
            requests: ["cpu": "1", "example.com/gpu": "1"]))
        let plan = QueueScheduling.plan(Self.input([Self.research], [workload]))
        #expect(plan.pending["default/gpu"]?.message
                == "waiting for quota in ClusterQueue research: position 1 of 1; needs 1 example.com/gpu, which the ClusterQueue has no quota for")
    }

    @Test func statusCountsPendingReservingAndUsage() {
        let workloads = (1...3).map { Q.workload("w\($0)", queue: "lq-research", cpu: "1", created: $0) }
        let input = Self.input([Self.research], workloads)
        let plan = QueueScheduling.plan(input)
        let status = QueueStatus.clusterQueue(Self.research, input: input, plan: plan)
        #expect(status["pendingWorkloads"] == 1)
        #expect(status["reservingWorkloads"] == 2)
        #expect(status["admittedWorkloads"] == 2)
        #expect(status["flavorsUsage"] == [["name": "default", "resources": [["name": "cpu", "total": "2", "borrowed": "0"]]]])
        let local = QueueStatus.localQueue(Q.localQueue("lq-research", "research"), input: input, plan: plan)
        #expect(local["pendingWorkloads"] == 1)
        #expect(local["flavorsUsage"] == [["name": "default", "resources": [["name": "cpu", "total": "2"]]]])
    }
}

extension JSONValue {
    /// The Workload with its only container's requests replaced.
    func replacing(requests: JSONValue) -> JSONValue {
        var copy = self
        var podSets = copy.value(at: ["spec", "podSets"])?.array ?? []
        podSets[0].setValue([["name": "c", "resources": ["requests": requests]]], at: ["template", "spec", "containers"])
        copy.setValue(.array(podSets), at: ["spec", "podSets"])
        return copy
    }
}

extension QueueSchedulingTests {
    @Test func onlyTheFirstTwentyWaitingGetAPositionInTheirMessage() {
        let workloads = (1...25).map { Q.workload(String(format: "w%02d", $0), queue: "lq-research", cpu: "2", created: $0) }
        let plan = QueueScheduling.plan(Self.input([Self.research], workloads))
        #expect(plan.pending["default/w21"]?.message.hasPrefix("waiting for quota in ClusterQueue research: position 20 of 24;") == true)
        #expect(plan.pending["default/w22"]?.position == 21)
        #expect(plan.pending["default/w22"]?.message == "waiting for quota in ClusterQueue research: 20 or more Workloads ahead "
                + "(drover queue research or the visibility API shows the position)")
    }
}
