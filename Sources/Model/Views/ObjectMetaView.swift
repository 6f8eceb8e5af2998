import Foundation

/// The `metadata` of any object, read through computed properties (shared by the typed views).
public struct ObjectMetaView: Sendable, Equatable {
    /// The `metadata` object as sent (`{}` when absent).
    public var object: JSONValue

    /// Wraps a `metadata` object.
    public init(_ metadata: JSONValue?) { object = metadata ?? .emptyObject }

    public var name: String { object["name"]?.string ?? "" }
    public var generateName: String? { object["generateName"]?.string }
    public var namespace: String { object["namespace"]?.string ?? "" }
    public var uid: String { object["uid"]?.string ?? "" }
    public var resourceVersion: String { object["resourceVersion"]?.string ?? "" }
    public var generation: Int64 { object["generation"]?.int ?? 0 }
    public var labels: [String: String] { object["labels"]?.stringMap ?? [:] }
    public var annotations: [String: String] { object["annotations"]?.stringMap ?? [:] }
    public var finalizers: [String] { object["finalizers"]?.array?.compactMap(\.string) ?? [] }
    public var creationTimestamp: Date? { object["creationTimestamp"]?.string.flatMap(Timestamp.parse) }
    public var deletionTimestamp: Date? { object["deletionTimestamp"]?.string.flatMap(Timestamp.parse) }
    /// True once a deletion was requested (the timestamp may not parse; its presence is what counts).
    public var isDeleting: Bool { !(object["deletionTimestamp"] ?? .null).isNull }
    public var deletionGracePeriodSeconds: Int64? { object["deletionGracePeriodSeconds"]?.int }
    /// The well-formed `ownerReferences` entries.
    public var ownerReferences: [OwnerReference] {
        object["ownerReferences"]?.array?.compactMap(OwnerReference.init(json:)) ?? []
    }
    /// The owner reference with `controller: true`, if any.
    public var controllerReference: OwnerReference? { ownerReferences.first { $0.controller } }

    /// True when `finalizer` is in `metadata.finalizers`.
    public func hasFinalizer(_ finalizer: String) -> Bool { finalizers.contains(finalizer) }
}

/// A `status.conditions[]` entry shared by pods and workloads.
public struct ConditionView: Sendable, Equatable {
    public var object: JSONValue
    public init(_ object: JSONValue) { self.object = object }

    public var type: String { object["type"]?.string ?? "" }
    /// `True`, `False` or `Unknown`.
    public var status: String { object["status"]?.string ?? "" }
    public var isTrue: Bool { status == "True" }
    public var reason: String { object["reason"]?.string ?? "" }
    public var message: String { object["message"]?.string ?? "" }
    public var lastTransitionTime: Date? { object["lastTransitionTime"]?.string.flatMap(Timestamp.parse) }
    public var lastProbeTime: Date? { object["lastProbeTime"]?.string.flatMap(Timestamp.parse) }
}
