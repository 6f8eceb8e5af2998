import Foundation
import HTTP
import Model
import Store

/// The server's half of leader fencing. A controller or scheduler that writes during a leader's
/// term names the Lease and its holder identity in two headers (ControllerRuntime's
/// `LeaderTerm`); such a write is refused with 409 when the Lease is held by someone else, so a
/// deposed leader whose own fence has not yet noticed cannot change anything. The Lease is read
/// from the store's memory of recent objects — the leader's own renewals went through a server and
/// a take-over reaches every server's memory through the change log.
extension APIServer {
    /// The request's fence headers: (Lease namespace/name, holder identity), when it carries both.
    static func leaderFence(_ request: HTTPRequest) -> (lease: String, identity: String)? {
        guard let lease = request.header("x-drover-leader-lease"), let identity = request.header("x-drover-leader-identity") else {
            return nil
        }
        return (lease, identity)
    }

    /// Throws 409 when `fence` names a Lease its identity does not hold.
    func checkLeaderFence(_ fence: (lease: String, identity: String)) throws(StatusError) {
        let parts = fence.lease.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .badRequest("the X-Drover-Leader-Lease header must be namespace/name, not \"\(fence.lease)\"")
        }
        let key = ObjectKey(resource: ResourceCatalog.leases.storageName, namespace: parts[0], name: parts[1])
        let holder: String
        do {
            holder = leaderHolders.holder(of: try store.getForWrite(key).object)
        } catch {
            guard case .notFound = error else { throw statusError(error, resource: ResourceCatalog.leases, name: parts[1]) }
            holder = ""
        }
        guard holder == fence.identity else {
            throw StatusError(code: 409, reason: "Conflict",
                              message: "the leader lease \(fence.lease) is held by \"\(holder)\", not \"\(fence.identity)\": "
                                  + "a deposed leader's write is refused")
        }
    }
}

/// The holder identity of each Lease as of its last seen resourceVersion, so a fenced write does
/// not parse the Lease again while it is unchanged (a leader writes thousands of times per renewal).
final class LeaderHolderCache: @unchecked Sendable {
    private let lock = NSLock()
    private var holders: [ObjectKey: (version: Int64, holder: String)] = [:]

    func holder(of lease: StoredObject) -> String {
        if let known = lock.withLock({ holders[lease.key] }), known.version == lease.resourceVersion { return known.holder }
        let holder = (try? JSONValue.parse(lease.json)).flatMap { $0["spec"]?["holderIdentity"]?.string } ?? ""
        lock.withLock { holders[lease.key] = (lease.resourceVersion, holder) }
        return holder
    }
}
