import Foundation

/// Renders objects as the meta.k8s.io/v1 `Table` that `kubectl get` asks for (KUBE-API.md §6),
/// with upstream's column sets for every kind Drover serves.
///
/// Rows always carry every column, wide ones included, as upstream's server does; kubectl hides
/// `priority: 1` columns unless `-o wide`. Ages are computed against the injected `now`.
public struct TableRenderer: Sendable {
    /// What each row's `object` holds (`?includeObject=`).
    public enum IncludeObject: String, Sendable, CaseIterable {
        /// No `object` in the rows.
        case none = "None"
        /// A `PartialObjectMetadata` with the full `metadata` (the default).
        case metadata = "Metadata"
        /// The whole object.
        case object = "Object"
    }

    /// The instant ages and durations are measured to.
    public var now: Date
    /// What each row's `object` holds.
    public var includeObject: IncludeObject

    public init(now: Date, includeObject: IncludeObject = .metadata) {
        self.now = now
        self.includeObject = includeObject
    }

    /// The Table for a list response. `resourceVersion`, `continueToken` and `remainingItemCount`
    /// become the Table's list metadata. Watch events after the first may leave out the column
    /// definitions, as upstream does.
    public func table(for resource: ResourceInfo, objects: [JSONValue], resourceVersion: String? = nil,
                      continueToken: String? = nil, remainingItemCount: Int64? = nil,
                      includeColumnDefinitions: Bool = true) -> JSONValue {
        var metadata = JSONObject()
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        if let continueToken, !continueToken.isEmpty { metadata["continue"] = .string(continueToken) }
        if let remainingItemCount { metadata["remainingItemCount"] = .int(remainingItemCount) }
        let columns = includeColumnDefinitions ? Self.columns(for: resource).map(\.json) : []
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(metadata),
            "columnDefinitions": .array(columns),
            "rows": .array(objects.map { row(for: $0, resource: resource) }),
        ]
    }

    /// The one-row Table for a single GET or a watch event; its resourceVersion is the object's.
    public func table(for resource: ResourceInfo, object: JSONValue, includeColumnDefinitions: Bool = true) -> JSONValue {
        table(for: resource, objects: [object], resourceVersion: object.value(at: ["metadata", "resourceVersion"])?.string,
              includeColumnDefinitions: includeColumnDefinitions)
    }

    /// The column definitions for a resource; unknown kinds get Name and Age.
    public static func columns(for resource: ResourceInfo) -> [TableColumn] {
        switch resource.kind {
        case "Pod": return podColumns
        case "Job": return jobColumns
        case "CronJob": return cronJobColumns
        case "Deployment": return deploymentColumns
        case "ReplicaSet": return replicaSetColumns
        case "DaemonSet": return daemonSetColumns
        case "ControllerRevision": return controllerRevisionColumns
        case "Node": return nodeColumns
        case "Namespace": return namespaceColumns
        case "Event": return eventColumns
        case "Secret": return secretColumns
        case "ConfigMap": return configMapColumns
        case "PriorityClass": return priorityClassColumns
        case "Lease": return leaseColumns
        case "PodGroup": return podGroupColumns
        case "PodDisruptionBudget": return podDisruptionBudgetColumns
        case "HorizontalPodAutoscaler": return horizontalPodAutoscalerColumns
        case "ClusterQueue": return clusterQueueColumns
        case "LocalQueue": return localQueueColumns
        case "Workload": return workloadColumns
        case "WorkloadPriorityClass": return workloadPriorityClassColumns
        default: return [.name, .age]
        }
    }

    /// The cells of one object's row, matching `columns(for:)`.
    public func cells(for object: JSONValue, resource: ResourceInfo) -> [JSONValue] {
        let o = PrintedObject(object)
        switch resource.kind {
        case "Pod": return podCells(o)
        case "Job": return jobCells(o)
        case "CronJob": return cronJobCells(o)
        case "Deployment": return deploymentCells(o)
        case "ReplicaSet": return replicaSetCells(o)
        case "DaemonSet": return daemonSetCells(o)
        case "ControllerRevision": return controllerRevisionCells(o)
        case "Node": return nodeCells(o)
        case "Namespace": return namespaceCells(o)
        case "Event": return eventCells(o)
        case "Secret": return secretCells(o)
        case "ConfigMap": return configMapCells(o)
        case "PriorityClass": return priorityClassCells(o)
        case "Lease": return [.string(o.name), .string(o.string("spec", "holderIdentity")), age(o)]
        case "PodGroup": return podGroupCells(o)
        case "PodDisruptionBudget": return podDisruptionBudgetCells(o)
        case "HorizontalPodAutoscaler": return horizontalPodAutoscalerCells(o)
        case "ClusterQueue": return clusterQueueCells(o)
        case "LocalQueue": return localQueueCells(o)
        case "Workload": return workloadCells(o)
        case "WorkloadPriorityClass": return workloadPriorityClassCells(o)
        default: return [.string(o.name), age(o)]
        }
    }

    private func row(for object: JSONValue, resource: ResourceInfo) -> JSONValue {
        var row: JSONValue = ["cells": .array(cells(for: object, resource: resource))]
        if resource.kind == "Pod", let conditions = Self.podRowConditions(PrintedObject(object)) {
            row["conditions"] = conditions
        }
        switch includeObject {
        case .none: break
        case .metadata:
            row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                             "metadata": object["metadata"] ?? .emptyObject]
        case .object:
            var full: JSONValue = ["kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion)]
            for (key, value) in object.object?.pairs ?? [] { full[key] = value }
            row["object"] = full
        }
        return row
    }

    /// Time since the object was created, or `<unknown>`.
    func age(_ o: PrintedObject) -> JSONValue { .string(since(o.time("metadata", "creationTimestamp"))) }

    /// Time since `date` in upstream's human form, or `<unknown>` without a date.
    func since(_ date: Date?) -> String {
        guard let date else { return "<unknown>" }
        return HumanDuration.format(now.timeIntervalSince(date))
    }
}
