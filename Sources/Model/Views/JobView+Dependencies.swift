import Foundation

/// A Job's dependency annotations and how the Job looks to the Jobs that depend on it.
extension JobView {
    /// The `drover.dev/depends-on` value, nil when absent or blank.
    public var dependencyText: String? {
        guard let text = annotation(JobDependencies.annotation),
              !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return text
    }

    /// The parsed requirements; empty when there are none or the value does not parse.
    public var dependencies: [JobDependency] {
        guard let text = dependencyText else { return [] }
        return (try? JobDependencies.parse(text)) ?? []
    }

    /// Why the annotation does not parse, if it does not.
    public var dependencySyntaxError: DependencySyntaxError? {
        guard let text = dependencyText else { return nil }
        do {
            _ = try JobDependencies.parse(text)
            return nil
        } catch {
            return error
        }
    }

    /// True when the API server suspended this Job for its dependencies (and the controller has not
    /// released it yet).
    public var isHeldByDependencies: Bool { annotation(JobDependencies.heldAnnotation) == "true" }

    /// The requirements already seen satisfied (`drover.dev/dependencies-satisfied`).
    public var satisfiedDependencies: Set<String> {
        let text = annotation(JobDependencies.satisfiedAnnotation) ?? ""
        return Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// One annotation, read without building the whole map (informer indexes call these on every event).
    private func annotation(_ key: String) -> String? { object["metadata"]?["annotations"]?[key]?.string }

    /// The group a `singleton` requirement is about: the Job's `generateName` (Slurm's job name; the
    /// namespace stands for Slurm's user). nil for a Job named in full.
    public var dependencyGroup: String? {
        guard let prefix = metadata.generateName, !prefix.isEmpty else { return nil }
        return prefix
    }

    /// True once the Job has had an active or finished pod, or has finished (Slurm's `after`:
    /// started, or ended without starting).
    public var hasStarted: Bool {
        let status = self.status
        return status.active > 0 || status.succeeded > 0 || status.failed > 0 || status.hasUncounted || isFinished
    }

    /// The Job's state in one word, as its dependents report it.
    public var dependencyState: JobDependencyState {
        if condition(JobCondition.complete)?.isTrue ?? false { return .complete }
        if condition(JobCondition.failed)?.isTrue ?? false { return .failed }
        if suspend { return isHeldByDependencies ? .waiting : .suspended }
        return hasStarted ? .running : .pending
    }

    /// Creation order for `singleton`: creation time, then name (timestamps have whole seconds).
    public func createdBefore(_ other: JobView) -> Bool {
        let mine = metadata.creationTimestamp ?? .distantPast
        let theirs = other.metadata.creationTimestamp ?? .distantPast
        return mine != theirs ? mine < theirs : name < other.name
    }
}

/// A Job as a dependency sees it.
public enum JobDependencyState: String, Sendable, Equatable {
    /// Held by its own dependencies.
    case waiting = "Waiting"
    /// Suspended by its user.
    case suspended = "Suspended"
    /// Not started yet.
    case pending = "Pending"
    case running = "Running"
    case complete = "Complete"
    case failed = "Failed"
    /// Not in the namespace any more.
    case deleted = "Deleted"

    /// The state of `job`, `deleted` for nil.
    public init(_ job: JobView?) { self = job?.dependencyState ?? .deleted }

    /// Complete or Failed.
    public var isFinished: Bool { self == .complete || self == .failed }
}
