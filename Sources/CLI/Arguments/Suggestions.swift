/// "Did you mean this?" as cobra (kubectl's command library) computes it: every candidate within
/// an edit distance of 2 of what was typed, or that starts with it, in the candidates' order.
enum Suggestions {
    /// The maximum Levenshtein distance of a suggestion.
    static let maximumDistance = 2

    static func nearest(_ typed: String, among candidates: [String], maximumDistance: Int = maximumDistance) -> [String] {
        let lower = typed.lowercased()
        guard !lower.isEmpty else { return [] }
        var seen = Set<String>()
        return candidates.filter { candidate in
            let name = candidate.lowercased()
            guard name != lower, seen.insert(candidate).inserted else { return false }
            return distance(lower, name) <= maximumDistance || name.hasPrefix(lower)
        }
    }

    /// The text appended to an error: `\n\nDid you mean this?\n\tget`, or nothing.
    static func hint(_ typed: String, among candidates: [String], maximumDistance: Int = maximumDistance) -> String {
        let found = nearest(typed, among: candidates, maximumDistance: maximumDistance)
        guard !found.isEmpty else { return "" }
        return "\n\nDid you mean this?\n" + found.map { "\t\($0)" }.joined(separator: "\n")
    }

    /// Levenshtein distance (insertions, deletions, substitutions).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        guard !x.isEmpty else { return y.count }
        guard !y.isEmpty else { return x.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + [Int](repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}
