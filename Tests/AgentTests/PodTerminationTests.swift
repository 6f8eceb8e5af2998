import Agent
import Client
import Foundation
import Model
import Testing

@Suite struct PodTerminationTests {
    typealias H = PodHarness

    @Test func aDeletedPodIsStoppedWithItsGraceThenDeletedWithGraceZero() async throws {
        let h = PodHarness { $0.exitOnStop = false }
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "server")], spec: ["terminationGracePeriodSeconds": 45]))
        await h.sync()
        var pod = try #require(h.stored("p"))
        pod.setValue("2026-01-01T00:00:00Z", at: ["metadata", "deletionTimestamp"])
        pod.setValue(20, at: ["metadata", "deletionGracePeriodSeconds"])
        _ = try await h.client.update(ResourceCatalog.pods, namespace: "default", object: pod)
        await h.redeliver("p")
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/main/0"])
        #expect(h.runtime.stopped.first?.grace == 20)
        #expect(!h.client.calls.contains { $0.verb == "delete" })
        await h.sync()
        #expect(h.runtime.stopped.count == 1)

        h.runtime.exit("\(uid)/main/0", code: 143, signal: 15)
        await h.sync()
        let delete = try #require(h.client.calls.first { $0.verb == "delete" })
        #expect(delete.name == "p")
        #expect(delete.body?["gracePeriodSeconds"]?.int == 0)
        #expect(h.stored("p") == nil)
        #expect(h.startedIDs.count == 1)
    }

    @Test func theTerminationGracePeriodIsUsedWhenTheDeletionHasNone() async throws {
        let h = PodHarness { $0.exitOnStop = false }
        try await h.bind(H.pod("p", containers: [H.container("main", "server")], spec: ["terminationGracePeriodSeconds": 7]))
        await h.sync()
        var pod = try #require(h.stored("p"))
        pod.setValue("2026-01-01T00:00:00Z", at: ["metadata", "deletionTimestamp"])
        _ = try await h.client.update(ResourceCatalog.pods, namespace: "default", object: pod)
        await h.redeliver("p")
        await h.sync()
        #expect(h.runtime.stopped.first?.grace == 7)
    }

    @Test func anUnchangedPodIsNotWrittenAgain() async throws {
        let h = PodHarness()
        try await h.bind(H.pod("p", containers: [H.container("main", "server")]))
        await h.sync()
        let writes = h.statusWrites("p")
        #expect(writes == 1)
        for _ in 0..<5 {
            h.clock.advance(3)
            await h.sync()
        }
        #expect(h.statusWrites("p") == writes)
    }

    @Test func runningProcessesOfAnEarlierAgentRunAreAdopted() async throws {
        let first = PodHarness()
        let uid = try await first.bind(H.pod("p", containers: [H.container("main", "server")]))
        await first.sync()
        let pod = try #require(first.stored("p"))
        // A new agent with the same data directory finds the process still running.
        let second = PodHarness(dataDirectory: first.configuration.dataDirectory) { $0.leftovers = ["\(uid)/main/0": 4242] }
        try second.client.seed(ResourceCatalog.pods, pod)
        await second.manager.replaceAll([pod], adopt: true)
        await second.sync()
        #expect(second.startedIDs.isEmpty)
        #expect(second.phase("p") == "Running")
        #expect(second.runtime.runningIDs == ["\(uid)/main/0"])
        #expect(second.statusWrites("p") == 0)
        // Its exit is still noticed.
        second.runtime.exit("\(uid)/main/0", code: 1)
        await second.sync()
        #expect(second.container("p", "main")?["restartCount"]?.int == 1)
    }

    @Test func aPodWhoseProcessCannotBeAdoptedFailsWithAClearReason() async throws {
        let first = PodHarness()
        let uid = try await first.bind(H.pod("p", containers: [H.container("main", "server")]))
        await first.sync()
        let pod = try #require(first.stored("p"))
        let second = PodHarness { $0.leftovers = ["\(uid)/main/0": 4242]; $0.vanished = ["\(uid)/main/0"] }
        try second.client.seed(ResourceCatalog.pods, pod)
        await second.manager.replaceAll([pod], adopt: true)
        await second.sync()
        #expect(second.phase("p") == "Failed")
        #expect(second.status("p")["reason"]?.string == "ProcessLost")
        #expect(second.status("p")["message"]?.string?.contains("could not re-adopt") == true)
        #expect(second.container("p", "main")?.value(at: ["state", "terminated", "reason"])?.string == "ContainerStatusUnknown")
        #expect(second.startedIDs.isEmpty)
    }

    @Test func aProcessStartedAfterTheLastStatusWriteIsAdoptedNotStartedAgain() async throws {
        let pod = PodHarness.pod("p", containers: [H.container("main", "server")])
        let h = PodHarness { $0.leftovers = ["uid-101/main/0": 4242] }
        try h.client.seed(ResourceCatalog.pods, pod)
        let stored = try #require(h.stored("p"))
        #expect(stored.value(at: ["metadata", "uid"]) == "uid-101")
        await h.manager.replaceAll([stored], adopt: true)
        await h.sync()
        #expect(h.startedIDs.isEmpty)
        #expect(h.runtime.stopped.isEmpty)
        #expect(h.phase("p") == "Running")
    }

    @Test func processesOfPodsNoLongerBoundHereAreStopped() async throws {
        let h = PodHarness { $0.leftovers = ["gone-uid/main/0": 77] }
        await h.manager.replaceAll([], adopt: true)
        #expect(h.runtime.stopped.map(\.id) == ["gone-uid/main/0"])
    }

    @Test func aPodDeletedFromTheAPIHasItsProcessesStopped() async throws {
        let h = PodHarness()
        let uid = try await h.bind(H.pod("p", containers: [H.container("main", "server")]))
        await h.sync()
        let pod = try #require(h.stored("p"))
        await h.manager.apply(WatchEvent(type: .deleted, object: pod))
        await h.sync()
        #expect(h.runtime.stopped.map(\.id) == ["\(uid)/main/0"])
        #expect(await h.manager.podUIDs.isEmpty)
    }
}
