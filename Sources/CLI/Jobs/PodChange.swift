import Model

/// The lines `drover watch` prints when one of a Job's pods changes: scheduled, unschedulable,
/// running, waiting in back-off, restarted, finished with its exit code, deleted early (pure).
enum PodChange {
    /// What changed from `old` to `new` (nil old: first seen; nil new: gone), in the order it
    /// happened. Status updates that change nothing a user follows print nothing.
    static func lines(old: PodView?, new: PodView?) -> [String] {
        guard let new else {
            guard let old, !old.isTerminal else { return [] }
            return ["pod/\(old.name) deleted before it finished"]
        }
        let name = "pod/\(new.name)"
        var lines: [String] = []
        if let message = unschedulableMessage(new), message != old.flatMap(unschedulableMessage) {
            lines.append("\(name) unschedulable: \(message)")
        }
        if let node = new.nodeName, node != old?.nodeName {
            lines.append("\(name) scheduled to \(node)")
        }
        let oldStatuses = old?.containerStatuses ?? []
        for status in new.containerStatuses {
            let before = oldStatuses.first { $0.name == status.name }
            let label = new.containerStatuses.count > 1 ? "\(name) [\(status.name)]" : name
            if status.restartCount > (before?.restartCount ?? 0) {
                let code = status.lastExitCode.map { " after exit code \($0)" } ?? ""
                lines.append("\(label) restarted (\(status.restartCount) restart\(status.restartCount == 1 ? "" : "s"))\(code)")
            }
            if let waiting = status.waitingReason, waiting != before?.waitingReason, !quietWaitingReasons.contains(waiting) {
                lines.append("\(label) waiting: \(waiting)")
            }
            if status.isRunning && !(before?.isRunning ?? false) && new.containerStatuses.count > 1 {
                lines.append("\(label) running")
            }
        }
        if new.phase == "Running" && old?.phase != "Running" { lines.append("\(name) running") }
        if new.isTerminal && !(old?.isTerminal ?? false) { lines.append(finished(new)) }
        return lines
    }

    /// `pod/x succeeded`, `pod/x failed: exit code 3 (Error)`, `pod/x failed: OOMKilled (exit code 137)`.
    static func finished(_ pod: PodView) -> String {
        let name = "pod/\(pod.name)"
        let terminated = pod.containerStatuses.first { ($0.exitCode ?? 0) != 0 } ?? pod.containerStatuses.first { $0.exitCode != nil }
        if pod.isSucceeded { return "\(name) succeeded" }
        var detail: [String] = []
        if let terminated, let code = terminated.exitCode {
            if let reason = terminated.terminatedReason, reason != "Error" {
                detail.append("\(reason) (exit code \(code))")
            } else {
                detail.append("exit code \(code)")
            }
        }
        if let reason = pod.reason { detail.append(pod.message.map { "\(reason): \($0)" } ?? reason) }
        return detail.isEmpty ? "\(name) failed" : "\(name) failed: " + detail.joined(separator: "; ")
    }

    /// Waiting reasons every container passes through: not worth a line.
    static let quietWaitingReasons: Set<String> = ["ContainerCreating", "PodInitializing"]

    private static func unschedulableMessage(_ pod: PodView) -> String? {
        guard pod.isUnschedulable else { return nil }
        return pod.scheduledCondition?.message ?? "no node fits"
    }
}
