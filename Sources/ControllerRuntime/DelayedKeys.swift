import Foundation

/// Keys held until a deadline: a map of each key's earliest deadline plus a min-heap over
/// (deadline, key) whose stale entries (a key re-held earlier, or released) are skipped lazily.
struct DelayedKeys {
    private var deadlines: [String: Date] = [:]
    private var heap: [(deadline: Date, key: String)] = []

    var count: Int { deadlines.count }

    /// Holds `key` until `deadline`, unless it is already held until an earlier one.
    mutating func insert(_ key: String, at deadline: Date) {
        if let current = deadlines[key], current <= deadline { return }
        deadlines[key] = deadline
        push((deadline, key))
    }

    /// The earliest deadline held.
    var earliest: Date? {
        mutating get {
            dropStale()
            return heap.first?.deadline
        }
    }

    /// Releases every key whose deadline is at or before `now`, earliest first.
    mutating func removeDue(at now: Date) -> [String] {
        var due: [String] = []
        while true {
            dropStale()
            guard let top = heap.first, top.deadline <= now else { return due }
            pop()
            deadlines[top.key] = nil
            due.append(top.key)
        }
    }

    private mutating func dropStale() {
        while let top = heap.first, deadlines[top.key] != top.deadline { pop() }
    }

    private mutating func push(_ entry: (deadline: Date, key: String)) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
