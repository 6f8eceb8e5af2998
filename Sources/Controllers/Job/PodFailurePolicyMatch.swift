import Model

/// What `spec.podFailurePolicy` says about one failed pod (upstream's matchPodFailurePolicy).
public struct PodFailurePolicyMatch: Sendable, Equatable {
    /// The matched rule's action; nil when no rule matched (default handling).
    public var action: PodFailurePolicy.Action?
    /// False only for `Ignore`: the failure does not count towards backoffLimit.
    public var countsTowardsBackoff: Bool
    /// For `FailJob`: the Job's failure message, in upstream's words.
    public var failJobMessage: String?

    public static let noMatch = PodFailurePolicyMatch(action: nil, countsTowardsBackoff: true, failJobMessage: nil)

    /// Evaluates the rules in order; the first that matches decides. A rule with an unknown action is
    /// skipped. Exit-code rules look at terminated containers with a non-zero exit code (app
    /// containers first, then init containers); condition rules at the pod's conditions.
    public static func evaluate(_ policy: PodFailurePolicy?, pod: PodView) -> PodFailurePolicyMatch {
        guard let policy else { return .noMatch }
        for (index, rule) in policy.rules.enumerated() {
            guard let action = rule.action else { continue }
            var message: String?
            if let exitCodes = rule.onExitCodes {
                guard let container = matchingContainer(exitCodes, pod: pod) else { continue }
                message = "Container \(container.name) for pod \(pod.namespace)/\(pod.name) failed with exit code "
                    + "\(container.exitCode ?? 0) matching \(action.rawValue) rule at index \(index)"
            } else if let patterns = rule.onPodConditions {
                guard let condition = matchingCondition(patterns, pod: pod) else { continue }
                message = "Pod \(pod.namespace)/\(pod.name) has condition \(condition.type) matching \(action.rawValue) rule at index \(index)"
            } else {
                continue
            }
            switch action {
            case .ignore: return PodFailurePolicyMatch(action: .ignore, countsTowardsBackoff: false, failJobMessage: nil)
            case .count: return PodFailurePolicyMatch(action: .count, countsTowardsBackoff: true, failJobMessage: nil)
            case .failIndex: return PodFailurePolicyMatch(action: .failIndex, countsTowardsBackoff: true, failJobMessage: nil)
            case .failJob: return PodFailurePolicyMatch(action: .failJob, countsTowardsBackoff: true, failJobMessage: message)
            }
        }
        return .noMatch
    }

    private static func matchingContainer(_ requirement: PodFailurePolicy.ExitCodes, pod: PodView) -> ContainerStatusView? {
        for status in pod.containerStatuses + pod.initContainerStatuses {
            guard let code = status.exitCode, code != 0 else { continue }
            if let name = requirement.containerName, name != status.name { continue }
            switch requirement.operator {
            case "In": if requirement.values.contains(code) { return status }
            case "NotIn": if !requirement.values.contains(code) { return status }
            default: continue
            }
        }
        return nil
    }

    private static func matchingCondition(_ patterns: [PodFailurePolicy.ConditionPattern], pod: PodView) -> ConditionView? {
        for condition in pod.conditions where patterns.contains(where: { $0.type == condition.type && $0.status == condition.status }) {
            return condition
        }
        return nil
    }
}
