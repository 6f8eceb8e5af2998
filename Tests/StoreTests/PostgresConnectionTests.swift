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

    @Test func pipelineRunsStatementsInOrderAndSkipsTheRestAfterAnError() throws {
        let c = try Connection(try TemporaryPostgres.createEmptyDatabase())
        try c.exec("CREATE TABLE t (n int PRIMARY KEY)")
        var statements = [PipelinedStatement(sql: "BEGIN")]
        statements += (1...150).map { PipelinedStatement(name: "ins", sql: "INSERT INTO t VALUES ($1) RETURNING n", params: [String($0)]) }
        statements.append(PipelinedStatement(sql: "COMMIT"))
        let results = try c.pipeline(statements)
        #expect(results.count == 152)
        #expect(try results[150].get().string(0, 0) == "150")
        #expect(try c.exec("SELECT count(*) FROM t").int64(0, 0) == 150)

        statements[100] = PipelinedStatement(sql: "INSERT INTO t VALUES (1)")
        statements = statements.map { s in var s = s; s.params = s.params.map { $0.map { String(Int($0)! + 1000) } }; return s }
        let failed = try c.pipeline(statements)
        #expect(failed.count == 152)
        #expect((try? failed[99].get()) != nil)
        for i in 100..<152 {
            guard case .failure(let error) = failed[i] else { Issue.record("statement \(i) should have failed"); continue }
            #expect(error.sqlState == "23505")
        }
        try c.exec("ROLLBACK")
        #expect(try c.exec("SELECT count(*) FROM t").int64(0, 0) == 150)
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
