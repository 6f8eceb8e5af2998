import Foundation

/// A container process the runtime watches: started by it, or adopted from an earlier agent run.
/// Immutable but for `watcher`, which is set once right after the watch begins (under the runtime's lock).
final class ManagedProcess: @unchecked Sendable {
    let record: RuntimeStateStore.Record
    /// The agent's own child, so `waitpid` yields the real exit status.
    let isChild: Bool
    let onExit: @Sendable (ProcessExit) -> Void
    var watcher: PidWatcher?

    init(record: RuntimeStateStore.Record, isChild: Bool, onExit: @escaping @Sendable (ProcessExit) -> Void) {
        self.record = record
        self.isChild = isChild
        self.onExit = onExit
    }

    var pid: Int32 { record.pid }
}
