import Foundation
import Model

/// `describe deployment`, `describe replicaset` and `describe daemonset` in kubectl's sections:
/// replica (or node) counts, strategy, pod template, conditions, the Deployment's old and new
/// ReplicaSets, the pods' phases, events.
enum WorkloadDescriber {
    static func deployment(_ deployment: JSONValue, replicaSets: [JSONValue], events: [JSONValue], now: Date) -> String {
        var w = DescribeWriter(now: now)
        let view = DeploymentView(deployment)
        w.line(0, "Name:", view.name)
        w.line(0, "Namespace:", view.namespace)
        w.line(0, "CreationTimestamp:", view.metadata.creationTimestamp.map { DescribeFormat.time($0) } ?? "<unknown>")
        w.map(0, "Labels", view.metadata.labels)
        w.map(0, "Annotations", view.annotations, skip: ["kubectl.kubernetes.io/last-applied-configuration"])
        w.line(0, "Selector:", SelectorText.render(view.selector))
        let unavailable = max(0, view.statusReplicas - view.availableReplicas)
        w.line(0, "Replicas:", "\(view.replicas) desired | \(view.updatedReplicas) updated | \(view.statusReplicas) total | "
                   + "\(view.availableReplicas) available | \(unavailable) unavailable")
        w.line(0, "StrategyType:", view.strategyType)
        w.line(0, "MinReadySeconds:", String(view.minReadySeconds))
        if !view.isRecreate {
            w.line(0, "RollingUpdateStrategy:", "\(DescribeFormat.scalar(view.maxUnavailable)) max unavailable, \(DescribeFormat.scalar(view.maxSurge)) max surge")
        }
        PodTemplateSection.write(view.template, to: &w)
        w.conditions(0, deployment.value(at: ["status", "conditions"])?.array ?? [], columns: ["Reason"])
        let owned = replicaSets.map(ReplicaSetView.init)
        let revision = view.annotations[DeploymentView.revisionAnnotation]
        let newest = owned.first { $0.annotations[DeploymentView.revisionAnnotation] == revision && revision != nil }
        let old = owned.filter { $0.uid != newest?.uid && $0.statusReplicas > 0 }
        let summary = { (rs: ReplicaSetView) in "\(rs.name) (\(rs.statusReplicas)/\(rs.replicas) replicas created)" }
        w.line(0, "OldReplicaSets:", old.isEmpty ? "<none>" : old.map(summary).joined(separator: ", "))
        w.line(0, "NewReplicaSet:", newest.map(summary) ?? "<none>")
        EventsSection.write(events, to: &w)
        return w.text
    }

    static func replicaSet(_ replicaSet: JSONValue, pods: [JSONValue], events: [JSONValue], now: Date) -> String {
        var w = DescribeWriter(now: now)
        let view = ReplicaSetView(replicaSet)
        w.line(0, "Name:", view.name)
        w.line(0, "Namespace:", view.namespace)
        w.line(0, "Selector:", SelectorText.render(view.selector))
        w.map(0, "Labels", view.metadata.labels)
        w.map(0, "Annotations", view.annotations, skip: ["kubectl.kubernetes.io/last-applied-configuration"])
        w.controller(replicaSet)
        w.line(0, "Replicas:", "\(view.statusReplicas) current / \(view.replicas) desired")
        let phases = pods.map { PodView($0).phase }
        let count = { (phase: String) in phases.filter { $0 == phase }.count }
        w.line(0, "Pods Status:", "\(count("Running")) Running / \(count("Pending")) Waiting / \(count("Succeeded")) Succeeded / \(count("Failed")) Failed")
        PodTemplateSection.write(view.template, to: &w)
        w.conditions(0, replicaSet.value(at: ["status", "conditions"])?.array ?? [], columns: ["Reason"])
        OwnedPodsSection.write(pods, to: &w)
        EventsSection.write(events, to: &w)
        return w.text
    }

    static func daemonSet(_ daemonSet: JSONValue, pods: [JSONValue], events: [JSONValue], now: Date) -> String {
        var w = DescribeWriter(now: now)
        let view = DaemonSetView(daemonSet)
        w.line(0, "Name:", view.name)
        w.line(0, "Namespace:", view.namespace)
        w.line(0, "Selector:", SelectorText.render(view.selector))
        let nodeSelector = view.template["spec"]?["nodeSelector"]?.stringMap ?? [:]
        w.line(0, "Node-Selector:", nodeSelector.isEmpty ? "<none>" : nodeSelector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        w.map(0, "Labels", view.metadata.labels)
        w.map(0, "Annotations", view.annotations, skip: ["kubectl.kubernetes.io/last-applied-configuration"])
        w.line(0, "Desired Number of Nodes Scheduled:", String(view.desiredNumberScheduled))
        w.line(0, "Current Number of Nodes Scheduled:", String(view.currentNumberScheduled))
        w.line(0, "Number of Nodes Scheduled with Up-to-date Pods:", String(view.updatedNumberScheduled))
        w.line(0, "Number of Nodes Scheduled with Available Pods:", String(view.numberAvailable))
        w.line(0, "Number of Nodes Misscheduled:", String(view.numberMisscheduled))
        let phases = pods.map { PodView($0).phase }
        let count = { (phase: String) in phases.filter { $0 == phase }.count }
        w.line(0, "Pods Status:", "\(count("Running")) Running / \(count("Pending")) Waiting / \(count("Succeeded")) Succeeded / \(count("Failed")) Failed")
        PodTemplateSection.write(view.template, to: &w)
        EventsSection.write(events, to: &w)
        return w.text
    }
}
