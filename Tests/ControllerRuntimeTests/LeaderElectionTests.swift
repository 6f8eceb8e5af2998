import Foundation
import Model
import Testing
@testable import ControllerRuntime

/// The pure rule of acquiring, renewing and taking over a leader Lease (client-go's
/// tryAcquireOrRenew), as a table.
struct LeaderElectionTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let config = LeaderElectionConfig(name: "drover-control-plane", identity: "a")

    static func record(_ holder: String, transitions: Int64 = 0, duration: Int64 = 15) -> LeaderRecord {
        LeaderRecord(holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: "2027-01-01T00:00:00.000000Z",
                     renewTime: "2027-01-15T08:00:00.000000Z", leaseTransitions: transitions)
    }

    enum Expected: Equatable {
        case create
        case write(transitions: Int64, keepsAcquireTime: Bool)
        case follow(String)
    }

    static let cases: [(String, LeaderRecord?, Double, Expected)] = [
        ("no Lease: create it", nil, 0, .create),
        ("another's lease seen changing 14 s ago: follow", record("b"), 14, .follow("b")),
        ("another's lease unchanged for its whole duration: take over", record("b", transitions: 3), 15, .write(transitions: 4, keepsAcquireTime: false)),
        ("our own lease: renew, keeping acquireTime and transitions", record("a", transitions: 2), 3, .write(transitions: 2, keepsAcquireTime: true)),
        ("a released lease (no holder): take over at once", record("", transitions: 1, duration: 1), 0, .write(transitions: 2, keepsAcquireTime: false)),
        ("a one-second lease left 1 s ago: take over", record("b", duration: 1), 1, .write(transitions: 1, keepsAcquireTime: false)),
    ]

    @Test(arguments: cases)
    func decisionsFollowClientGosRule(_ row: (String, LeaderRecord?, Double, Expected)) {
        let (_, observed, secondsSinceChange, expected) = row
        let now = Self.start.addingTimeInterval(secondsSinceChange)
        let observation = LeaderObservation(record: observed, changedAt: Self.start)
        switch (LeaderElection.decide(observation, config: Self.config, now: now), expected) {
        case (.create(let record), .create):
            #expect(record.holderIdentity == "a")
            #expect(record.leaseDurationSeconds == 15)
            #expect(record.acquireTime == Timestamp.formatMicro(now))
        case (.write(let record), .write(let transitions, let keeps)):
            #expect(record.holderIdentity == "a")
            #expect(record.leaseTransitions == transitions)
            #expect(record.renewTime == Timestamp.formatMicro(now))
            #expect((record.acquireTime == observed?.acquireTime) == keeps)
        case (.follow(let holder), .follow(let expectedHolder)):
            #expect(holder == expectedHolder)
        case (let decision, _):
            Issue.record("\(row.0): decided \(decision), expected \(expected)")
        }
    }

    @Test func expiryCountsFromTheLastChangeThisCandidateSawNotTheHoldersRenewTime() {
        let stale = Self.record("b")
        // First seen now: however old its renewTime, the lease is valid for another duration.
        let first = LeaderObservation().observing(stale, at: Self.start.addingTimeInterval(100))
        #expect(first.changedAt == Self.start.addingTimeInterval(100))
        // Seen again unchanged: the clock keeps running from the first sighting.
        let again = first.observing(stale, at: Self.start.addingTimeInterval(110))
        #expect(again.changedAt == Self.start.addingTimeInterval(100))
        // A renewal resets it.
        var renewed = stale
        renewed.renewTime = "2027-01-15T08:00:02.000000Z"
        #expect(again.observing(renewed, at: Self.start.addingTimeInterval(111)).changedAt == Self.start.addingTimeInterval(111))
    }

    @Test func settingsThatCannotWorkAreRefusedWithTheRule() {
        var config = Self.config
        config.renewDeadline = 15
        #expect(throws: LeaderElectionConfigError("the lease duration must be greater than the renew deadline")) { try config.validate() }
        config = Self.config
        config.retryPeriod = 9
        #expect(throws: LeaderElectionConfigError("the renew deadline must be greater than 1.2 × the retry period")) { try config.validate() }
        #expect(throws: Never.self) { try Self.config.validate() }
    }

    @Test func aReleasedRecordHasNoHolderAndExpiresInASecond() {
        let released = LeaderElection.release(Self.record("a", transitions: 2), now: Self.start)
        #expect(released.holderIdentity == "")
        #expect(released.leaseDurationSeconds == 1)
        #expect(released.leaseTransitions == 2)
        #expect(LeaderRecord(lease: ["spec": released.spec]) == released)
    }
}
