import Postgres
import Testing
import TestSupport
@testable import Store

/// Every store session runs with JIT off, whatever form the conninfo takes.
@Suite struct SessionSettingsTests {
    @Test(arguments: [
        ("host=/tmp dbname=x", "host=/tmp dbname=x options='-c jit=off'"),
        ("", "options='-c jit=off'"),
        ("postgresql://u@h/db", "postgresql://u@h/db?options=-c%20jit%3Doff"),
        ("postgres://u@h/db?sslmode=disable", "postgres://u@h/db?sslmode=disable&options=-c%20jit%3Doff"),
        ("host=h options='-c work_mem=64MB'", "host=h options='-c work_mem=64MB'"),
    ])
    func optionsAreAddedUnlessTheConninfoHasItsOwn(conninfo: String, expected: String) {
        #expect(SessionSettings.apply(to: conninfo) == expected)
    }

    @Test func storeSessionsRunWithoutJIT() throws {
        let store = try TemporaryPostgres.makeStore()
        defer { store.close() }
        let jit = try store.read { c throws(PostgresError) in try c.exec("SHOW jit") }.string(0, 0)
        #expect(jit == "off")
    }
}
