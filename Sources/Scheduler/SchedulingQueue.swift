import Foundation
import Scheduling

/// Pending pods waiting for a scheduling attempt: an active heap ordered by priority (higher
/// first), then creation time, then arrival; and a back-off area for pods that did not fit, retried
/// when their back-off ends or at once when the cluster changes (the first of them only when one
/// pod's room was freed). Not thread-safe: the scheduler
/// guards it with its lock.
struct SchedulingQueue {
    /// Back-off of the first retry; doubles per failed attempt up to `maximumBackoff`.
    let initialBackoff: Double
    let maximumBackoff: Double

    init(initialBackoff: Double = 1, maximumBackoff: Double = 10) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    private struct Entry {
        var priority: Int32
        var created: Date
        var sequence: Int
        var key: String

        /// True when `self` should be scheduled before `other`.
        func precedes(_ other: Entry) -> Bool {
            if priority != other.priority { return priority > other.priority }
            if created != other.created { return created < other.created }
            return sequence < other.sequence
        }
    }

    private struct Waiting {
        var pod: PodInfo
        var retryAt: Date
    }

    private var heap: [Entry] = []
    /// The current heap entry's sequence number per active key (older entries are skipped).
    private var active: [String: (sequence: Int, pod: PodInfo)] = [:]
    private var backingOff: [String: Waiting] = [:]
    /// Failed attempts per pod, for the back-off length; cleared when the pod leaves the queue.
    private var attempts: [String: Int] = [:]
    private var nextSequence = 0

    /// Pods ready for an attempt.
    var activeCount: Int { active.count }
    /// Pods waiting out a back-off.
    var backoffCount: Int { backingOff.count }

    func contains(_ key: String) -> Bool { active[key] != nil || backingOff[key] != nil }

    /// Adds a pod (or refreshes a queued one). A pod in back-off stays there with the new object.
    mutating func add(_ pod: PodInfo, key: String) {
        if var waiting = backingOff[key] {
            waiting.pod = pod
            backingOff[key] = waiting
            return
        }
        if let current = active[key], current.pod.priority == pod.priority, current.pod.creationTimestamp == pod.creationTimestamp {
            active[key] = (current.sequence, pod)
            return
        }
        push(pod, key: key)
    }

    /// Removes a pod wherever it is (it was bound, deleted or handed to another scheduler).
    mutating func remove(_ key: String) {
        active[key] = nil
        backingOff[key] = nil
        attempts[key] = nil
    }

    /// The next pod to try, or nil when none is active.
    mutating func pop() -> (key: String, pod: PodInfo)? {
        while let top = popEntry() {
            guard let current = active[top.key], current.sequence == top.sequence else { continue }
            active[top.key] = nil
            return (top.key, current.pod)
        }
        return nil
    }

    /// Parks a pod that did not fit; returns the back-off it got.
    @discardableResult
    mutating func backOff(_ pod: PodInfo, key: String, now: Date) -> Double {
        let failures = (attempts[key] ?? 0) + 1
        attempts[key] = failures
        let delay = min(maximumBackoff, initialBackoff * pow(2, Double(min(failures - 1, 30))))
        active[key] = nil
        backingOff[key] = Waiting(pod: pod, retryAt: now.addingTimeInterval(delay))
        return delay
    }

    /// Moves pods whose back-off has ended to the active heap; returns how many moved.
    @discardableResult
    mutating func activateExpired(now: Date) -> Int {
        let due = backingOff.filter { $0.value.retryAt <= now }
        for (key, waiting) in due {
            backingOff[key] = nil
            push(waiting.pod, key: key)
        }
        return due.count
    }

    /// The cluster changed (node added or freed up, pod deleted): every parked pod gets a new
    /// attempt now. Their attempt counts stay, so a pod that still does not fit backs off longer.
    @discardableResult
    mutating func activateAll() -> Int {
        let parked = backingOff
        backingOff.removeAll()
        for (key, waiting) in parked { push(waiting.pod, key: key) }
        return parked.count
    }

    /// One pod finished or left a node: room for about one pod. The first parked pod in queue order
    /// (priority, then creation) gets an attempt now; the others keep their back-off. Waking all of
    /// them, as for a cluster change, made 1,000 one-pod Jobs waiting for 110 pod slots cost some
    /// 9,000 failed attempts a second, each a filter pass, a preemption search and a report.
    @discardableResult
    mutating func activateFirst() -> Int {
        func entry(_ parked: (key: String, value: Waiting)) -> Entry {
            Entry(priority: parked.value.pod.priority, created: parked.value.pod.creationTimestamp, sequence: 0, key: parked.key)
        }
        let first = backingOff.min { a, b in
            entry(a).precedes(entry(b)) || (!entry(b).precedes(entry(a)) && a.key < b.key)
        }
        return first.map { activate([$0.key]) } ?? 0
    }

    /// The parked pods among `keys` get an attempt now (preemptors whose victims' room came free).
    @discardableResult
    mutating func activate(_ keys: Set<String>) -> Int {
        var moved = 0
        for key in keys {
            guard let waiting = backingOff.removeValue(forKey: key) else { continue }
            push(waiting.pod, key: key)
            moved += 1
        }
        return moved
    }

    /// Forgets the attempt count of a pod that was placed.
    mutating func placed(_ key: String) { attempts[key] = nil }

    // MARK: Heap

    private mutating func push(_ pod: PodInfo, key: String) {
        let entry = Entry(priority: pod.priority, created: pod.creationTimestamp, sequence: nextSequence, key: key)
        nextSequence += 1
        active[key] = (entry.sequence, pod)
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func popEntry() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count && heap[left].precedes(heap[first]) { first = left }
            if right < heap.count && heap[right].precedes(heap[first]) { first = right }
            if first == parent { break }
            heap.swapAt(parent, first)
            parent = first
        }
        return top
    }
}
