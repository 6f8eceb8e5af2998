import Foundation

/// A token bucket on an injected clock (client-go's flowcontrol token bucket, as the node
/// lifecycle controller uses one per zone): `rate` tokens a second up to `burst`; a new bucket
/// starts full. Pure value: the caller passes the time.
struct TokenBucket: Sendable, Equatable {
    private(set) var rate: Double
    let burst: Double
    private(set) var tokens: Double
    private var updated: Date

    init(rate: Double, burst: Double = 1, now: Date) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        updated = now
    }

    private mutating func refill(_ now: Date) {
        let elapsed = max(0, now.timeIntervalSince(updated))
        tokens = min(burst, tokens + elapsed * max(0, rate))
        updated = max(updated, now)
    }

    /// Takes a token if one is there.
    mutating func take(at now: Date) -> Bool {
        refill(now)
        guard rate > 0, tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Changes the rate; what accrued at the old rate until `now` is kept. A zero rate refuses
    /// everything until it is raised again.
    mutating func setRate(_ newRate: Double, at now: Date) {
        refill(now)
        rate = newRate
    }

    /// Seconds until the next token, nil when none will ever come at this rate.
    func secondsUntilToken(at now: Date) -> TimeInterval? {
        guard rate > 0 else { return nil }
        let current = min(burst, tokens + max(0, now.timeIntervalSince(updated)) * rate)
        return current >= 1 ? 0 : (1 - current) / rate
    }
}
