/// A set of completion indexes kept as ordered, disjoint, non-adjacent intervals, written as
/// upstream writes `status.completedIndexes` / `status.failedIndexes`: `"1,3-5"`, two adjacent
/// indexes as `"1,2"`.
public struct IndexIntervals: Sendable, Equatable, CustomStringConvertible {
    /// Ordered, disjoint, non-adjacent.
    public private(set) var intervals: [ClosedRange<Int>] = []

    /// The empty set.
    public init() {}

    /// The set holding `indexes` (any order, duplicates allowed).
    public init<S: Sequence>(_ indexes: S) where S.Element == Int {
        self.init(ranges: indexes.map { $0...$0 })
    }

    /// Parses an interval list as upstream does: a corrupt interval is skipped, parsing stops at the
    /// first interval starting at or past `completions`, and an end past it is clamped to `completions - 1`.
    public init(parsing text: String, completions: Int) {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) where !text.isEmpty {
            let limits = part.split(separator: "-", omittingEmptySubsequences: false)
            guard let first = Int(limits[0]), first >= 0 else { continue }
            if first >= completions { break }
            var last = first
            if limits.count > 1 {
                guard let end = Int(limits[1]), end >= first else { continue }
                last = min(end, completions - 1)
            }
            ranges.append(first...last)
        }
        self.init(ranges: ranges)
    }

    /// Normalises arbitrary ranges: sorted, overlapping and adjacent ones merged.
    public init(ranges: [ClosedRange<Int>]) {
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = intervals.last, range.lowerBound <= last.upperBound + 1 {
                intervals[intervals.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                intervals.append(range)
            }
        }
    }

    /// Both sets together.
    public func union(_ other: IndexIntervals) -> IndexIntervals {
        IndexIntervals(ranges: intervals + other.intervals)
    }

    /// This set plus `indexes`.
    public func inserting<S: Sequence>(_ indexes: S) -> IndexIntervals where S.Element == Int {
        union(IndexIntervals(indexes))
    }

    /// Whether `index` is in the set (binary search).
    public func contains(_ index: Int) -> Bool {
        var lo = 0, hi = intervals.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if intervals[mid].upperBound < index { lo = mid + 1 } else { hi = mid }
        }
        return lo < intervals.count && intervals[lo].lowerBound <= index
    }

    /// How many indexes the set holds.
    public var count: Int { intervals.reduce(0) { $0 + $1.count } }
    public var isEmpty: Bool { intervals.isEmpty }

    /// How many indexes both sets share.
    public func overlapCount(with other: IndexIntervals) -> Int {
        var total = 0, i = 0, j = 0
        while i < intervals.count && j < other.intervals.count {
            let a = intervals[i], b = other.intervals[j]
            let overlap = min(a.upperBound, b.upperBound) - max(a.lowerBound, b.lowerBound) + 1
            if overlap > 0 { total += overlap }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return total
    }

    /// The first `count` indexes below `completions` that are not in this set, ascending.
    public func firstMissing(_ count: Int, below completions: Int) -> [Int] {
        var result: [Int] = []
        var candidate = 0
        for interval in intervals where result.count < count {
            while candidate < completions && result.count < count && candidate < interval.lowerBound {
                result.append(candidate)
                candidate += 1
            }
            candidate = max(candidate, interval.upperBound + 1)
        }
        while candidate < completions && result.count < count {
            result.append(candidate)
            candidate += 1
        }
        return result
    }

    /// `"1,3-5"`; an interval of two indexes is written `"1,2"`.
    public var description: String {
        intervals.map { r -> String in
            switch r.count {
            case 1: return "\(r.lowerBound)"
            case 2: return "\(r.lowerBound),\(r.upperBound)"
            default: return "\(r.lowerBound)-\(r.upperBound)"
            }
        }.joined(separator: ",")
    }
}
