import Foundation

/// Kueue's visibility API (visibility.kueue.x-k8s.io/v1beta1), pure: the pending Workloads of a
/// ClusterQueue or LocalQueue in queue order, with their 0-based positions in both, as Kueue's
/// `pendingworkloads` subresources answer (`PendingWorkloadsSummary`).
public enum PendingWorkloads {
    public static let group = "visibility.kueue.x-k8s.io"
    public static let version = "v1beta1"
    public static var apiVersion: String { "\(group)/\(version)" }
    /// Kueue's defaults for the `limit` and `offset` query parameters.
    public static let defaultLimit = 1000

    /// One pending Workload and where it stands.
    public struct Entry: Sendable, Equatable {
        public var workload: WorkloadView
        public var localQueue: String
        public var positionInClusterQueue: Int
        public var positionInLocalQueue: Int
    }

    /// Every pending Workload (active, holding no quota, not finished) whose LocalQueue feeds
    /// `clusterQueue`, in Kueue's queue order (priority, then creation), positions counted in the
    /// ClusterQueue and in each LocalQueue.
    public static func inClusterQueue(_ clusterQueue: String, localQueues: [LocalQueueView], workloads: [WorkloadView]) -> [Entry] {
        let feeding = Set(localQueues.filter { $0.clusterQueue == clusterQueue }.map { "\($0.namespace)/\($0.name)" })
        let pending = workloads.filter { $0.isPendingForQuota && feeding.contains("\($0.namespace)/\($0.queueName)") }
            .sorted(by: WorkloadView.queueOrder)
        var perLocal: [String: Int] = [:]
        return pending.enumerated().map { index, workload in
            let local = "\(workload.namespace)/\(workload.queueName)"
            let inLocal = perLocal[local, default: 0]
            perLocal[local] = inLocal + 1
            return Entry(workload: workload, localQueue: workload.queueName, positionInClusterQueue: index, positionInLocalQueue: inLocal)
        }
    }

    /// The pending Workloads of one LocalQueue (positions as in its ClusterQueue).
    public static func inLocalQueue(_ local: LocalQueueView, localQueues: [LocalQueueView], workloads: [WorkloadView]) -> [Entry] {
        inClusterQueue(local.clusterQueue, localQueues: localQueues, workloads: workloads)
            .filter { $0.workload.namespace == local.namespace && $0.localQueue == local.name }
    }

    /// A `PendingWorkloadsSummary` of the entries from `offset`, at most `limit` of them.
    public static func summary(_ entries: [Entry], offset: Int = 0, limit: Int = defaultLimit) -> JSONValue {
        let page = entries.dropFirst(offset).prefix(limit)
        let items: [JSONValue] = page.map { entry in
            let meta = entry.workload.metadata
            var metadata: JSONValue = ["name": .string(meta.name), "namespace": .string(meta.namespace),
                                       "creationTimestamp": entry.workload.object["metadata"]?["creationTimestamp"] ?? .null]
            if let owners = entry.workload.object["metadata"]?["ownerReferences"], owners.array?.isEmpty == false {
                metadata["ownerReferences"] = owners
            }
            return ["metadata": metadata, "priority": .int(Int64(entry.workload.priority)),
                    "localQueueName": .string(entry.localQueue),
                    "positionInClusterQueue": .int(Int64(entry.positionInClusterQueue)),
                    "positionInLocalQueue": .int(Int64(entry.positionInLocalQueue))]
        }
        return ["kind": "PendingWorkloadsSummary", "apiVersion": .string(apiVersion),
                "metadata": ["creationTimestamp": .null], "items": .array(items)]
    }
}

extension WorkloadView {
    /// Waiting for quota: active, holding none, not finished.
    public var isPendingForQuota: Bool { isActive && !hasQuotaReservation && !isFinished }

    /// Kueue's queue order: priority, then creation time (then key, for a stable order).
    public static func queueOrder(_ a: WorkloadView, _ b: WorkloadView) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.creationTimestamp != b.creationTimestamp { return a.creationTimestamp < b.creationTimestamp }
        return a.key < b.key
    }
}
