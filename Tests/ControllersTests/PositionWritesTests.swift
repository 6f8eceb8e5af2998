import Foundation
import Testing
@testable import Controllers

/// Position-only changes of a pending Workload's message are paced; other changes are not.
@Suite struct PositionWritesTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: [
        ("waiting for quota in ClusterQueue a: position 3 of 12; needs 8 cpu", "waiting for quota in ClusterQueue a: position ; needs 8 cpu"),
        ("position 7", "position "),
        ("no position here", "no position here"),
        ("position of", "position of"),
    ])
    func positionsAreLeftOutOfTheComparison(_ message: String, _ expected: String) {
        #expect(PositionWrites.withoutPositions(message) == expected)
    }

    @Test func aMovedPositionWaitsItsIntervalWhileAnyOtherChangeIsWrittenAtOnce() {
        let writes = PositionWrites()
        let first = "waiting for quota in ClusterQueue a: position 3 of 12; needs 8 cpu"
        #expect(writes.mayWrite("ns/w", current: nil, message: first, now: Self.t0))
        writes.wrote("ns/w", at: Self.t0)
        let moved = "waiting for quota in ClusterQueue a: position 2 of 13; needs 8 cpu"
        #expect(!writes.mayWrite("ns/w", current: first, message: moved, now: Self.t0.addingTimeInterval(4.9)))
        #expect(writes.mayWrite("ns/w", current: first, message: moved, now: Self.t0.addingTimeInterval(5)))
        let otherReason = "waiting for quota in ClusterQueue a: position 2 of 13; needs 4 cpu"
        #expect(writes.mayWrite("ns/w", current: first, message: otherReason, now: Self.t0.addingTimeInterval(1)))
        // A Workload never written by this controller (its message came from elsewhere) is written.
        #expect(writes.mayWrite("ns/other", current: first, message: moved, now: Self.t0))
        writes.keep(only: [])
        #expect(writes.mayWrite("ns/w", current: first, message: moved, now: Self.t0.addingTimeInterval(1)))
    }
}
