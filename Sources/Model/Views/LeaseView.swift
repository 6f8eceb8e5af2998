import Foundation

/// A coordination.k8s.io/v1 Lease read through computed properties.
public struct LeaseView: Sendable, Equatable {
    /// The whole Lease.
    public var object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    public var metadata: ObjectMetaView { ObjectMetaView(object["metadata"]) }
    public var name: String { metadata.name }
    /// `spec.holderIdentity`.
    public var holderIdentity: String? { object["spec"]?["holderIdentity"]?.string }
    /// `spec.leaseDurationSeconds`.
    public var leaseDurationSeconds: Int64? { object["spec"]?["leaseDurationSeconds"]?.int }
    /// `spec.renewTime` as written (a MicroTime); compared as text to notice a renewal.
    public var renewTimeText: String? { object["spec"]?["renewTime"]?.string }
    /// `spec.renewTime` as an instant.
    public var renewTime: Date? { renewTimeText.flatMap(Timestamp.parse) }
}

/// The node heartbeat Lease, as upstream's kubelet keeps it: one Lease per node, named after the
/// node, in `kube-node-lease`, held by the node and renewed every quarter of its duration.
public enum NodeLease {
    /// The namespace of node Leases.
    public static let namespace = "kube-node-lease"
    /// `spec.leaseDurationSeconds` (upstream's kubelet default).
    public static let durationSeconds: Int64 = 40
    /// How often the holder renews it (upstream: a quarter of the duration).
    public static let renewInterval: TimeInterval = 10

    /// The `spec` of a renewal at `now`.
    public static func renewal(node: String, now: Date, durationSeconds: Int64 = durationSeconds) -> JSONValue {
        ["holderIdentity": .string(node), "leaseDurationSeconds": .int(durationSeconds),
         "renewTime": .string(Timestamp.formatMicro(now))]
    }

    /// A new Lease for `node`, owned by the Node (`nodeUID`, when known) so it goes when the Node goes.
    public static func object(node: String, nodeUID: String?, now: Date, durationSeconds: Int64 = durationSeconds) -> JSONValue {
        var metadata: JSONValue = ["name": .string(node), "namespace": .string(namespace)]
        if let nodeUID, !nodeUID.isEmpty {
            metadata["ownerReferences"] = [OwnerReference(apiVersion: "v1", kind: "Node", name: node, uid: nodeUID).json]
        }
        var spec = renewal(node: node, now: now, durationSeconds: durationSeconds)
        spec["acquireTime"] = .string(Timestamp.formatMicro(now))
        return ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": metadata, "spec": spec]
    }
}
