import Postgres

extension StoreError {
    /// A database failure as the API should see it. SQLSTATE class 22 ("data exception": 22P05
    /// untranslatable character — `\u0000` in jsonb —, 22021 character not in repertoire, 22P02
    /// invalid text representation — invalid JSON —, numeric overflows, ...) is always about a
    /// value the request carried, so it is `.rejected` (a 4xx); anything else — a lost connection,
    /// a missing table, a crash — is `.unavailable` (503), which clients retry.
    init(_ error: PostgresError) {
        if let state = error.sqlState, state.hasPrefix("22") {
            self = .rejected(error.description)
        } else {
            self = .unavailable(error.description)
        }
    }
}
