import Foundation
import Model

/// The pure part of `drover queue`: rows for the queues' summary and for one queue's pending
/// Workloads (squeue's columns: position, job, priority, requested, waiting for how long, why).
enum QueueTables {
    /// ClusterQueues: cohort, strategy, usage of each quota (`cpu 10/8 (+2 borrowed)`), counts and
    /// the fair-sharing share where the server reports one.
    static func clusterQueueRows(_ queues: [JSONValue]) -> [[String]] {
        var rows = [["CLUSTERQUEUE", "COHORT", "STRATEGY", "USAGE", "PENDING", "ADMITTED", "SHARE"]]
        for queue in queues.sorted(by: { $0.objectName < $1.objectName }) {
            let view = ClusterQueueView(queue)
            let share = queue.value(at: ["status", "fairSharing", "weightedShare"])?.int.map(String.init) ?? "-"
            rows.append([view.name, view.cohort ?? "-", view.queueingStrategy, usage(queue),
                         count(queue, "pendingWorkloads"), count(queue, "admittedWorkloads"), share])
        }
        return rows
    }

    /// LocalQueues: the ClusterQueue each feeds and their counts.
    static func localQueueRows(_ queues: [JSONValue], showNamespace: Bool) -> [[String]] {
        var rows = [(showNamespace ? ["NAMESPACE"] : []) + ["LOCALQUEUE", "CLUSTERQUEUE", "PENDING", "ADMITTED"]]
        for queue in queues.sorted(by: { ($0.objectNamespace, $0.objectName) < ($1.objectNamespace, $1.objectName) }) {
            rows.append((showNamespace ? [queue.objectNamespace] : [])
                        + [queue.objectName, LocalQueueView(queue).clusterQueue, count(queue, "pendingWorkloads"), count(queue, "admittedWorkloads")])
        }
        return rows
    }

    /// One queue's pending Workloads in the order of the visibility API's summary, joined with
    /// the Workloads themselves (what they request and why they wait). Positions are 1-based
    /// (the API's are 0-based), in the ClusterQueue or in the LocalQueue.
    static func pendingRows(summary: JSONValue, workloads: [JSONValue], inLocalQueue: Bool, showNamespace: Bool, now: Date) -> [[String]] {
        let byKey = Dictionary(workloads.map { ("\($0.objectNamespace)/\($0.objectName)", WorkloadView($0)) },
                               uniquingKeysWith: { a, _ in a })
        var rows = [["POSITION"] + (showNamespace ? ["NAMESPACE"] : []) + ["JOB", "PRIORITY", "REQUESTED", "WAITING", "WHY"]]
        for item in summary["items"]?.array ?? [] {
            let name = item.objectName, namespace = item.objectNamespace
            let workload = byKey["\(namespace)/\(name)"]
            let position = item[inLocalQueue ? "positionInLocalQueue" : "positionInClusterQueue"]?.int ?? 0
            let job = workload?.ownerJob.map { "job/\($0.name)" } ?? "workload/\(name)"
            let created = item.value(at: ["metadata", "creationTimestamp"])?.string.flatMap(Timestamp.parse)
            rows.append(["\(position + 1)"] + (showNamespace ? [namespace] : []) + [
                job, "\(item["priority"]?.int ?? 0)", workload.map(requested) ?? "-",
                created.map { HumanDuration.format(now.timeIntervalSince($0)) } ?? "-", workload.map(why) ?? "-",
            ])
        }
        return rows
    }

    /// `cpu 8, memory 1Gi`: the whole request, pods left out.
    static func requested(_ workload: WorkloadView) -> String {
        let parts = workload.totalRequests.filter { $0.key != "pods" }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    /// The reason of the QuotaReserved=False message, without the position the table already shows.
    static func why(_ workload: WorkloadView) -> String {
        guard let condition = workload.condition(Kueue.Condition.quotaReserved), !condition.isTrue else { return "-" }
        let parts = condition.message.components(separatedBy: "; ")
        let reason = parts.first?.hasPrefix("waiting for quota in ClusterQueue") == true ? parts.dropFirst() : parts[...]
        return reason.isEmpty ? condition.reason : reason.joined(separator: "; ")
    }

    /// Usage against nominal quota per flavor and resource, from status.flavorsUsage.
    static func usage(_ queue: JSONValue) -> String {
        let view = ClusterQueueView(queue)
        let flavorCount = view.resourceGroups.reduce(0) { $0 + $1.flavors.count }
        var parts: [String] = []
        for flavor in queue.value(at: ["status", "flavorsUsage"])?.array ?? [] {
            let flavorName = flavor["name"]?.string ?? ""
            let quotas = view.resourceGroups.flatMap(\.flavors).first { $0.name == flavorName }?.resources ?? [:]
            for resource in flavor["resources"]?.array ?? [] {
                let name = resource["name"]?.string ?? ""
                guard let nominal = quotas[name]?.nominal else { continue }
                let total = resource["total"].flatMap { try? Quantity(json: $0) } ?? .zero
                let borrowed = resource["borrowed"].flatMap { try? Quantity(json: $0) } ?? .zero
                var text = (flavorCount > 1 ? "\(flavorName)/" : "") + "\(name) \(total)/\(nominal)"
                if borrowed > .zero { text += " (+\(borrowed) borrowed)" }
                parts.append(text)
            }
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    private static func count(_ queue: JSONValue, _ field: String) -> String {
        queue.value(at: ["status", field])?.int.map(String.init) ?? "0"
    }
}
