import Client
import Foundation
import Model

/// Follows the logs of a Job's pods, one stream per container, each line prefixed with the pod (and
/// the container when the pod has several): `[hello-x7k2p] line`. A container is followed once,
/// from the moment it has started (running or already finished: a followed log of a finished
/// container is its whole output, then the end).
final class LogFollowers: @unchecked Sendable {
    private let client: any APIClient
    private let namespace: String
    private let container: String?
    private let options: [(String, String)]
    private let deliver: @Sendable (String) -> Void
    private let lock = NSLock()
    private var started: Set<String> = []
    private var tasks: [Task<Void, Never>] = []

    /// Lines go to `deliver` as they complete (a partial last line when its stream ends).
    /// - Parameters:
    ///   - container: only this container (every container when nil).
    ///   - options: extra pods/log query parameters (`tailLines`, `timestamps`).
    init(client: any APIClient, namespace: String, container: String? = nil, options: [(String, String)] = [],
         deliver: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.namespace = namespace
        self.container = container
        self.options = options
        self.deliver = deliver
    }

    /// Starts following each container of `pod` that has started and is not followed yet.
    func start(for pod: PodView) {
        guard pod.nodeName != nil else { return }
        let statuses = pod.containerStatuses
        let several = pod.containerNames.count > 1
        for status in statuses where (status.isRunning || status.terminated != nil) && (container == nil || container == status.name) {
            let key = "\(pod.name)/\(status.name)"
            let prefix = several ? "[\(pod.name)/\(status.name)] " : "[\(pod.name)] "
            let isNew = lock.withLock { started.insert(key).inserted }
            guard isNew else { continue }
            let request = LogsCommand.request(namespace: namespace, pod: pod.name, container: status.name,
                                              options: [("follow", "true")] + options)
            let task = Task { [client, deliver] in await Self.follow(client.stream(request), prefix: prefix, deliver: deliver) }
            lock.withLock { tasks.append(task) }
        }
    }

    /// Waits until every stream has ended, or `seconds` have passed.
    func waitForAll(upTo seconds: Double) async {
        let current = lock.withLock { tasks }
        let deadline = Date().addingTimeInterval(seconds)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for task in current { await task.value } }
            group.addTask { try? await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSinceNow))) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Stops every stream.
    func stopAll() {
        lock.withLock { tasks }.forEach { $0.cancel() }
    }

    private static func follow(_ stream: AsyncThrowingStream<[UInt8], any Error>, prefix: String,
                               deliver: @Sendable (String) -> Void) async {
        var pending: [UInt8] = []
        do {
            for try await chunk in stream {
                pending += chunk
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    deliver(prefix + String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
        } catch {
            // A log that cannot be read (the pod's node went away) is not worth failing the watch for.
            if !(error is CancellationError) { deliver(prefix + "(log unavailable: \(ErrorReport.describe(error)))") }
        }
        if !pending.isEmpty { deliver(prefix + String(decoding: pending, as: UTF8.self)) }
    }
}
