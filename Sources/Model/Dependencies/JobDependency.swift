import Foundation

/// One requirement of a Job on another Job of its namespace, as Slurm's `--dependency` spells it:
/// `afterok:prep` waits for `prep` to complete. `singleton` names no Job: it waits for the earlier
/// Jobs of its own group (the same `metadata.generateName`).
public struct JobDependency: Sendable, Hashable, CustomStringConvertible {
    /// Slurm's dependency types that Drover supports.
    public enum Kind: String, Sendable, CaseIterable {
        /// The named Job has started (had an active or finished pod), finished, or was deleted.
        case after
        /// The named Job is Complete.
        case afterok
        /// The named Job is Failed.
        case afternotok
        /// The named Job finished either way, or was deleted.
        case afterany
        /// Every earlier Job of the same group (generateName, namespace) has finished.
        case singleton
    }

    public var kind: Kind
    /// The Job named, in the dependent's namespace; nil for `singleton`.
    public var job: String?

    public init(_ kind: Kind, _ job: String? = nil) {
        self.kind = kind
        self.job = job
    }

    /// The requirement as written in the annotation: `afterok:prep`, `singleton`.
    public var description: String { job.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue }
}

/// The annotation syntax (Slurm's, without `?` and `+time`) and the names Drover uses for the
/// dependency machinery: the annotation users write, the ones the server and the dependency
/// controller keep, and the condition that says what a Job waits for.
public enum JobDependencies {
    /// What a Job waits for: `afterok:prep,afterany:cleanup:report,singleton`. Items are ANDed;
    /// one type may name several Jobs separated by `:`.
    public static let annotation = "drover.dev/depends-on"
    /// Set by the API server on a Job it created suspended because of its dependencies, so the
    /// controller releases only what it holds (never a Job its user suspended).
    public static let heldAnnotation = "drover.dev/held-by-dependencies"
    /// The requirements the controller has seen satisfied (they stay so: a Job that completed and
    /// was then deleted by its TTL still counts for `afterok`).
    public static let satisfiedAnnotation = "drover.dev/dependencies-satisfied"
    /// The Job condition naming what the Job waits for.
    public static let condition = "DependenciesSatisfied"

    /// Condition reasons (and the Job failure reason `neverSatisfied`).
    public static let waitingReason = "WaitingForDependencies"
    public static let satisfiedReason = "DependenciesSatisfied"
    public static let neverSatisfiedReason = "DependencyNeverSatisfied"
    public static let resumedReason = "ResumedBeforeDependencies"
    public static let invalidReason = "InvalidDependencies"

    /// Parses an annotation value. Whitespace around items is ignored, an empty value means no
    /// dependencies, and a requirement written twice counts once.
    public static func parse(_ text: String) throws(DependencySyntaxError) -> [JobDependency] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        if trimmed.contains("?") {
            throw DependencySyntaxError("'?' (any one of several) is not supported; dependencies are separated by ',' and all must hold")
        }
        var result: [JobDependency] = []
        for rawItem in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let item = rawItem.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { throw DependencySyntaxError("empty dependency: items are TYPE:JOB[:JOB...] separated by single commas") }
            for dependency in try parseItem(item) where !result.contains(dependency) {
                result.append(dependency)
            }
        }
        return result
    }

    private static func parseItem(_ item: String) throws(DependencySyntaxError) -> [JobDependency] {
        let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let typeName = parts[0]
        guard let kind = JobDependency.Kind(rawValue: typeName) else {
            throw DependencySyntaxError("unknown dependency type \(typeName.goQuoted): use after, afterok, afternotok, afterany or singleton")
        }
        let names = parts.dropFirst()
        if kind == .singleton {
            guard names.isEmpty else { throw DependencySyntaxError("singleton takes no job name: it waits for the earlier jobs of its own generateName") }
            return [JobDependency(.singleton)]
        }
        guard !names.isEmpty else {
            throw DependencySyntaxError("\(typeName) needs a job name: \(typeName):NAME[:NAME...]")
        }
        var result: [JobDependency] = []
        for name in names {
            if name.isEmpty { throw DependencySyntaxError("empty job name in \(item.goQuoted)") }
            if name.contains("+") { throw DependencySyntaxError("\(item.goQuoted): a delay (+minutes) is not supported") }
            if let problem = NameRules.dns1123Subdomain(name).first {
                throw DependencySyntaxError("invalid job name \(name.goQuoted): \(problem)")
            }
            result.append(JobDependency(kind, name))
        }
        return result
    }

    /// The canonical annotation value of `dependencies` (one item per Job).
    public static func text(_ dependencies: [JobDependency]) -> String {
        dependencies.map(\.description).joined(separator: ",")
    }
}

/// An annotation value that is not a dependency list; `message` says what is wrong in a sentence
/// that admission puts after the value.
public struct DependencySyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
