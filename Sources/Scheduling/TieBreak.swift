/// How `Profile.schedule` chooses among nodes with the same best score.
public enum TieBreak: Sendable {
    /// The node whose name sorts first: deterministic, for tests.
    case firstByName
    /// Uniformly at random, using `pick(n)`, which must return a number in `0..<n`; the search
    /// keeps the k-th tied node when `pick(k)` returns 0 (reservoir sampling, as upstream).
    case random(_ pick: @Sendable (_ upperBound: Int) -> Int)

    /// Production's choice: the system random number generator.
    public static var systemRandom: TieBreak {
        .random { Int.random(in: 0..<$0) }
    }
}
