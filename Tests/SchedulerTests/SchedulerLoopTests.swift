import Client
import Foundation
import Model
import Scheduler
import Scheduling
import Testing
import TestSupport

@Suite struct SchedulerLoopTests {
    let pods = ResourceCatalog.pods
    let nodes = ResourceCatalog.nodes

    /// A started scheduler over a fake cluster of `nodeObjects` and `podObjects`; the caller stops it.
    func started(nodes nodeObjects: [JSONValue], pods podObjects: [JSONValue], clock: ManualClock = ManualClock(),
                 maxBindsInFlight: Int = 32, prepare: (BindingFakeClient) -> Void = { _ in }) throws -> (BindingFakeClient, Scheduler) {
        let client = BindingFakeClient()
        for node in nodeObjects { try client.fake.seed(nodes, node) }
        for pod in podObjects { try client.fake.seed(pods, pod) }
        prepare(client)
        let scheduler = Scheduler(client: client, profile: .binPacking, schedulerName: "default-scheduler", clock: clock,
                                  options: SchedulerOptions(tieBreak: .firstByName, maxBindsInFlight: maxBindsInFlight))
        scheduler.start()
        return (client, scheduler)
    }

    func nodeName(_ client: BindingFakeClient, _ pod: String) -> String? {
        client.fake.object(pods, namespace: "default", name: pod)?.value(at: ["spec", "nodeName"])?.string
    }

    @Test func podsAreBoundInPriorityOrderThenCreationOrder() async throws {
        let queued = [Cluster.pod("a-low", priority: 1), Cluster.pod("b-high", priority: 100), Cluster.pod("c-none"),
                      Cluster.pod("d-high", priority: 100), Cluster.pod("e-mid", priority: 50)]
        let (client, scheduler) = try started(nodes: [Cluster.node("n1", cpu: "16")], pods: queued, maxBindsInFlight: 1)
        defer { scheduler.stop() }
        #expect(await eventually { client.bindings.count == 5 })
        // Equal priority and creation second: the order the informer delivered them (list order).
        #expect(client.bindings.map(\.pod) == ["b-high", "d-high", "e-mid", "a-low", "c-none"])
    }

    @Test func podsForAnotherSchedulerAreLeftAlone() async throws {
        let (client, scheduler) = try started(nodes: [Cluster.node("n1")], 
                                              pods: [Cluster.pod("theirs", schedulerName: "other-scheduler"), Cluster.pod("ours")])
        defer { scheduler.stop() }
        #expect(await eventually { nodeName(client, "ours") == "n1" })
        #expect(nodeName(client, "theirs") == nil)
        #expect(client.bindings.map(\.pod) == ["ours"])
    }

    @Test func backToBackPodsNeverOvercommitANode() async throws {
        // Two nodes of 4 CPUs, ten 1-CPU pods: eight fit; the assume cache must count placements
        // whose binding the watch has not shown yet.
        let (client, scheduler) = try started(nodes: [Cluster.node("n1"), Cluster.node("n2")],
                                              pods: (0..<10).map { Cluster.pod("p\($0)") })
        defer { scheduler.stop() }
        #expect(await eventually { client.bindings.count == 8 && scheduler.currentStats.unschedulable >= 2 })
        let perNode = Dictionary(grouping: client.bindings, by: \.node).mapValues(\.count)
        #expect(perNode == ["n1": 4, "n2": 4])
    }

    @Test func unschedulablePodIsRetriedAtOnceWhenANodeIsAdded() async throws {
        let (client, scheduler) = try started(nodes: [Cluster.node("small", cpu: "1")], pods: [Cluster.pod("big", cpu: "8")])
        defer { scheduler.stop() }
        #expect(await eventually { scheduler.currentStats.backingOff == 1 })
        // The clock does not move: only the cluster change can trigger the retry.
        _ = try await client.create(nodes, namespace: nil, object: Cluster.node("large", cpu: "16"))
        #expect(await eventually { nodeName(client, "big") == "large" })
    }

    @Test func uncordonedNodeTriggersARetry() async throws {
        let (client, scheduler) = try started(nodes: [Cluster.node("n1", unschedulable: true)], pods: [Cluster.pod("p")])
        defer { scheduler.stop() }
        #expect(await eventually { scheduler.currentStats.backingOff == 1 })
        _ = try await client.patch(nodes, namespace: nil, name: "n1", type: .merge, body: ["spec": ["unschedulable": false]])
        #expect(await eventually { nodeName(client, "p") == "n1" })
    }

    @Test func unschedulablePodBacksOffAndIsRetriedWhenTheBackoffEnds() async throws {
        let clock = ManualClock()
        let (_, scheduler) = try started(nodes: [Cluster.node("n1", cpu: "1")], pods: [Cluster.pod("big", cpu: "8")], clock: clock)
        defer { scheduler.stop() }
        #expect(await eventually { scheduler.currentStats.unschedulable == 1 })
        // Half the first back-off (1 s): no new attempt.
        clock.advance(by: 0.5)
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(scheduler.currentStats.unschedulable == 1)
        #expect(await eventually {
            clock.advance(by: 0.25)
            return scheduler.currentStats.unschedulable >= 2
        })
    }

    @Test func unschedulablePodGetsConditionAndOneDeduplicatedEvent() async throws {
        let clock = ManualClock()
        let (client, scheduler) = try started(nodes: [Cluster.node("n1", cpu: "1")], pods: [Cluster.pod("big", cpu: "8")], clock: clock)
        defer { scheduler.stop() }
        // As upstream, a pod that may preempt says why preemption did not help either.
        let message = "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
        let events = ResourceCatalog.events
        #expect(try await eventually { try await client.fake.list(events, namespace: "default").items.count == 1 })
        let pod = try #require(client.fake.object(pods, namespace: "default", name: "big"))
        let condition = try #require(pod.value(at: ["status", "conditions"])?.array?.first { $0["type"] == "PodScheduled" })
        #expect(condition["status"] == "False")
        #expect(condition["reason"] == "Unschedulable")
        #expect(condition["message"]?.string == message)

        // Further attempts with the same outcome bump the same event: the first repeat at once,
        // later ones at most every 30 s.
        #expect(try await eventually {
            clock.advance(by: 0.5)
            let items = try await client.fake.list(events, namespace: "default").items
            return items.count == 1 && items[0]["count"]?.int == 2
        })
        let written = client.fake.calls.filter { $0.resource == "events" }.count
        clock.advance(by: 10)
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(client.fake.calls.filter { $0.resource == "events" }.count == written, "a repeat within 30 s is only counted")
        #expect(try await eventually {
            clock.advance(by: 5)
            let items = try await client.fake.list(events, namespace: "default").items
            return items.count == 1 && (items[0]["count"]?.int ?? 0) >= 3
        })
        let event = try #require(try await client.fake.list(events, namespace: "default").items.first)
        #expect(event["reason"] == "FailedScheduling")
        #expect(event["type"] == "Warning")
        #expect(event["message"]?.string == message)
        #expect(event.value(at: ["involvedObject", "name"]) == "big")
        #expect(event.value(at: ["involvedObject", "kind"]) == "Pod")
        #expect(event.value(at: ["source", "component"]) == "default-scheduler")
        #expect(event["reportingComponent"] == "default-scheduler")
        #expect(event["firstTimestamp"] != nil && event["lastTimestamp"] != event["firstTimestamp"])
    }

    @Test func lostBindingRaceForgetsTheAssumption() async throws {
        let (client, scheduler) = try started(nodes: [Cluster.node("a", cpu: "1"), Cluster.node("b", cpu: "1")],
                                              pods: [Cluster.pod("first", cpu: "1")], maxBindsInFlight: 1) { $0.loseRace(for: "first", to: "b") }
        defer { scheduler.stop() }
        #expect(await eventually { scheduler.currentStats.conflicts == 1 && scheduler.currentStats.assumed == 0 })
        #expect(nodeName(client, "first") == "b")
        // Node a must be free again: a leaked assumption would leave it looking full.
        _ = try await client.create(pods, namespace: "default", object: Cluster.pod("second", cpu: "1"))
        #expect(await eventually { nodeName(client, "second") == "a" })
        #expect(client.bindings.map(\.pod) == ["second"])
    }

    @Test func deletedPodFreesItsNodeForAParkedPod() async throws {
        let (client, scheduler) = try started(nodes: [Cluster.node("n1", cpu: "1")], pods: [Cluster.pod("holder", cpu: "1")])
        defer { scheduler.stop() }
        #expect(await eventually { nodeName(client, "holder") == "n1" })
        _ = try await client.create(pods, namespace: "default", object: Cluster.pod("waiter", cpu: "1"))
        #expect(await eventually { scheduler.currentStats.backingOff == 1 })
        _ = try await client.delete(pods, namespace: "default", name: "holder")
        #expect(await eventually { nodeName(client, "waiter") == "n1" })
    }
}

/// Preemption end to end in the scheduler loop, over the fake cluster.
@Suite struct SchedulerPreemptionTests {
    let pods = ResourceCatalog.pods

    @Test func aHigherPriorityPodEvictsALowerOneAndTakesItsPlace() async throws {
        let client = BindingFakeClient()
        try client.fake.seed(ResourceCatalog.nodes, Cluster.node("n1", cpu: "2"))
        var low = Cluster.pod("low", cpu: "2", priority: 1)
        low.setValue("n1", at: ["spec", "nodeName"])
        try client.fake.seed(pods, low, Cluster.pod("urgent", cpu: "2", priority: 100))
        let scheduler = Scheduler(client: client, profile: .binPacking, clock: ManualClock(),
                                  options: SchedulerOptions(tieBreak: .firstByName))
        scheduler.start()
        defer { scheduler.stop() }
        #expect(await eventually { client.fake.object(pods, namespace: "default", name: "low") == nil })
        let disruption = client.fake.calls.first { $0.verb == "patch" && $0.name == "low" }
        #expect(disruption?.body?.value(at: ["status", "conditions"])?[0]?["reason"] == "PreemptionByScheduler")
        #expect(await eventually { client.fake.object(pods, namespace: "default", name: "urgent")?.value(at: ["spec", "nodeName"]) == "n1" })
        #expect(client.fake.calls.contains { $0.verb == "patch" && $0.name == "urgent"
            && $0.body?.value(at: ["status", "nominatedNodeName"]) == "n1" })
        #expect(scheduler.currentStats.preemptions == 1)
    }

    @Test func preemptionSparesPodsADisruptionBudgetGuards() async throws {
        let client = BindingFakeClient()
        try client.fake.seed(ResourceCatalog.nodes, Cluster.node("n1", cpu: "2"), Cluster.node("n2", cpu: "2"))
        var guarded = Cluster.pod("guarded", cpu: "2", priority: 1)
        guarded.setValue("n1", at: ["spec", "nodeName"])
        guarded.setValue(["app": "db"], at: ["metadata", "labels"])
        var free = Cluster.pod("free", cpu: "2", priority: 2)
        free.setValue("n2", at: ["spec", "nodeName"])
        try client.fake.seed(pods, guarded, free, Cluster.pod("urgent", cpu: "2", priority: 100))
        try client.fake.seed(ResourceCatalog.podDisruptionBudgets, [
            "metadata": ["name": "db", "namespace": "default"],
            "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "db"]]], "status": ["disruptionsAllowed": 0],
        ])
        let scheduler = Scheduler(client: client, profile: .binPacking, clock: ManualClock(), options: SchedulerOptions(tieBreak: .firstByName))
        scheduler.start()
        defer { scheduler.stop() }
        // Without the budget the cheaper victim (guarded, priority 1) would go.
        #expect(await eventually { client.fake.object(pods, namespace: "default", name: "urgent")?.value(at: ["spec", "nodeName"]) == "n2" })
        #expect(client.fake.object(pods, namespace: "default", name: "free") == nil)
        #expect(client.fake.object(pods, namespace: "default", name: "guarded") != nil)
    }

    @Test func aPodThatCannotPreemptSaysWhy() async throws {
        let client = BindingFakeClient()
        try client.fake.seed(ResourceCatalog.nodes, Cluster.node("n1", cpu: "2"))
        var same = Cluster.pod("same", cpu: "2", priority: 5)
        same.setValue("n1", at: ["spec", "nodeName"])
        try client.fake.seed(pods, same, Cluster.pod("waiting", cpu: "2", priority: 5))
        let scheduler = Scheduler(client: client, profile: .binPacking, clock: ManualClock(), options: SchedulerOptions(tieBreak: .firstByName))
        scheduler.start()
        defer { scheduler.stop() }
        let expected = "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
        #expect(await eventually {
            client.fake.object(pods, namespace: "default", name: "waiting")?.value(at: ["status", "conditions"])?[0]?["message"]?.string == expected
        })
        #expect(client.fake.object(pods, namespace: "default", name: "same") != nil)
    }
}
