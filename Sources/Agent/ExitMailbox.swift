import Foundation

/// Where process exits land, from whatever thread the runtime reports them on, until the pod's
/// next sync collects them; each arrival also wakes the pod sync loop.
final class ExitMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var exits: [String: ProcessExit] = [:]
    private let wake: @Sendable (String) -> Void

    /// `wake` gets the process id (`<pod uid>/<container>/<restart>`).
    init(wake: @escaping @Sendable (String) -> Void) { self.wake = wake }

    func post(id: String, exit: ProcessExit) {
        lock.withLock { exits[id] = exit }
        wake(id)
    }

    func take(id: String) -> ProcessExit? {
        lock.withLock { exits.removeValue(forKey: id) }
    }
}
