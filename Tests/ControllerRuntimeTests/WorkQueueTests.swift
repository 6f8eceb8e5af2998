import ControllerRuntime
import Foundation
import Testing
import TestSupport

@Suite struct WorkQueueTests {
    @Test func aKeyAddedManyTimesIsHandedOutOnce() async {
        let queue = WorkQueue(name: "test")
        queue.add("a"); queue.add("b"); queue.add("a"); queue.add("a")
        #expect(queue.count == 2)
        #expect(await queue.next() == "a")
        #expect(await queue.next() == "b")
        #expect(queue.count == 0)
    }

    @Test func aKeyAddedWhileProcessingComesBackOnlyAfterDone() async {
        let queue = WorkQueue(name: "test")
        queue.add("a")
        let first = await queue.next()
        queue.add("a")  // news arrives during the sync
        #expect(queue.count == 0, "a second worker must not get the key meanwhile")
        queue.done(first!)
        #expect(queue.count == 1)
        #expect(await queue.next() == "a")
        queue.done("a")
        #expect(queue.count == 0)
    }

    @Test func aWaitingWorkerGetsTheNextKey() async {
        let queue = WorkQueue(name: "test")
        async let key = queue.next()
        _ = await eventually { queue.count == 0 }  // let the worker start waiting
        queue.add("x")
        #expect(await key == "x")
    }

    @Test func shutDownReleasesWaitingWorkersWithNil() async {
        let queue = WorkQueue(name: "test")
        async let key = queue.next()
        try? await Task.sleep(nanoseconds: 10_000_000)
        queue.shutDown()
        #expect(await key == nil)
        queue.add("late")
        #expect(await queue.next() == nil)
    }

    @Test func addAfterHoldsTheKeyUntilTheClockPassesTheDeadline() async {
        let clock = ManualClock()
        let queue = WorkQueue(name: "test", clock: clock)
        queue.addAfter("a", seconds: 10)
        queue.addAfter("a", seconds: 30)  // the earlier deadline wins
        #expect(queue.heldCount == 1)
        clock.advance(by: 9)
        try? await Task.sleep(nanoseconds: 20_000_000)
        #expect(queue.count == 0)
        clock.advance(by: 1)
        #expect(await eventually { queue.count == 1 })
        #expect(queue.heldCount == 0)
    }

    @Test func anEarlierDeadlineReplacesALaterTimer() async {
        let clock = ManualClock()
        let queue = WorkQueue(name: "test", clock: clock)
        queue.addAfter("late", seconds: 60)
        queue.addAfter("soon", seconds: 5)
        clock.advance(by: 5)
        #expect(await eventually { queue.count == 1 })
        #expect(await queue.next() == "soon")
        clock.advance(by: 55)
        #expect(await eventually { queue.count == 1 })
        #expect(await queue.next() == "late")
    }

    @Test func rateLimitedRetriesDoubleUntilForgotten() {
        // 5 ms, 10 ms, 20 ms ... capped.
        let backoff = RetryBackoff(base: 0.005, maximum: 1)
        #expect(backoff.delay(afterFailures: 1) == 0.005)
        #expect(backoff.delay(afterFailures: 3) == 0.02)
        #expect(backoff.delay(afterFailures: 20) == 1)
        let queue = WorkQueue(name: "test", clock: ManualClock(), backoff: backoff)
        queue.addRateLimited("a"); queue.addRateLimited("a")
        #expect(queue.failures("a") == 2)
        queue.forget("a")
        #expect(queue.failures("a") == 0)
    }
}

@Suite struct ExpectationsTests {
    @Test func creationsAreSatisfiedOnceAllAreObserved() {
        let expectations = Expectations(clock: ManualClock())
        #expect(expectations.isSatisfied("ns/job"), "no record is satisfied")
        expectations.expectCreations("ns/job", count: 2)
        #expect(!expectations.isSatisfied("ns/job"))
        expectations.creationObserved("ns/job")
        #expect(!expectations.isSatisfied("ns/job"))
        expectations.creationObserved("ns/job")  // a failed create counts the same
        #expect(expectations.isSatisfied("ns/job"))
    }

    @Test func deletionsAreTrackedByUID() {
        let expectations = Expectations(clock: ManualClock())
        expectations.expectDeletions("ns/job", uids: ["u1", "u2"])
        expectations.deletionObserved("ns/job", uid: "someone-else")
        #expect(!expectations.isSatisfied("ns/job"))
        #expect(expectations.pendingDeletions("ns/job") == ["u1", "u2"])
        expectations.deletionObserved("ns/job", uid: "u1")
        expectations.deletionObserved("ns/job", uid: "u2")
        #expect(expectations.isSatisfied("ns/job"))
    }

    @Test func anOutstandingRecordExpiresAfterItsTTL() {
        let clock = ManualClock()
        let expectations = Expectations(clock: clock, ttlSeconds: 300)
        expectations.expectCreations("k", count: 1)
        clock.advance(by: 300)
        #expect(!expectations.isSatisfied("k"))
        clock.advance(by: 1)
        #expect(expectations.isSatisfied("k"), "a lost event must not wedge the key")
        expectations.forget("k")
        #expect(expectations.pendingDeletions("k").isEmpty)
    }
}
