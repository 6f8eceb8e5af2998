/// Upstream's default score normalisation: maps raw scores in 0...max onto 0...100.
enum ScoreNormalization {
    /// Scales so the largest raw score becomes 100; with `reverse`, the largest becomes 0 and a
    /// raw 0 becomes 100. When every raw score is 0 they stay 0 (or all become 100 with `reverse`).
    static func scaleToMaximum(_ scores: inout [Int64], reverse: Bool) {
        let maximum = scores.max() ?? 0
        guard maximum > 0 else {
            if reverse { for i in scores.indices { scores[i] = maxScore } }
            return
        }
        for i in scores.indices {
            let scaled = maxScore * scores[i] / maximum
            scores[i] = reverse ? maxScore - scaled : scaled
        }
    }

    static let maxScore: Int64 = 100
}
