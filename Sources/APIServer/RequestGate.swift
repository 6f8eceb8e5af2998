import Foundation

/// Limits on requests in flight, as kube-apiserver's `--max-requests-inflight` (read-only) and
/// `--max-mutating-requests-inflight`, plus one on long-running requests (watches, followed logs);
/// 0 means unlimited.
public struct RequestLimits: Sendable, Equatable {
    public var readOnly: Int
    public var mutating: Int
    public var longRunning: Int

    public init(readOnly: Int = 400, mutating: Int = 200, longRunning: Int = 20_000) {
        self.readOnly = readOnly
        self.mutating = mutating
        self.longRunning = longRunning
    }

    /// No limits.
    public static let none = RequestLimits(readOnly: 0, mutating: 0, longRunning: 0)
}

/// The seats of each kind of request, shared fairly between users — upstream's API Priority and
/// Fairness reduced to one priority level per kind: a request is admitted while its kind has a
/// free seat, and — once more than half the seats are taken — only if its user holds fewer than an
/// equal share of them among the users holding some (the requester counted). One user alone may
/// use every seat; under contention a user above its share is refused until it is back under it,
/// so a flooding client cannot starve the rest. Pure bookkeeping, safe from any thread.
final class RequestGate: @unchecked Sendable {
    enum Kind: String, CaseIterable {
        case readOnly, mutating, longRunning
    }

    private let limits: RequestLimits
    private let lock = NSLock()
    private var held: [Kind: [String: Int]] = [:]
    private var totals: [Kind: Int] = [:]

    init(limits: RequestLimits) { self.limits = limits }

    private func limit(_ kind: Kind) -> Int {
        switch kind {
        case .readOnly: return limits.readOnly
        case .mutating: return limits.mutating
        case .longRunning: return limits.longRunning
        }
    }

    /// Takes a seat of `kind` for `user`; false when the request must be refused.
    func enter(_ kind: Kind, user: String) -> Bool {
        let limit = limit(kind)
        return lock.withLock {
            let users = held[kind, default: [:]]
            let mine = users[user, default: 0]
            let total = totals[kind, default: 0]
            if limit > 0 {
                let sharing = users.count + (mine == 0 ? 1 : 0)
                let share = max(1, limit / sharing)
                guard total < limit, total < limit / 2 || sharing == 1 || mine < share else { return false }
            }
            held[kind, default: [:]][user] = mine + 1
            totals[kind] = total + 1
            return true
        }
    }

    /// Gives back a seat `enter` gave.
    func leave(_ kind: Kind, user: String) {
        lock.withLock {
            let mine = held[kind]?[user] ?? 0
            guard mine > 0 else { return }
            held[kind]?[user] = mine == 1 ? nil : mine - 1
            totals[kind, default: 1] -= 1
        }
    }

    /// Seats of `kind` in use.
    func inUse(_ kind: Kind) -> Int { lock.withLock { totals[kind, default: 0] } }
}
