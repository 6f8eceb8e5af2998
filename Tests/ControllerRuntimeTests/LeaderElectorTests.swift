import Client
import Foundation
import Model
import Testing
import TestSupport
@testable import ControllerRuntime

/// Two candidates for one Lease over one API, driven attempt by attempt on a manual clock.
struct LeaderElectorTests {
    final class Terms: @unchecked Sendable {
        private let lock = NSLock()
        private var started: [LeaderTerm] = []
        private var stops = 0
        func began(_ term: LeaderTerm) { lock.withLock { started.append(term) } }
        func ended() { lock.withLock { stops += 1 } }
        var count: Int { lock.withLock { started.count } }
        var stopped: Int { lock.withLock { stops } }
        var last: LeaderTerm? { lock.withLock { started.last } }
    }

    static func candidate(_ identity: String, api: FakeAPIClient, clock: ManualClock, terms: Terms) -> LeaderElector {
        LeaderElector(client: api, config: LeaderElectionConfig(name: "drover-control-plane", identity: identity), clock: clock,
                      onStartedLeading: { terms.began($0) }, onStoppedLeading: { terms.ended() })
    }

    /// Candidates a and b over one fake API and manual clock.
    static func pair() -> (FakeAPIClient, ManualClock, (LeaderElector, Terms), (LeaderElector, Terms)) {
        let api = FakeAPIClient(), clock = ManualClock()
        let (aTerms, bTerms) = (Terms(), Terms())
        return (api, clock, (candidate("a", api: api, clock: clock, terms: aTerms), aTerms),
                (candidate("b", api: api, clock: clock, terms: bTerms), bTerms))
    }

    static func holder(_ api: FakeAPIClient) async throws -> String? {
        try await api.get(ResourceCatalog.leases, namespace: "kube-system", name: "drover-control-plane")["spec"]?["holderIdentity"]?.string
    }

    @Test func theFirstCandidateLeadsAndTheOtherTakesOverOnlyAfterTheLeaseDuration() async throws {
        let (api, clock, (a, aTerms), (b, bTerms)) = Self.pair()

        await a.attempt()
        await b.attempt()
        #expect(aTerms.count == 1)
        #expect(bTerms.count == 0)
        #expect(try await Self.holder(api) == "a")

        // a renews every 2 s: b never takes over.
        for _ in 0..<10 {
            clock.advance(by: 2)
            await a.attempt()
            await b.attempt()
        }
        #expect(bTerms.count == 0)
        #expect(aTerms.count == 1)
        #expect(aTerms.last?.isCurrent == true)

        // a falls silent (a dead or paused process): its fence closes after the renew deadline,
        // and b takes over once the record has not changed for the lease duration.
        clock.advance(by: 10)
        #expect(aTerms.last?.isCurrent == false)
        #expect(throws: ClientError.self) { try aTerms.last?.check(method: "POST") }
        await b.attempt()
        #expect(bTerms.count == 0, "10 s since b saw the record change: still a's")
        clock.advance(by: 5)
        await b.attempt()
        #expect(bTerms.count == 1)
        #expect(try await Self.holder(api) == "b")
        let lease = try await api.get(ResourceCatalog.leases, namespace: "kube-system", name: "drover-control-plane")
        #expect(lease["spec"]?["leaseTransitions"]?.int == 1)

        // a comes back: it sees b's record, ends its term and follows.
        await a.attempt()
        #expect(aTerms.stopped == 1)
        #expect(a.currentTerm == nil)
        #expect(a.observedHolder == "b")
        #expect(try await Self.holder(api) == "b")
    }

    @Test func stoppingReleasesTheLeaseSoAFollowerTakesOverAtItsNextAttempt() async throws {
        let (api, clock, (a, aTerms), (b, bTerms)) = Self.pair()
        await a.attempt()
        await b.attempt()
        await a.stop()
        #expect(aTerms.stopped == 1)
        #expect(try await Self.holder(api) == "")
        clock.advance(by: 2)
        await b.attempt()
        #expect(bTerms.count == 1)
        #expect(try await Self.holder(api) == "b")
    }

    @Test func aLeaderThatMissesItsRenewDeadlineStartsAFreshTermWhenItRenewsAgain() async throws {
        let api = FakeAPIClient()
        let clock = ManualClock()
        let terms = Terms()
        let a = Self.candidate("a", api: api, clock: clock, terms: terms)
        await a.attempt()
        let first = try #require(terms.last)
        clock.advance(by: 11)
        #expect(a.healthProblem != nil)
        // Nobody took the lease meanwhile: a renews, but its old term's writes stay fenced.
        await a.attempt()
        #expect(terms.count == 2)
        #expect(terms.stopped == 1)
        #expect(!first.isCurrent)
        #expect(terms.last?.isCurrent == true)
        #expect(a.healthProblem == nil)
    }

    @Test func aTermsHeadersNameTheLeaseAndHolder() async throws {
        let api = FakeAPIClient()
        let terms = Terms()
        let a = Self.candidate("a", api: api, clock: ManualClock(), terms: terms)
        await a.attempt()
        let term = try #require(terms.last)
        #expect(term.headers.map(\.0) == [LeaderTerm.leaseHeader, LeaderTerm.holderHeader])
        #expect(term.headers.map(\.1) == ["kube-system/drover-control-plane", "a"])
    }
}
