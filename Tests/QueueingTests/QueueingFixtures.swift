import Foundation
import Model
@testable import Queueing

/// Builders of Kueue objects for the pure tests.
enum Q {
    static func clusterQueue(_ name: String, cohort: String? = nil, strategy: String = Kueue.bestEffortFIFO, fairWeight: String? = nil,
                             flavors: [(String, [String: (nominal: String, borrowing: String?, lending: String?)])]) -> ClusterQueueView {
        let covered = Array(Set(flavors.flatMap { $0.1.keys })).sorted()
        let flavorList: [JSONValue] = flavors.map { name, resources in
            ["name": .string(name), "resources": .array(covered.map { r in
                var entry: JSONValue = ["name": .string(r), "nominalQuota": .string(resources[r]?.nominal ?? "0")]
                if let b = resources[r]?.borrowing { entry["borrowingLimit"] = .string(b) }
                if let l = resources[r]?.lending { entry["lendingLimit"] = .string(l) }
                return entry
            })]
        }
        var spec: JSONValue = ["namespaceSelector": [:], "queueingStrategy": .string(strategy),
                               "resourceGroups": [["coveredResources": .array(covered.map { .string($0) }), "flavors": .array(flavorList)]]]
        if let cohort { spec["cohort"] = .string(cohort) }
        if let fairWeight { spec["fairSharing"] = ["weight": .string(fairWeight)] }
        return ClusterQueueView(["metadata": ["name": .string(name)], "spec": spec])
    }

    static func cpu(_ nominal: String, borrowing: String? = nil, lending: String? = nil)
        -> [String: (nominal: String, borrowing: String?, lending: String?)] {
        ["cpu": (nominal, borrowing, lending)]
    }

    static func flavor(_ name: String, labels: [String: String] = [:], taints: [JSONValue] = []) -> ResourceFlavorView {
        ResourceFlavorView(["metadata": ["name": .string(name)],
                            "spec": ["nodeLabels": .object(JSONObject(labels.map { ($0.key, JSONValue.string($0.value)) })),
                                     "nodeTaints": .array(taints)]])
    }

    static func localQueue(_ name: String, _ clusterQueue: String, namespace: String = "default") -> LocalQueueView {
        LocalQueueView(["metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": ["clusterQueue": .string(clusterQueue)]])
    }

    /// A Workload of `count` pods of `cpu` each, created `age` seconds after a fixed instant.
    static func workload(_ name: String, queue: String = "lq", cpu: String, count: Int = 1, priority: Int = 0, created: Int = 0,
                         namespace: String = "default", nodeSelector: [String: String] = [:], seconds: Int? = nil,
                         admittedIn: (queue: String, flavor: String)? = nil) -> WorkloadView {
        let created = Timestamp.format(Date(timeIntervalSince1970: 1_700_000_000 + Double(created)))
        var template: JSONValue = ["spec": ["containers": [["name": "c", "resources": ["requests": ["cpu": .string(cpu)]]]]]]
        if !nodeSelector.isEmpty {
            template.setValue(.object(JSONObject(nodeSelector.map { ($0.key, JSONValue.string($0.value)) })), at: ["spec", "nodeSelector"])
        }
        var object: JSONValue = ["metadata": ["name": .string(name), "namespace": .string(namespace), "creationTimestamp": .string(created)],
                                 "spec": ["queueName": .string(queue), "priority": .int(Int64(priority)),
                                          "podSets": [["name": "main", "count": .int(Int64(count)), "template": template]]]]
        if let seconds { object.setValue(.int(Int64(seconds)), at: ["spec", "maximumExecutionTimeSeconds"]) }
        if let admittedIn {
            let total = (try! Quantity(parsing: cpu)) * Int64(count)
            object["status"] = ["admission": WorkloadAdmission(clusterQueue: admittedIn.queue, podSetAssignments: [
                .init(name: "main", flavors: ["cpu": admittedIn.flavor], resourceUsage: ["cpu": total], count: count)]).json,
                                "conditions": [["type": "QuotaReserved", "status": "True", "lastTransitionTime": .string(created)],
                                               ["type": "Admitted", "status": "True"]]]
        }
        return WorkloadView(object)
    }

    static func q(_ text: String) -> Quantity { try! Quantity(parsing: text) }

    /// The fixed instant workloads are created after (`created: N` is N seconds later).
    static func at(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + Double(seconds)) }

    /// A queue's `spec.preemption`.
    static func preempting(_ queue: ClusterQueueView, within: String = "Never", reclaim: String = "Never",
                           borrow: String? = nil, threshold: Int? = nil) -> ClusterQueueView {
        var object = queue.object
        var preemption: JSONValue = ["withinClusterQueue": .string(within), "reclaimWithinCohort": .string(reclaim)]
        if let borrow {
            preemption["borrowWithinCohort"] = ["policy": .string(borrow)]
            if let threshold { preemption.setValue(.int(Int64(threshold)), at: ["borrowWithinCohort", "maxPriorityThreshold"]) }
        }
        object.setValue(preemption, at: ["spec", "preemption"])
        return ClusterQueueView(object)
    }

    static func input(_ queues: [ClusterQueueView], _ workloads: [WorkloadView], now: Int = 0) -> QueueSchedulingInput {
        QueueSchedulingInput(clusterQueues: queues, localQueues: queues.map { localQueue("lq-\($0.name)", $0.name) },
                             flavors: [flavor("default")], workloads: workloads, namespaceLabels: [:], now: at(now))
    }
}
