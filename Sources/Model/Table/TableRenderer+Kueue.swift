import Foundation

/// Kueue's printer columns (the kubebuilder markers of kueue.x-k8s.io/v1beta1). As for every
/// CRD with additionalPrinterColumns, only the listed columns follow Name: no Age unless listed.
extension TableRenderer {
    static let clusterQueueColumns: [TableColumn] = [
        .name,
        TableColumn("Cohort", "Cohort that this ClusterQueue belongs to"),
        TableColumn("Strategy", priority: 1, "The queueing strategy used to prioritize workloads"),
        TableColumn("Pending Workloads", type: "integer", "Number of pending workloads"),
        TableColumn("Admitted Workloads", type: "integer", priority: 1, "Number of admitted workloads that haven't finished yet"),
    ]

    static let localQueueColumns: [TableColumn] = [
        .name,
        TableColumn("ClusterQueue", "Backing ClusterQueue"),
        TableColumn("Pending Workloads", type: "integer", "Number of pending workloads"),
        TableColumn("Admitted Workloads", type: "integer", "Number of admitted workloads that haven't finished yet"),
    ]

    static let workloadColumns: [TableColumn] = [
        .name,
        TableColumn("Queue", "Name of the queue this workload was submitted to"),
        TableColumn("Reserved in", "Name of the ClusterQueue where the workload is reserving quota"),
        TableColumn("Admitted", "Admission status"),
        TableColumn("Finished", "Workload finished"),
        TableColumn("Age", type: "date", "Time this workload was created"),
    ]

    static let workloadPriorityClassColumns: [TableColumn] = [
        .name,
        TableColumn("Value", type: "integer", "Value of workloadPriorityClass's Priority"),
    ]

    func clusterQueueCells(_ queue: PrintedObject) -> [JSONValue] {
        [.string(queue.name), optionalString(queue, "spec", "cohort"), optionalString(queue, "spec", "queueingStrategy"),
         optionalInt(queue, "status", "pendingWorkloads"), optionalInt(queue, "status", "admittedWorkloads")]
    }

    func localQueueCells(_ queue: PrintedObject) -> [JSONValue] {
        [.string(queue.name), optionalString(queue, "spec", "clusterQueue"), optionalInt(queue, "status", "pendingWorkloads"),
         optionalInt(queue, "status", "admittedWorkloads")]
    }

    func workloadCells(_ workload: PrintedObject) -> [JSONValue] {
        func condition(_ type: String) -> JSONValue {
            workload.conditionStatus(type, in: "status", "conditions").map(JSONValue.string) ?? .null
        }
        return [.string(workload.name), optionalString(workload, "spec", "queueName"),
                optionalString(workload, "status", "admission", "clusterQueue"),
                condition(Kueue.Condition.admitted), condition(Kueue.Condition.finished), age(workload)]
    }

    func workloadPriorityClassCells(_ priorityClass: PrintedObject) -> [JSONValue] {
        [.string(priorityClass.name), optionalInt(priorityClass, "value")]
    }

    /// A CRD column whose JSONPath finds nothing is an empty cell (kubectl prints `<none>`).
    private func optionalString(_ o: PrintedObject, _ path: String...) -> JSONValue {
        o.value(path)?.string.map(JSONValue.string) ?? .null
    }

    private func optionalInt(_ o: PrintedObject, _ path: String...) -> JSONValue {
        o.value(path)?.int.map(JSONValue.int) ?? .null
    }
}
