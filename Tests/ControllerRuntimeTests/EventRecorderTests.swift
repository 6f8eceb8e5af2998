import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport

@Suite struct EventRecorderTests {
    /// A pod as an informer hands it over.
    static func pod(_ name: String = "web", uid: String = "uid-web") -> JSONValue {
        ["apiVersion": "v1", "kind": "Pod",
         "metadata": ["name": .string(name), "namespace": "team", "uid": .string(uid), "resourceVersion": "42"],
         "spec": ["containers": [["name": "c"]]]]
    }

    static func setUp() -> (FakeAPIClient, ManualClock, EventRecorder) {
        let client = FakeAPIClient()
        let clock = ManualClock()  // 1_800_000_000 s = 2027-01-15T08:00:00Z
        return (client, clock, EventRecorder(client: client, component: "job-controller", clock: clock))
    }

    static func eventWrites(_ client: FakeAPIClient) -> [FakeAPIClient.Call] {
        client.calls.filter { $0.resource == "events" }
    }

    @Test func theFirstEventIsCreatedWithEveryField() async throws {
        let (client, _, recorder) = Self.setUp()
        recorder.record(Self.pod(), type: .warning, reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit")
        await recorder.flush()
        let writes = Self.eventWrites(client)
        #expect(writes.map(\.verb) == ["create"])
        #expect(writes.first?.namespace == "team")
        // 1_800_000_000 s × 1e9 = 1.8e18 ns = 0x18fae27693b40000
        let expected: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": "web.18fae27693b40000", "namespace": "team"],
            "involvedObject": ["kind": "Pod", "namespace": "team", "name": "web", "uid": "uid-web", "apiVersion": "v1",
                               "resourceVersion": "42"],
            "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "type": "Warning",
            "firstTimestamp": "2027-01-15T08:00:00Z", "lastTimestamp": "2027-01-15T08:00:00Z", "count": 1,
            "source": ["component": "job-controller"], "reportingComponent": "job-controller",
        ]
        #expect(writes.first?.body == expected)
        #expect(client.object(ResourceCatalog.events, namespace: "team", name: "web.18fae27693b40000") != nil)
    }

    @Test func aClusterScopedObjectsEventsGoToTheDefaultNamespace() async throws {
        let (client, _, recorder) = Self.setUp()
        let node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n1", "uid": "uid-n1"]]
        recorder.record(node, type: .normal, reason: "NodeReady", message: "Node n1 status is now: NodeReady")
        await recorder.flush()
        #expect(Self.eventWrites(client).first?.namespace == "default")
        #expect(Self.eventWrites(client).first?.body?.value(at: ["involvedObject"]) == ["kind": "Node", "name": "n1", "uid": "uid-n1",
                                                                                         "apiVersion": "v1"])
    }

    @Test func aRepeatIsFoldedIntoTheFirstEvent() async throws {
        let (client, clock, recorder) = Self.setUp()
        recorder.record(Self.pod(), type: .normal, reason: "Pulled", message: "ok")
        clock.advance(by: 30)
        recorder.record(Self.pod(), type: .normal, reason: "Pulled", message: "ok")
        await recorder.flush()
        let writes = Self.eventWrites(client)
        #expect(writes.map(\.verb) == ["create", "patch"])
        #expect(writes.last?.name == "web.18fae27693b40000")
        #expect(writes.last?.body == ["count": 2, "lastTimestamp": "2027-01-15T08:00:30Z", "message": "ok"])
        let stored = client.object(ResourceCatalog.events, namespace: "team", name: "web.18fae27693b40000")
        #expect(stored?["count"] == 2)
        #expect(stored?["firstTimestamp"] == "2027-01-15T08:00:00Z")
    }

    @Test func differentTypesReasonsMessagesOrObjectsAreNotFolded() async throws {
        let (client, _, recorder) = Self.setUp()
        recorder.record(Self.pod(), type: .normal, reason: "Pulled", message: "ok")
        recorder.record(Self.pod(), type: .warning, reason: "Pulled", message: "ok")
        recorder.record(Self.pod(), type: .normal, reason: "Started", message: "ok")
        recorder.record(Self.pod(), type: .normal, reason: "Pulled", message: "other")
        recorder.record(Self.pod("db", uid: "uid-db"), type: .normal, reason: "Pulled", message: "ok")
        await recorder.flush()
        let writes = Self.eventWrites(client)
        #expect(writes.map(\.verb) == Array(repeating: "create", count: 5))
        // Same instant, same object: names stay distinct (one nanosecond apart).
        #expect(Set(writes.compactMap(\.name)).count == 5)
    }

    @Test func aRepeatAfterTenQuietMinutesIsANewEvent() async throws {
        let (client, clock, recorder) = Self.setUp()
        recorder.record(Self.pod(), type: .normal, reason: "Pulled", message: "ok")
        clock.advance(by: 601)
        recorder.record(Self.pod(), type: .normal, reason: "Pulled", message: "ok")
        await recorder.flush()
        #expect(Self.eventWrites(client).map(\.verb) == ["create", "create"])
    }

    @Test func theSpamFilterDropsThe26thWriteAndRefillsOneTokenPerFiveMinutes() async throws {
        let (client, clock, recorder) = Self.setUp()
        for i in 1...26 { recorder.record(Self.pod(), type: .warning, reason: "Failed\(i)", message: "attempt") }
        await recorder.flush()
        #expect(Self.eventWrites(client).count == 25)  // burst 25: the 26th is dropped
        // Another object has its own bucket.
        recorder.record(Self.pod("db", uid: "uid-db"), type: .warning, reason: "Failed1", message: "attempt")
        await recorder.flush()
        #expect(Self.eventWrites(client).count == 26)
        // A repeat the filter drops still counts.
        recorder.record(Self.pod(), type: .warning, reason: "Failed1", message: "attempt")
        clock.advance(by: 299)
        recorder.record(Self.pod(), type: .warning, reason: "Other", message: "attempt")
        await recorder.flush()
        #expect(Self.eventWrites(client).count == 26)  // 299 s refill less than one token
        clock.advance(by: 1)
        recorder.record(Self.pod(), type: .warning, reason: "Failed1", message: "attempt")
        recorder.record(Self.pod(), type: .warning, reason: "Another", message: "attempt")
        await recorder.flush()
        let writes = Self.eventWrites(client)
        #expect(writes.count == 27)  // 300 s = one token: one passes, the next is dropped
        #expect(writes.last?.verb == "patch")
        #expect(writes.last?.body?["count"] == 3)   // the first, the dropped repeat, this one
    }

    /// As client-go's event series: the first repeat is written at once, later ones within 30 s of
    /// the last write only count, and the count they reached is written 30 s after it.
    @Test func repeatsAfterTheFirstAreWrittenAtMostEveryThirtySeconds() async throws {
        let (client, clock, recorder) = Self.setUp()
        let attempt = { recorder.record(Self.pod(), type: .warning, reason: "FailedScheduling", message: "0/1 nodes are available") }
        attempt()
        attempt()
        for _ in 1...5 { attempt() }
        await recorder.flush()
        #expect(Self.eventWrites(client).map(\.verb) == ["create", "patch"])
        #expect(Self.eventWrites(client).last?.body?["count"] == 2)
        clock.advance(by: 10)
        attempt()
        await recorder.flush()
        #expect(Self.eventWrites(client).count == 2)
        clock.advance(by: 20)
        #expect(await eventually { Self.eventWrites(client).count == 3 })
        #expect(Self.eventWrites(client).last?.body == ["count": 8, "lastTimestamp": "2027-01-15T08:00:10Z",
                                                       "message": "0/1 nodes are available"])
        // A repeat now waits 30 s from that write; then the background task writes it.
        clock.advance(by: 5)
        attempt()
        await recorder.flush()
        #expect(Self.eventWrites(client).count == 3)
        clock.advance(by: 25)
        #expect(await eventually { Self.eventWrites(client).count == 4 })
        #expect(Self.eventWrites(client).last?.body?["count"] == 9)
        clock.advance(by: 31)
        attempt()
        await recorder.flush()
        #expect(Self.eventWrites(client).last?.body?["count"] == 10)
    }

    @Test func tenDistinctMessagesForOneReasonAreCombined() async throws {
        let (client, clock, recorder) = Self.setUp()
        for i in 1...11 {
            recorder.record(Self.pod(), type: .warning, reason: "FailedCreate", message: "error \(i)")
            clock.advance(by: 1)
        }
        await recorder.flush()
        let writes = Self.eventWrites(client)
        // Messages 1–9 are events of their own; the 10th distinct message within 10 minutes opens
        // the combined event, and the 11th folds into it.
        #expect(writes.map(\.verb) == Array(repeating: "create", count: 10) + ["patch"])
        #expect(writes[8].body?["message"] == "error 9")
        #expect(writes[9].body?["message"] == "(combined from similar events): error 10")
        #expect(writes[9].body?["count"] == 1)
        #expect(writes[10].name == writes[9].name)
        #expect(writes[10].body?["message"] == "(combined from similar events): error 11")
        #expect(writes[10].body?["count"] == 2)
    }

    @Test func similarMessagesSpreadOverMoreThanTenMinutesAreNotCombined() async throws {
        let (client, clock, recorder) = Self.setUp()
        for i in 1...12 {
            recorder.record(Self.pod(), type: .warning, reason: "FailedCreate", message: "error \(i)")
            clock.advance(by: 601)
        }
        await recorder.flush()
        #expect(Self.eventWrites(client).allSatisfy { $0.body?["message"]?.string?.hasPrefix("error") == true })
    }

    @Test func aFoldWhoseEventIsGoneCreatesItAgain() async throws {
        let (client, clock, recorder) = Self.setUp()
        recorder.record(Self.pod(), type: .normal, reason: "Pulled", message: "ok")
        await recorder.flush()
        let name = "web.18fae27693b40000"
        _ = try await client.delete(ResourceCatalog.events, namespace: "team", name: name)  // expired by the server's TTL
        clock.advance(by: 60)
        recorder.record(Self.pod(), type: .normal, reason: "Pulled", message: "ok")
        await recorder.flush()
        let writes = Self.eventWrites(client)
        #expect(writes.map(\.verb) == ["create", "delete", "patch", "create"])
        let recreated = client.object(ResourceCatalog.events, namespace: "team", name: name)
        #expect(recreated?["count"] == 2)
        #expect(recreated?["firstTimestamp"] == "2027-01-15T08:00:00Z")
        #expect(recreated?["lastTimestamp"] == "2027-01-15T08:01:00Z")
    }

    @Test func aTransportFailureIsRetriedAfterAWait() async throws {
        let (client, clock, recorder) = Self.setUp()
        client.failNext("create", with: ClientError.connectionFailed(server: "api", reason: "refused"))
        recorder.record(Self.pod(), type: .normal, reason: "Pulled", message: "ok")
        async let flushed: Void = recorder.flush()
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: 5)
        await flushed
        #expect(Self.eventWrites(client).map(\.verb) == ["create", "create"])
        #expect(client.object(ResourceCatalog.events, namespace: "team", name: "web.18fae27693b40000") != nil)
    }

    @Test func aRefusedEventIsDroppedAndLaterEventsStillWritten() async throws {
        let (client, _, recorder) = Self.setUp()
        client.failNext("create", with: StatusError.badRequest("no"))
        recorder.record(Self.pod(), type: .normal, reason: "A", message: "first")
        recorder.record(Self.pod(), type: .normal, reason: "B", message: "second")
        await recorder.flush()
        let writes = Self.eventWrites(client)
        #expect(writes.map(\.verb) == ["create", "create"])  // no retry of the refused one
        #expect(writes.map { $0.body?["reason"] } == ["A", "B"])  // in recording order
    }

    @Test func flushWithNothingRecordedReturns() async {
        let (_, _, recorder) = Self.setUp()
        await recorder.flush()
    }
}
