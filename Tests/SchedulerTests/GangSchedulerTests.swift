import Client
import Foundation
import Model
import Scheduler
import Testing
import TestSupport

/// Gang scheduling through the scheduler loop over a fake cluster: all or nothing, no deadlock
/// between competing gangs, a hold on room bounded by scheduleTimeoutSeconds, reasons on the pods.
@Suite struct GangSchedulerTests {
    let pods = ResourceCatalog.pods
    let groups = ResourceCatalog.podGroups

    static func member(_ name: String, group: String, cpu: String = "1", node: String? = nil, phase: String? = nil) -> JSONValue {
        var pod = Cluster.pod(name, cpu: cpu)
        pod.setValue(.string(group), at: ["metadata", "labels", PodGroupSpec.podGroupLabel])
        if let node { pod.setValue(.string(node), at: ["spec", "nodeName"]) }
        if let phase { pod.setValue(.string(phase), at: ["status", "phase"]) }
        return pod
    }

    static func podGroup(_ name: String, minMember: Int, timeout: Int? = nil, created: String = "2026-01-01T00:00:00Z") -> JSONValue {
        var group: JSONValue = ["apiVersion": "scheduling.x-k8s.io/v1alpha1", "kind": "PodGroup",
                                "metadata": ["name": .string(name), "namespace": "default", "creationTimestamp": .string(created)],
                                "spec": ["minMember": .int(Int64(minMember))]]
        if let timeout { group.setValue(.int(Int64(timeout)), at: ["spec", "scheduleTimeoutSeconds"]) }
        return group
    }

    func started(nodes: [JSONValue], groups groupObjects: [JSONValue], pods podObjects: [JSONValue],
                 clock: ManualClock = ManualClock()) throws -> (BindingFakeClient, Scheduler) {
        let client = BindingFakeClient()
        for node in nodes { try client.fake.seed(ResourceCatalog.nodes, node) }
        for group in groupObjects { try client.fake.seed(groups, group) }
        for pod in podObjects { try client.fake.seed(pods, pod) }
        let scheduler = Scheduler(client: client, profile: .binPacking, clock: clock, options: SchedulerOptions(tieBreak: .firstByName))
        scheduler.start()
        return (client, scheduler)
    }

    func message(_ client: BindingFakeClient, _ pod: String) -> String? {
        client.fake.object(pods, namespace: "default", name: pod)?.value(at: ["status", "conditions"])?.array?
            .first { $0["type"] == "PodScheduled" }?["message"]?.string
    }

    @Test func aGangWithRoomForThreeOfFourWaitsThenBindsAllTogether() async throws {
        let members = (0..<4).map { Self.member("g\($0)", group: "train") }
        let (client, scheduler) = try started(nodes: [Cluster.node("n1", cpu: "3")], groups: [Self.podGroup("train", minMember: 4)],
                                              pods: members)
        defer { scheduler.stop() }
        #expect(await eventually { message(client, "g0")?.hasPrefix("waiting for gang: 3 of 4 pods can be placed") == true })
        #expect(client.bindings.isEmpty)
        _ = try await client.create(ResourceCatalog.nodes, namespace: nil, object: Cluster.node("n2", cpu: "1"))
        #expect(await eventually { client.bindings.count == 4 })
        #expect(Set(client.bindings.map(\.pod)) == ["g0", "g1", "g2", "g3"])
        #expect(scheduler.currentStats.gangsPlaced == 1)
    }

    @Test func twoGangsThatEachNeedMostOfTheClusterNeverDeadlock() async throws {
        // Ten CPUs; each gang needs six. Per-pod waiting would give each gang five and neither
        // could ever finish (volcano-sh/volcano#3373). All or nothing: the older gang runs.
        let a = (0..<6).map { Self.member("a\($0)", group: "a") }
        let b = (0..<6).map { Self.member("b\($0)", group: "b") }
        let (client, scheduler) = try started(
            nodes: [Cluster.node("n1", cpu: "5"), Cluster.node("n2", cpu: "5")],
            groups: [Self.podGroup("a", minMember: 6, created: "2026-01-01T00:00:00Z"),
                     Self.podGroup("b", minMember: 6, created: "2026-01-01T00:00:01Z")],
            pods: zip(b, a).flatMap { [$0, $1] })
        defer { scheduler.stop() }
        #expect(await eventually { client.bindings.count == 6 })
        #expect(Set(client.bindings.map(\.pod)) == Set((0..<6).map { "a\($0)" }))
        #expect(await eventually { message(client, "b0")?.hasPrefix("waiting for gang: 4 of 6 pods can be placed") == true })
        // Gang a finishes: gang b gets the room, all six at once.
        for i in 0..<6 { _ = try await client.delete(pods, namespace: "default", name: "a\(i)") }
        #expect(await eventually { client.bindings.count == 12 })
        #expect(Set(client.bindings.suffix(6).map(\.pod)) == Set((0..<6).map { "b\($0)" }))
    }

    @Test func aWaitingGangHoldsItsRoomAgainstSmallerPodsOnlyUntilItsTimeout() async throws {
        let clock = ManualClock()
        let gang = (0..<6).map { Self.member("g\($0)", group: "big") }
        let (client, scheduler) = try started(nodes: [Cluster.node("n1", cpu: "4")],
                                              groups: [Self.podGroup("big", minMember: 6, timeout: 5)], pods: gang, clock: clock)
        defer { scheduler.stop() }
        #expect(await eventually { message(client, "g0")?.contains("holding room for 4 of them") == true })
        // A small pod arriving now finds the room held.
        _ = try await client.create(pods, namespace: "default", object: Cluster.pod("small"))
        #expect(await eventually { scheduler.currentStats.unschedulable >= 7 })
        #expect(client.bindings.isEmpty)
        // One tick at a time: the scheduler's tick loop sleeps on the clock again before the next
        // step, so a loaded machine cannot let the clock run past the gang's cooldown (as long as
        // its timeout) before the small pod's retry is due.
        func tick() async {
            clock.advance(by: 0.5)
            _ = await eventually(within: 2) { clock.sleeperCount > 0 }
        }
        // Past the gang's timeout its hold ends and the small pod binds; the gang still waits.
        #expect(await eventually {
            await tick()
            return client.bindings.map(\.pod) == ["small"]
        })
        #expect(scheduler.currentStats.gangTimeouts >= 1)
        // Its next attempt (after its back-off) sees the room the small pod took.
        #expect(await eventually {
            await tick()
            return message(client, "g0")?.hasPrefix("waiting for gang: 3 of 6 pods can be placed") == true
        })
    }

    @Test func aStartedGangsReplacementMemberBindsAlone() async throws {
        let running = [Self.member("g0", group: "job", node: "n1", phase: "Running"),
                       Self.member("g1", group: "job", node: "n1", phase: "Succeeded")]
        let (client, scheduler) = try started(nodes: [Cluster.node("n1")], groups: [Self.podGroup("job", minMember: 3)],
                                              pods: running + [Self.member("g2", group: "job")])
        defer { scheduler.stop() }
        // Two of three members ran (one still runs, one succeeded): the third completes the gang.
        #expect(await eventually { client.bindings.map(\.pod) == ["g2"] })
    }

    @Test func membersWithoutTheirPodGroupOrWithTooFewPeersSayWhy() async throws {
        let clock = ManualClock()
        let (client, scheduler) = try started(nodes: [Cluster.node("n1")], groups: [Self.podGroup("short", minMember: 3)],
                                              pods: [Self.member("lost", group: "missing"), Self.member("s0", group: "short")],
                                              clock: clock)
        defer { scheduler.stop() }
        #expect(await eventually {
            clock.advance(by: 0.25)
            return message(client, "lost") == "waiting for gang: PodGroup default/missing not found"
                && message(client, "s0") == "waiting for gang: 1 of 3 pods exist"
        })
        #expect(client.bindings.isEmpty)
        // The PodGroup appears: its member is placed.
        _ = try await client.create(groups, namespace: "default", object: Self.podGroup("missing", minMember: 1))
        #expect(await eventually { client.bindings.map(\.pod) == ["lost"] })
    }
}
