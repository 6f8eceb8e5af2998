import Client
import Foundation
import Model
import Testing
import TestSupport

/// The fault matrix's failover row: a real `drover server` on a primary and a synchronous streaming
/// standby named together (`target_session_attrs=read-write`). Under a writer and a watch the
/// primary is stopped and the standby promoted: the server answers 503 with Retry-After meanwhile,
/// reconnects to the new primary, LISTENs there again, and the watch — resumed from its last
/// resourceVersion — delivers every acknowledged create exactly once; none is lost.
@Suite(.serialized) struct PostgresFailoverEndToEndTests {
    typealias Restart = PostgresRestartEndToEndTests

    @Test func aFailoverToThePromotedStandbyLosesNothingAcknowledged() async throws {
        try await offCooperativePool {
            let postgres = try ReplicatedPostgres()
            defer { postgres.stop() }
            let server = try DroverServerProcess(databaseURL: postgres.conninfo, arguments: ["--no-scheduler", "--no-controllers"])
            defer { server.stop() }
            let client = try HTTPAPIClient(server: server.server, token: nil, requestTimeout: 10)
            _ = try await client.create(ResourceCatalog.namespaces, namespace: nil,
                                        object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "fault"]])
            let start = try await client.list(ResourceCatalog.leases, namespace: "fault").resourceVersion
            let record = Restart.Record()
            let done = LockedFlag()
            let watcher = Task { await Restart.follow(client, from: start, record, stop: { done.value }) }
            let writer = Task {
                var i = 0
                let end = Date().addingTimeInterval(12)
                while Date() < end {
                    await Restart.createUntilStored(client, "l-\(i)", record, until: end.addingTimeInterval(30))
                    i += 1
                }
            }
            try await Task.sleep(nanoseconds: 3_000_000_000)
            try postgres.failOver()
            let beforeFailover = record.acks.count
            await writer.value

            let acknowledged = record.acks
            #expect(acknowledged.count > beforeFailover + 10, "writes went on after the failover: \(beforeFailover) → \(acknowledged.count)")
            #expect(Set(record.answers.keys).isSubset(of: [201, 409, 503]), "answers: \(record.answers)\n\(server.logText.suffix(2000))")
            #expect(record.missingRetryAfter == 0)
            let stored = Set(try await client.list(ResourceCatalog.leases, namespace: "fault").items
                .compactMap { $0.value(at: ["metadata", "name"])?.string })
            #expect(Set(acknowledged).isSubset(of: stored), "lost: \(Set(acknowledged).subtracting(stored).sorted())")
            #expect(await eventually(within: 20) { Set(acknowledged).isSubset(of: Set(record.seen.keys)) },
                    "the watch missed \(Set(acknowledged).subtracting(record.seen.keys).sorted())")
            #expect(record.seen.values.allSatisfy { $0 == 1 }, "delivered twice: \(record.seen.filter { $0.value > 1 })")
            // The writes after the failover went to the promoted standby, the only primary left.
            #expect(postgres.standbyIsPrimary)
            done.set()
            watcher.cancel()
            _ = await watcher.value
        }
    }
}
