import Foundation
import Postgres
import Testing
import TestSupport

/// The Postgres module against a real server.
@Suite struct PostgresConnectionTests {
    @Test func parametersAndNullsRoundTripAndErrorsCarrySQLState() throws {
        let c = try Connection(try TemporaryPostgres.createEmptyDatabase())
        let r = try c.exec("SELECT $1::text, $2::text, $3::int + 1", ["héllo", nil, "41"])
        #expect(r.rows == [["héllo", nil, "42"]])
        #expect(r.bytes(0, 0) == Array("héllo".utf8))
        try c.exec("CREATE TABLE t (id int PRIMARY KEY)")
        try c.execPrepared("ins", sql: "INSERT INTO t VALUES ($1)", ["1"])
        do {
            try c.execPrepared("ins", sql: "INSERT INTO t VALUES ($1)", ["1"])
            Issue.record("expected a unique violation")
        } catch {
            #expect(error.sqlState == "23505")
            #expect(!error.connectionLost)
        }
        #expect(throws: PostgresError.self) { try c.exec("SELECT $1::jsonb", ["{bad"]) }
        #expect(c.isHealthy && c.isIdle)
    }

    @Test func connectingToNothingFailsWithAMessage() {
        #expect(!Connection.ping("host=/nonexistent port=1"))
        do {
            _ = try Connection("host=/nonexistent port=1 connect_timeout=2")
            Issue.record("expected a connection failure")
        } catch {
            #expect(error.connectionLost)
            #expect(!error.message.isEmpty)
        }
    }

    @Test func poolBlocksAtCapacityAndReplacesBrokenConnections() throws {
        let conninfo = try TemporaryPostgres.createEmptyDatabase()
        let pool = Pool(conninfo: conninfo, capacity: 2)
        defer { pool.close() }
        let a = try pool.checkout()
        let b = try pool.checkout()
        let gotThird = DispatchSemaphore(value: 0)
        Thread { if let c = try? pool.checkout() { pool.checkin(c) }; gotThird.signal() }.start()
        #expect(gotThird.wait(timeout: .now() + 0.2) == .timedOut)
        // Kill b's backend from a; the pool must hand out a working session afterwards.
        let pid = try b.exec("SELECT pg_backend_pid()").string(0, 0) ?? "0"
        try a.exec("SELECT pg_terminate_backend($1::int)", [pid])
        _ = try? b.exec("SELECT 1")
        pool.checkin(b)
        #expect(gotThird.wait(timeout: .now() + 10) == .success)
        pool.checkin(a)
        let value = try pool.withConnection { c in try c.exec("SELECT 7").string(0, 0) }
        #expect(value == "7")
    }

    @Test func listenerDeliversNotificationsAndReconnects() throws {
        let conninfo = try TemporaryPostgres.createEmptyDatabase()
        let received = DispatchSemaphore(value: 0)
        let reconnected = DispatchSemaphore(value: 0)
        let payloads = Atomic<[String]>([])
        let listener = try Listener(conninfo: conninfo, channels: ["ch"], onNotification: { channel, payload in
            payloads.mutate { $0.append("\(channel):\(payload)") }
            received.signal()
        }, onReconnect: { reconnected.signal() })
        defer { listener.stop() }
        let sender = try Connection(conninfo)
        try sender.exec("NOTIFY ch, 'one'")
        #expect(received.wait(timeout: .now() + 10) == .success)
        try sender.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'")
        #expect(reconnected.wait(timeout: .now() + 10) == .success)
        try sender.exec("NOTIFY ch, 'two'")
        #expect(received.wait(timeout: .now() + 10) == .success)
        #expect(payloads.value == ["ch:one", "ch:two"])
    }
}
