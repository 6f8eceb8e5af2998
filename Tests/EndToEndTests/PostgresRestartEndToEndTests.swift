import Client
import Foundation
import Model
import Testing
import TestSupport

/// The fault matrix's "PostgreSQL restarted" row, on a real `drover up`: a writer creates objects
/// back to back and a watch follows them while the embedded PostgreSQL is killed with SIGKILL and
/// restarted by `drover up`. During the outage every answer is 503 with Retry-After (never a 500,
/// never a crash); afterwards every acknowledged create is stored, and the watch — resumed from
/// the last resourceVersion it saw — delivered each of them exactly once, with no gap.
@Suite(.serialized) struct PostgresRestartEndToEndTests {
    static let leases = ResourceCatalog.leases

    final class Record: @unchecked Sendable {
        private let lock = NSLock()
        private var acknowledged: [String] = []
        private var statuses: [Int: Int] = [:]
        private var retryAfterMissing = 0
        private var watched: [String: Int] = [:]
        func ack(_ name: String) { lock.withLock { acknowledged.append(name) } }
        func answer(_ status: Int, retryAfter: String?) {
            lock.withLock {
                statuses[status, default: 0] += 1
                if status == 503 && retryAfter == nil { retryAfterMissing += 1 }
            }
        }
        func saw(_ name: String) { lock.withLock { watched[name, default: 0] += 1 } }
        var acks: [String] { lock.withLock { acknowledged } }
        var answers: [Int: Int] { lock.withLock { statuses } }
        var missingRetryAfter: Int { lock.withLock { retryAfterMissing } }
        var seen: [String: Int] { lock.withLock { watched } }
    }

    static func lease(_ name: String) -> JSONValue {
        ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": .string(name), "namespace": "fault"],
         "spec": ["holderIdentity": "writer"]]
    }

    /// Creates `name` until it is stored: 201, or 409 after an answer that may have hidden a commit.
    static func createUntilStored(_ client: HTTPAPIClient, _ name: String, _ record: Record, until deadline: Date) async {
        while Date() < deadline {
            let request = RawRequest(method: "POST", path: "/apis/coordination.k8s.io/v1/namespaces/fault/leases", json: lease(name))
            guard let answer = try? await client.raw(request) else {
                record.answer(0, retryAfter: nil)
                try? await Task.sleep(nanoseconds: 100_000_000)
                continue
            }
            record.answer(answer.status, retryAfter: answer.headers["retry-after"])
            if answer.status == 201 || answer.status == 409 { return record.ack(name) }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    /// Follows the namespace's Leases from `resourceVersion`, reopening the watch from the last
    /// version seen whenever it ends, until `stop` says so.
    static func follow(_ client: HTTPAPIClient, from resourceVersion: String, _ record: Record, stop: @escaping @Sendable () -> Bool) async {
        var last = resourceVersion
        while !stop() {
            do {
                for try await event in client.watch(leases, namespace: "fault", options: WatchOptions(resourceVersion: last, timeoutSeconds: 5)) {
                    if let version = event.object.value(at: ["metadata", "resourceVersion"])?.string { last = version }
                    if event.type == .added, let name = event.object.value(at: ["metadata", "name"])?.string { record.saw(name) }
                    if stop() { return }
                }
            } catch {
                try? await Task.sleep(nanoseconds: 200_000_000)
            }
        }
    }

    @Test func writesDuringARestartAreRefusedWith503AndNoneAcknowledgedIsLostOrMissedByTheWatch() async throws {
        try await offCooperativePool {
            let up = try DroverUp(arguments: ["--no-agent"])
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token, requestTimeout: 10)
            _ = try await client.create(ResourceCatalog.namespaces, namespace: nil,
                                        object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "fault"]])
            let start = try await client.list(Self.leases, namespace: "fault").resourceVersion
            let record = Record()
            let done = LockedFlag()
            let watcher = Task { await Self.follow(client, from: start, record, stop: { done.value }) }
            let writer = Task {
                var i = 0
                let end = Date().addingTimeInterval(15)
                while Date() < end {
                    await Self.createUntilStored(client, "l-\(i)", record, until: end.addingTimeInterval(30))
                    i += 1
                }
            }
            try await Task.sleep(nanoseconds: 3_000_000_000)
            let postmaster = try #require(DroverUpTests.postmasterPID(dataDir: up.dataDir))
            kill(postmaster, SIGKILL)
            await writer.value

            let acknowledged = record.acks
            #expect(acknowledged.count > 20)
            #expect(record.answers[503] ?? 0 > 0, "the outage was seen: \(record.answers)")
            #expect(record.missingRetryAfter == 0, "every 503 carries Retry-After")
            #expect(Set(record.answers.keys).isSubset(of: [201, 409, 503]), "answers: \(record.answers)\n\(up.logText.suffix(2000))")
            let stored = Set(try await client.list(Self.leases, namespace: "fault").items.compactMap { $0.value(at: ["metadata", "name"])?.string })
            #expect(Set(acknowledged).isSubset(of: stored), "lost: \(Set(acknowledged).subtracting(stored).sorted())")
            #expect(await eventually(within: 20) { Set(acknowledged).isSubset(of: Set(record.seen.keys)) },
                    "the watch missed \(Set(acknowledged).subtracting(record.seen.keys).sorted())")
            #expect(record.seen.values.allSatisfy { $0 == 1 }, "delivered twice: \(record.seen.filter { $0.value > 1 })")
            done.set()
            watcher.cancel()
            _ = await watcher.value
        }
    }
}

/// A flag set once, read from any thread.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false
    var value: Bool { lock.withLock { isSet } }
    func set() { lock.withLock { isSet = true } }
}
