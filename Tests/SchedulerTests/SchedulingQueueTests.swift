import Foundation
import Model
import Scheduling
import Testing
@testable import Scheduler

/// The pending-pod queue: back-off, and which parked pods a change wakes.
@Suite struct SchedulingQueueTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func pod(_ name: String, priority: Int64 = 0, created: Double = 0) -> PodInfo {
        var object = Cluster.pod(name, priority: priority)
        object.setValue(.string(Timestamp.format(t0.addingTimeInterval(created))), at: ["metadata", "creationTimestamp"])
        return PodInfo(object)
    }

    /// Three pods parked after failing once: low (oldest), high (newest), and mid.
    static func parked() -> SchedulingQueue {
        var queue = SchedulingQueue(initialBackoff: 1, maximumBackoff: 10)
        for (name, priority, created) in [("low", Int64(0), 0.0), ("high", 100, 2), ("mid", 0, 1)] {
            queue.backOff(pod(name, priority: priority, created: created), key: name, now: t0)
        }
        return queue
    }

    static func drained(_ queue: inout SchedulingQueue) -> [String] {
        var keys: [String] = []
        while let next = queue.pop() { keys.append(next.key) }
        return keys
    }

    @Test func roomForOnePodWakesTheFirstParkedPodInQueueOrderOnly() {
        var queue = Self.parked()
        #expect(queue.activateFirst() == 1)
        #expect(Self.drained(&queue) == ["high"])
        #expect(queue.activateFirst() == 1)
        #expect(Self.drained(&queue) == ["low"])   // equal priority: the older first
        #expect(queue.backoffCount == 1)
        #expect(queue.activateFirst() == 1 && queue.activateFirst() == 0)
    }

    @Test func namedParkedPodsAreWokenWhereverTheyStandInTheQueue() {
        var queue = Self.parked()
        #expect(queue.activate(["mid", "unknown"]) == 1)
        #expect(Self.drained(&queue) == ["mid"])
        #expect(queue.backoffCount == 2)
    }

    @Test func aClusterChangeWakesEveryParkedPodAndBackOffsEndOnTheirOwn() {
        var queue = Self.parked()
        #expect(queue.activateExpired(now: Self.t0.addingTimeInterval(0.5)) == 0)
        #expect(queue.activateExpired(now: Self.t0.addingTimeInterval(1)) == 3)
        #expect(Self.drained(&queue) == ["high", "low", "mid"])
        var again = Self.parked()
        #expect(again.activateAll() == 3)
        #expect(again.backoffCount == 0)
    }

    @Test func backOffDoublesPerFailureUpToTheMaximum() {
        var queue = SchedulingQueue(initialBackoff: 1, maximumBackoff: 10)
        let delays = (0..<6).map { _ in queue.backOff(Self.pod("p"), key: "p", now: Self.t0) }
        #expect(delays == [1, 2, 4, 8, 10, 10])
    }
}
