import Model

/// Upstream's matchSuccessPolicy: the first rule that holds over the succeeded indexes.
public enum SuccessPolicyMatch {
    /// `"Matched rules at index N"` for the first rule met, nil when none is (or nothing succeeded).
    /// A `succeededIndexes` rule holds when all its indexes succeeded, or at least `succeededCount`
    /// of them; a `succeededCount`-only rule when that many indexes succeeded.
    public static func evaluate(_ policy: SuccessPolicy?, completions: Int, succeeded: IndexIntervals) -> String? {
        guard let policy, !succeeded.isEmpty else { return nil }
        for (index, rule) in policy.rules.enumerated() {
            if let text = rule.succeededIndexes {
                let required = IndexIntervals(parsing: text, completions: completions)
                if required.isEmpty { continue }
                let contained = required.overlapCount(with: succeeded)
                if contained == required.count || (rule.succeededCount.map { contained >= $0 } ?? false) {
                    return "Matched rules at index \(index)"
                }
            } else if let count = rule.succeededCount, succeeded.count >= count {
                return "Matched rules at index \(index)"
            }
        }
        return nil
    }
}
