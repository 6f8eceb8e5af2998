import Foundation

/// A Node read through computed properties: what controllers need to decide where work belongs.
public struct NodeView: Sendable, Equatable {
    /// The whole Node.
    public var object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    public var name: String { metadata.name }
    public var labels: [String: String] { metadata.labels }
    /// `spec.taints` (malformed entries skipped).
    public var taints: [Taint] { object["spec"]?["taints"]?.array?.compactMap(Taint.init(json:)) ?? [] }
    /// `spec.unschedulable` (cordoned).
    public var unschedulable: Bool { object["spec"]?["unschedulable"]?.bool ?? false }
    public var conditions: [ConditionView] { object["status"]?["conditions"]?.array?.map(ConditionView.init) ?? [] }
    /// The condition of `type`, if present.
    public func condition(_ type: String) -> ConditionView? { conditions.first { $0.type == type } }
}
