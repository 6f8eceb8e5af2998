import Foundation

/// Whether one requirement holds.
public enum DependencyVerdict: Sendable, Equatable {
    case satisfied
    case waiting
    /// It never will; the text says why (`prep failed`).
    case never(String)
}

/// One requirement of a Job, what it refers to, and its verdict.
public struct DependencyStatus: Sendable, Equatable {
    /// A Job of the singleton group that keeps a `singleton` requirement waiting.
    public struct Blocker: Sendable, Equatable {
        public var name: String
        public var state: JobDependencyState
        public init(name: String, state: JobDependencyState) {
            self.name = name
            self.state = state
        }
    }

    public var dependency: JobDependency
    /// The named Job's state (`deleted` when it is gone); nil for `singleton`.
    public var state: JobDependencyState?
    /// `singleton`: the earlier Jobs of the group that have not finished, oldest first.
    public var blockers: [Blocker]
    public var verdict: DependencyVerdict

    public init(dependency: JobDependency, state: JobDependencyState?, blockers: [Blocker] = [], verdict: DependencyVerdict) {
        self.dependency = dependency
        self.state = state
        self.blockers = blockers
        self.verdict = verdict
    }

    /// `afterok:prep (Running)`; `singleton (sweep-x2 Running, sweep-y7 Waiting)`.
    public var summary: String {
        if let state { return "\(dependency) (\(state.rawValue))" }
        guard !blockers.isEmpty else { return dependency.description }
        let shown = blockers.prefix(3).map { "\($0.name) \($0.state.rawValue)" }
        let more = blockers.count > 3 ? " and \(blockers.count - 3) more" : ""
        return "\(dependency) (\(shown.joined(separator: ", "))\(more))"
    }
}

extension JobDependency {
    /// The verdict on a requirement naming a Job, from that Job as the cache has it (nil: it is not
    /// in the namespace, which admission guarantees means it was deleted). A deleted Job counts as
    /// Slurm's cancelled one: `after` and `afterany` hold, while `afterok` and `afternotok` can never
    /// learn its outcome. Only Complete and Failed are outcomes: a Job whose pods are still
    /// terminating after SuccessCriteriaMet or FailureTarget is not finished yet.
    public func verdict(upstream: JobView?) -> DependencyVerdict {
        let name = job ?? ""
        let state = JobDependencyState(upstream)
        switch kind {
        case .after:
            return state == .deleted || (upstream?.hasStarted ?? false) ? .satisfied : .waiting
        case .afterany:
            return state.isFinished || state == .deleted ? .satisfied : .waiting
        case .afterok:
            switch state {
            case .complete: return .satisfied
            case .failed: return .never("\(name) failed")
            case .deleted: return .never("\(name) was deleted before it completed")
            default: return .waiting
            }
        case .afternotok:
            switch state {
            case .failed: return .satisfied
            case .complete: return .never("\(name) completed")
            case .deleted: return .never("\(name) was deleted before it failed")
            default: return .waiting
            }
        case .singleton:
            return .waiting  // decided over the group: DependencyEvaluation.singleton
        }
    }
}

/// A Job's dependencies judged together (pure): each requirement's verdict, and the outcome.
public enum DependencyEvaluation {
    /// What the requirements add up to.
    public enum Outcome: Sendable, Equatable {
        case satisfied
        /// Some requirement may still hold later; these are the ones not satisfied yet.
        case waiting([DependencyStatus])
        /// At least one requirement never will; these are the ones.
        case never([DependencyStatus])
    }

    /// Judges every requirement of `job`. `upstream` finds a Job of its namespace by name (nil when
    /// gone); `group` holds the Jobs sharing its generateName (it may include the Job itself).
    /// A requirement recorded in `drover.dev/dependencies-satisfied` stays satisfied.
    public static func evaluate(_ job: JobView, upstream: (String) -> JobView?, group: [JobView]) -> [DependencyStatus] {
        let recorded = job.satisfiedDependencies
        return job.dependencies.map { dependency in
            if dependency.kind == .singleton { return singleton(job, group: group, recorded: recorded) }
            let target = upstream(dependency.job ?? "")
            let verdict = recorded.contains(dependency.description) ? .satisfied : dependency.verdict(upstream: target)
            return DependencyStatus(dependency: dependency, state: JobDependencyState(target), verdict: verdict)
        }
    }

    /// Slurm's singleton: the Job may start once every Job of its group created before it has
    /// finished, so at most one of them runs at a time.
    static func singleton(_ job: JobView, group: [JobView], recorded: Set<String>) -> DependencyStatus {
        let dependency = JobDependency(.singleton)
        // A Job named in full has no group (admission refuses singleton on one made before that rule).
        guard let name = job.dependencyGroup, !recorded.contains(dependency.description) else {
            return DependencyStatus(dependency: dependency, state: nil, verdict: .satisfied)
        }
        let blockers = group
            .filter { $0.name != job.name && $0.dependencyGroup == name && $0.createdBefore(job) }
            .filter { !$0.dependencyState.isFinished }
            .sorted { $0.createdBefore($1) }
            .map { DependencyStatus.Blocker(name: $0.name, state: $0.dependencyState) }
        return DependencyStatus(dependency: dependency, state: nil, blockers: blockers, verdict: blockers.isEmpty ? .satisfied : .waiting)
    }

    /// Never wins over waiting: a Job that cannot start fails now, not after the rest finished.
    public static func outcome(_ statuses: [DependencyStatus]) -> Outcome {
        let never = statuses.filter { if case .never = $0.verdict { return true } else { return false } }
        if !never.isEmpty { return .never(never) }
        let waiting = statuses.filter { $0.verdict == .waiting }
        return waiting.isEmpty ? .satisfied : .waiting(waiting)
    }

    /// The condition message for an outcome: `waiting for afterok:prep (Running)`,
    /// `afterok:prep can never be satisfied: prep failed`, or the satisfied list.
    public static func message(_ outcome: Outcome, all statuses: [DependencyStatus]) -> String {
        switch outcome {
        case .satisfied:
            return statuses.isEmpty ? "no dependencies" : statuses.map(\.summary).joined(separator: ", ")
        case .waiting(let waiting):
            return "waiting for " + waiting.map(\.summary).joined(separator: ", ")
        case .never(let never):
            return never.map { status -> String in
                guard case .never(let why) = status.verdict else { return "" }
                return "\(status.dependency) can never be satisfied: \(why)"
            }.joined(separator: "; ")
        }
    }
}
