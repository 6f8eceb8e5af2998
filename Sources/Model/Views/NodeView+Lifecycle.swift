import Foundation

extension NodeView {
    /// `metadata.resourceVersion`.
    public var resourceVersion: String { metadata.resourceVersion }
    /// `metadata.creationTimestamp`.
    public var creationTimestamp: Date? { metadata.creationTimestamp }
    /// The `Ready` condition's status (`True`, `False`, `Unknown`); nil when the node has none.
    public var readyStatus: String? { condition("Ready")?.status }
    /// The failure domain the node lifecycle controller rate-limits evictions in: region and zone
    /// from the `topology.kubernetes.io` labels (upstream's GetZoneKey); `""` without them.
    public var zoneKey: String {
        let region = labels["topology.kubernetes.io/region"] ?? labels["failure-domain.beta.kubernetes.io/region"] ?? ""
        let zone = labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"] ?? ""
        return region.isEmpty && zone.isEmpty ? "" : region + ":\u{0}:" + zone
    }
    /// `spec.taints` as stored (entries kept whole: `timeAdded` and anything else survive edits).
    public var taintEntries: [JSONValue] { object["spec"]?["taints"]?.array ?? [] }
    /// When `taint` (matched by key and effect) was put on the node (`timeAdded`), if it is there and says.
    public func timeAdded(_ taint: Taint) -> Date? {
        taintEntries.first { Taint(json: $0)?.matches(taint) == true }?["timeAdded"]?.string.flatMap(Timestamp.parse)
    }
}
