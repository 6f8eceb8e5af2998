import Dispatch

/// Polls `condition` until it holds or `seconds` of the test's running time pass; returns whether
/// it held. Tests wait for outcomes this way and assert the outcome, never the time it took.
///
/// Time counts only while the test gets to run. Other tests make blocking calls on Swift's
/// cooperative threads (starting the shared PostgreSQL, libpq, process waits); on two cores that
/// can stall every task, the code under test included, for many seconds. A poll that wakes up more
/// than `starvationStep` late was such a stall, so only `starvationStep` of it is counted; a wall
/// clock limit of ten times `seconds` still ends a wait that never gets anywhere.
public func eventually(within seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let starvationStep = 0.25
    let started = DispatchTime.now().uptimeNanoseconds
    var left = seconds, last = started
    while left > 0, Double(last - started) / 1e9 < seconds * 10 {
        if try await condition() { return true }
        try? await Task.sleep(nanoseconds: 5_000_000)
        let now = DispatchTime.now().uptimeNanoseconds
        left -= min(Double(now - last) / 1e9, starvationStep)
        last = now
    }
    return try await condition()
}

/// `eventually` for a value: polls `probe` until it returns one (or the time is up, then nil).
public func eventually<T>(within seconds: Double = 20, _ probe: () async throws -> T?) async rethrows -> T? {
    var value: T?
    _ = try await eventually(within: seconds) { () async throws -> Bool in
        value = try await probe()
        return value != nil
    }
    return value
}
