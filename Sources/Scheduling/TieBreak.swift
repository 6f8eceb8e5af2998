import Synchronization

/// How `Profile.schedule` chooses among nodes with the same best score.
public enum TieBreak: Sendable {
    /// The node whose name sorts first: deterministic, for tests.
    case firstByName
    /// Uniformly at random, using `pick(n)`, which must return a number in `0..<n`; the search
    /// keeps the k-th tied node when `pick(k)` returns 0 (reservoir sampling, as upstream).
    case random(_ pick: @Sendable (_ upperBound: Int) -> Int)

    /// Production's choice: a fast generator seeded once from the system's. Not the system
    /// generator itself: on Linux that is one getrandom(2) per number, and identical empty nodes
    /// tie by the hundred, so it cost a syscall per node per pod (11,000 a second under the
    /// scheduler benchmark).
    public static var systemRandom: TieBreak {
        let generator = SharedGenerator()
        return .random { generator.next(below: $0) }
    }
}

/// SplitMix64 behind a mutex: statistically fine for choosing among tied nodes, not for secrets.
private final class SharedGenerator: Sendable {
    private let state: Mutex<UInt64>

    init() {
        var system = SystemRandomNumberGenerator()
        state = Mutex(system.next())
    }

    func next(below upperBound: Int) -> Int {
        let value = state.withLock { state -> UInt64 in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        // Multiply-shift maps the 64 random bits onto 0..<upperBound (bias below 2^-32 here).
        return Int(value.multipliedFullWidth(by: UInt64(upperBound)).high)
    }
}
