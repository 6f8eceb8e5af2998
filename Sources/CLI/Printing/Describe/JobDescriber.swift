import Foundation
import Model

/// `describe job`: kubectl's sections (selector, parallelism, completions, mode, times, duration,
/// `Pods Statuses`, pod template, events) plus its dependency chain (`DependencySection`), the Job's conditions — with their messages, so a
/// condition quoting the scheduler's reason is visible — and the pods it owns.
enum JobDescriber {
    /// `namespaceJobs` are the Jobs of the Job's namespace, for its dependency chain.
    static func describe(_ job: JSONValue, pods: [JSONValue], events: [JSONValue], namespaceJobs: [JSONValue] = [], now: Date) -> String {
        var w = DescribeWriter(now: now)
        let view = JobView(job)
        let status = view.status
        w.line(0, "Name:", view.name)
        w.line(0, "Namespace:", view.namespace)
        w.line(0, "Selector:", SelectorText.render(view.selector))
        w.map(0, "Labels", view.metadata.labels)
        w.map(0, "Annotations", view.metadata.annotations, skip: ["kubectl.kubernetes.io/last-applied-configuration"])
        w.controller(job)
        w.line(0, "Parallelism:", String(view.parallelism))
        w.line(0, "Completions:", view.completions.map(String.init) ?? "<unset>")
        w.line(0, "Completion Mode:", view.completionMode)
        w.line(0, "Suspend:", view.suspend ? "true" : "false")
        w.line(0, "Backoff Limit:", String(view.backoffLimit))
        if let ttl = view.ttlSecondsAfterFinished { w.line(0, "TTL Seconds After Finished:", String(ttl)) }
        if let start = status.startTime { w.line(0, "Start Time:", DescribeFormat.time(start)) }
        if let completion = status.completionTime { w.line(0, "Completed At:", DescribeFormat.time(completion)) }
        if let start = status.startTime {
            w.line(0, "Duration:", HumanDuration.format((status.completionTime ?? now).timeIntervalSince(start)))
        }
        if let deadline = view.activeDeadlineSeconds { w.line(0, "Active Deadline Seconds:", "\(deadline)s") }
        w.line(0, "Pods Statuses:", "\(status.active) Active (\(status.ready ?? 0) Ready) / \(status.succeeded) Succeeded / \(status.failed) Failed")
        if view.isIndexed {
            w.line(0, "Completed Indexes:", status.completedIndexes.isEmpty ? "<none>" : status.completedIndexes)
            if let failed = status.failedIndexes { w.line(0, "Failed Indexes:", failed.isEmpty ? "<none>" : failed) }
        }
        DependencySection.write(view, namespaceJobs: namespaceJobs, to: &w)
        w.conditions(0, job.value(at: ["status", "conditions"])?.array ?? [], columns: ["Reason", "Message"])
        PodTemplateSection.write(view.template, to: &w)
        OwnedPodsSection.write(pods, to: &w)
        EventsSection.write(events, to: &w)
        return w.text
    }
}

/// The `Pods:` table of a Job: each owned pod's phase, node, restarts, and the exit code and
/// reason of its first finished container. A large Job lists its unfinished and failed pods
/// first and stops at `limit` rows, saying how many more there are.
enum OwnedPodsSection {
    static let limit = 20

    static func write(_ pods: [JSONValue], to w: inout DescribeWriter) {
        guard !pods.isEmpty else {
            w.line(0, "Pods:", "<none>")
            return
        }
        w.line(0, "Pods:")
        // Succeeded pods are the least interesting once there are many.
        let ordered = pods.sorted { a, b in
            let (pa, pb) = (PodView(a), PodView(b))
            return pa.isSucceeded == pb.isSucceeded ? pa.name < pb.name : !pa.isSucceeded
        }
        let shown = pods.count > limit ? Array(ordered.prefix(limit)) : ordered.sorted { PodView($0).name < PodView($1).name }
        let rows = shown.map { pod -> [String] in
            let view = PodView(pod)
            let finished = view.containerStatuses.first { $0.terminated != nil }
            let restarts = view.containerStatuses.reduce(0) { $0 + $1.restartCount }
            var reason = finished?.terminatedReason ?? ""
            if view.isUnschedulable { reason = view.scheduledCondition?.message ?? "Unschedulable" }
            return [view.name, view.phase, view.nodeName ?? "<none>", String(restarts),
                    finished?.exitCode.map(String.init) ?? "", reason]
        }
        w.table(1, header: ["Name", "Status", "Node", "Restarts", "Exit Code", "Reason"], rows: rows)
        if pods.count > limit { w.line(1, "... and \(pods.count - limit) more (drover get pods -l SELECTOR)") }
    }
}

/// A `metav1.LabelSelector` in kubectl's text form: `a=b,c in (x,y),!d`; `<none>` when absent.
enum SelectorText {
    static func render(_ selector: JSONValue?) -> String {
        guard let selector, selector.object != nil else { return "<none>" }
        var parts: [String] = []
        let labels = selector["matchLabels"]?.stringMap ?? [:]
        for key in labels.keys.sorted() { parts.append("\(key)=\(labels[key] ?? "")") }
        for expression in selector["matchExpressions"]?.array ?? [] {
            let key = expression["key"]?.string ?? ""
            let values = (expression["values"]?.array ?? []).compactMap(\.string).joined(separator: ",")
            switch expression["operator"]?.string {
            case "In": parts.append("\(key) in (\(values))")
            case "NotIn": parts.append("\(key) notin (\(values))")
            case "Exists": parts.append(key)
            case "DoesNotExist": parts.append("!\(key)")
            default: continue
            }
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }
}
