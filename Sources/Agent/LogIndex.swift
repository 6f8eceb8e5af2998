import Foundation

/// Which log files belong to which pod, kept up to date by the pod manager and read by the log
/// endpoint from its HTTP threads.
final class LogIndex: @unchecked Sendable {
    /// One container's log state: the current instance's restart number and whether it runs.
    struct Container: Equatable {
        var restart: Int
        var running: Bool
        /// A previous instance exists (`previous=true` is answerable).
        var hasPrevious: Bool
        /// The running instance's process id in the runtime (for usage sampling).
        var processID: String? = nil
    }

    struct Pod: Equatable {
        var uid: String
        /// The pod's labels, copied into its PodMetrics.
        var labels: [String: String] = [:]
        /// In spec order: init containers first.
        var containers: [(name: String, state: Container)]

        static func == (a: Pod, b: Pod) -> Bool {
            a.uid == b.uid && a.labels == b.labels && a.containers.elementsEqual(b.containers) { $0.name == $1.name && $0.state == $1.state }
        }

        func container(_ name: String) -> Container? { containers.first { $0.name == name }?.state }
    }

    private let lock = NSLock()
    private var pods: [String: Pod] = [:]

    private func key(_ namespace: String, _ name: String) -> String { namespace + "/" + name }

    func set(namespace: String, name: String, pod: Pod?) {
        lock.withLock { pods[key(namespace, name)] = pod }
    }

    func pod(namespace: String, name: String) -> Pod? {
        lock.withLock { pods[key(namespace, name)] }
    }

    /// Every pod on the node: (namespace, name, entry).
    func all() -> [(namespace: String, name: String, pod: Pod)] {
        lock.withLock {
            pods.map { key, pod in
                let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "", pod)
            }
        }
    }
}

extension PodWorker {
    /// This pod's entry in the log index. Main containers come first so the default container is
    /// the first one of the spec.
    var logEntry: LogIndex.Pod {
        let labels = (pod.value(at: ["metadata", "labels"])?.object?.pairs ?? []).compactMap { k, v in v.string.map { (k, $0) } }
        return LogIndex.Pod(uid: uid, labels: Dictionary(labels, uniquingKeysWith: { a, _ in a }), containers: (containers + initContainers).map { record in
            let hasRun = record.isRunning || record.termination != nil || record.lastTerminated != nil
            return (record.name, LogIndex.Container(restart: record.restartCount, running: record.isRunning,
                                                    hasPrevious: hasRun && record.restartCount > 0,
                                                    processID: record.isRunning ? record.processID : nil))
        })
    }
}
