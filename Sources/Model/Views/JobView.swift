import Foundation

/// A batch/v1 Job read through computed properties. Defaults are those the API server applies at
/// create time (JobAdmission), repeated here so a view over an undefaulted object still answers.
public struct JobView: Sendable, Equatable {
    /// The whole Job.
    public var object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    // MARK: well-known keys (upstream's batch/v1 constants)

    public static let controllerUIDLabel = "batch.kubernetes.io/controller-uid"
    public static let jobNameLabel = "batch.kubernetes.io/job-name"
    public static let legacyControllerUIDLabel = "controller-uid"
    public static let legacyJobNameLabel = "job-name"
    /// Annotation and label naming a pod's completion index.
    public static let completionIndexKey = "batch.kubernetes.io/job-completion-index"
    public static let indexFailureCountKey = "batch.kubernetes.io/job-index-failure-count"
    public static let indexIgnoredFailureCountKey = "batch.kubernetes.io/job-index-ignored-failure-count"
    /// The finalizer that keeps a finished pod until the Job has counted it.
    public static let trackingFinalizer = "batch.kubernetes.io/job-tracking"
    /// The `spec.managedBy` value meaning "the built-in Job controller".
    public static let builtInControllerName = "kubernetes.io/job-controller"

    // MARK: metadata

    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var uid: String { metadata.uid }
    public var isDeleting: Bool { metadata.isDeleting }

    // MARK: spec

    private var spec: JSONValue { object["spec"] ?? .emptyObject }
    private func int(_ key: String) -> Int? { spec[key]?.int.map { Int(clamping: $0) } }

    /// `spec.parallelism` (1 when unset).
    public var parallelism: Int { int("parallelism") ?? 1 }
    /// `spec.completions`; nil is a work queue (done when any pod succeeded and none is active).
    public var completions: Int? { int("completions") }
    /// `spec.completionMode`: `NonIndexed` (default) or `Indexed`.
    public var completionMode: String { spec["completionMode"]?.string ?? "NonIndexed" }
    public var isIndexed: Bool { completionMode == "Indexed" }
    /// `spec.backoffLimit` (6 when unset; Int32.max when backoffLimitPerIndex is set).
    public var backoffLimit: Int { int("backoffLimit") ?? (backoffLimitPerIndex == nil ? 6 : Int(Int32.max)) }
    public var backoffLimitPerIndex: Int? { int("backoffLimitPerIndex") }
    public var maxFailedIndexes: Int? { int("maxFailedIndexes") }
    public var activeDeadlineSeconds: Int? { int("activeDeadlineSeconds") }
    public var ttlSecondsAfterFinished: Int? { int("ttlSecondsAfterFinished") }
    public var suspend: Bool { spec["suspend"]?.bool ?? false }
    /// `spec.podReplacementPolicy`: `TerminatingOrFailed` or `Failed` (the default when a
    /// podFailurePolicy is set).
    public var podReplacementPolicy: String {
        spec["podReplacementPolicy"]?.string ?? (podFailurePolicy == nil ? "TerminatingOrFailed" : "Failed")
    }
    /// True when a replacement waits until the old pod is fully gone (`podReplacementPolicy: Failed`).
    public var onlyReplaceFailedPods: Bool { podReplacementPolicy == "Failed" || podFailurePolicy != nil }
    /// `spec.managedBy`, nil when unset.
    public var managedBy: String? { spec["managedBy"]?.string }
    /// True when another controller owns this Job (`managedBy` set to anything else than the built-in one).
    public var isManagedExternally: Bool { managedBy.map { $0 != Self.builtInControllerName } ?? false }
    /// `spec.selector` as sent.
    public var selector: JSONValue? { spec["selector"].flatMap { $0.isNull ? nil : $0 } }
    /// `spec.template` as sent.
    public var template: JSONValue { spec["template"] ?? .emptyObject }
    /// `spec.template.spec.restartPolicy`.
    public var templateRestartPolicy: String { template["spec"]?["restartPolicy"]?.string ?? "" }
    public var podFailurePolicy: PodFailurePolicy? {
        spec["podFailurePolicy"].flatMap { $0.object == nil ? nil : PodFailurePolicy($0) }
    }
    public var successPolicy: SuccessPolicy? {
        spec["successPolicy"].flatMap { $0.object == nil ? nil : SuccessPolicy($0) }
    }

    // MARK: status

    /// The status as a value (an absent status reads as empty).
    public var status: JobStatus { JobStatus(object["status"]) }
    /// The condition of `type`, if present.
    public func condition(_ type: String) -> JobCondition? { status.condition(type) }
    /// `Complete=True` or `Failed=True`: the Job will not run pods again.
    public var isFinished: Bool {
        (condition(JobCondition.complete)?.isTrue ?? false) || (condition(JobCondition.failed)?.isTrue ?? false)
    }
    /// When the Job finished: the Complete or Failed condition's transition time (TTL counts from it).
    public var finishedAt: Date? {
        for type in [JobCondition.complete, JobCondition.failed] {
            if let c = condition(type), c.isTrue { return c.lastTransitionTime ?? status.completionTime }
        }
        return nil
    }
}

/// `spec.podFailurePolicy`: rules evaluated in order, the first match wins.
public struct PodFailurePolicy: Sendable, Equatable {
    public var rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    /// Reads the policy; rules with an unknown action are kept (matching skips them, as upstream).
    public init(_ object: JSONValue) {
        rules = (object["rules"]?.array ?? []).map(Rule.init)
    }

    public enum Action: String, Sendable, Equatable {
        case failJob = "FailJob", failIndex = "FailIndex", ignore = "Ignore", count = "Count"
    }

    public struct Rule: Sendable, Equatable {
        /// nil for an action this version does not know.
        public var action: Action?
        public var onExitCodes: ExitCodes?
        public var onPodConditions: [ConditionPattern]?

        public init(action: Action?, onExitCodes: ExitCodes? = nil, onPodConditions: [ConditionPattern]? = nil) {
            self.action = action
            self.onExitCodes = onExitCodes
            self.onPodConditions = onPodConditions
        }

        public init(_ object: JSONValue) {
            action = object["action"]?.string.flatMap(Action.init(rawValue:))
            onExitCodes = object["onExitCodes"].flatMap { $0.object == nil ? nil : ExitCodes($0) }
            onPodConditions = object["onPodConditions"]?.array?.map {
                ConditionPattern(type: $0["type"]?.string ?? "", status: $0["status"]?.string ?? "True")
            }
        }
    }

    public struct ExitCodes: Sendable, Equatable {
        /// nil matches every container.
        public var containerName: String?
        /// `In` or `NotIn`.
        public var `operator`: String
        public var values: [Int]

        public init(containerName: String? = nil, operator: String, values: [Int]) {
            self.containerName = containerName
            self.operator = `operator`
            self.values = values
        }

        public init(_ object: JSONValue) {
            containerName = object["containerName"]?.string
            `operator` = object["operator"]?.string ?? ""
            values = object["values"]?.array?.compactMap { $0.int.map(Int.init) } ?? []
        }
    }

    public struct ConditionPattern: Sendable, Equatable {
        public var type: String
        public var status: String
        public init(type: String, status: String = "True") {
            self.type = type
            self.status = status
        }
    }
}

/// `spec.successPolicy`: the Job succeeds once any rule holds (Indexed Jobs only).
public struct SuccessPolicy: Sendable, Equatable {
    public var rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    public init(_ object: JSONValue) {
        rules = (object["rules"]?.array ?? []).map {
            Rule(succeededIndexes: $0["succeededIndexes"]?.string, succeededCount: $0["succeededCount"]?.int.map(Int.init))
        }
    }

    public struct Rule: Sendable, Equatable {
        /// An interval list such as `"0,2-4"`.
        public var succeededIndexes: String?
        public var succeededCount: Int?
        public init(succeededIndexes: String? = nil, succeededCount: Int? = nil) {
            self.succeededIndexes = succeededIndexes
            self.succeededCount = succeededCount
        }
    }
}
