import Client
import Foundation

/// One uninterrupted stretch of leadership, and the fence of the clients that write during it.
/// A term is current while it has not ended and its last successful renewal is younger than the
/// renew deadline — judged on every write, so a leader whose elector is stuck or whose process
/// was paused stops writing by itself, before any follower may take over (they wait the whole
/// lease duration). Its headers name the Lease and holder, which the API server checks too.
public final class LeaderTerm: RequestFence, @unchecked Sendable {
    /// `namespace/name` of the Lease.
    public let lease: String
    /// The holder identity this term writes as.
    public let identity: String
    private let renewDeadline: Double
    private let clock: any TimeSource
    private let lock = NSLock()
    private var lastRenewal: Date
    private var ended = false

    /// Header naming the Lease a fenced writer holds (`namespace/name`).
    public static let leaseHeader = "X-Drover-Leader-Lease"
    /// Header naming the writer's holder identity.
    public static let holderHeader = "X-Drover-Leader-Identity"

    init(lease: String, identity: String, renewDeadline: Double, clock: any TimeSource, acquiredAt: Date) {
        self.lease = lease
        self.identity = identity
        self.renewDeadline = renewDeadline
        self.clock = clock
        lastRenewal = acquiredAt
    }

    /// True while writes may go out.
    public var isCurrent: Bool {
        lock.withLock { !ended && clock.now.timeIntervalSince(lastRenewal) < renewDeadline }
    }

    /// When the lease was last written successfully.
    public var renewedAt: Date { lock.withLock { lastRenewal } }

    func renewed(at time: Date) { lock.withLock { if !ended { lastRenewal = time } } }

    func end() { lock.withLock { ended = true } }

    public var headers: [(String, String)] { [(Self.leaseHeader, lease), (Self.holderHeader, identity)] }

    public func check(method: String) throws(ClientError) {
        guard isCurrent else {
            throw .fenced("\(identity) no longer holds the leader lease \(lease) (its term ended or its renewal is overdue)")
        }
    }
}
