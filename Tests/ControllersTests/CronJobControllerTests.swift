import Client
import ControllerRuntime
import Foundation
import Model
import Testing
import TestSupport
@testable import Controllers

/// The controller over a FakeAPIClient with a manual clock, syncing by calling `reconcile` directly.
@Suite struct CronJobControllerTests {
    let cronJobs = ResourceCatalog.cronJobs
    let jobs = ResourceCatalog.jobs
    static let key = "default/cj"

    /// One controller process: informers, recorder and controller over a shared fake API.
    final class Process: @unchecked Sendable {
        let factory: SharedInformerFactory
        let recorder: EventRecorder
        let controller: CronJobController

        init(_ client: FakeAPIClient, _ clock: ManualClock) {
            factory = SharedInformerFactory(client: client, clock: clock)
            recorder = EventRecorder(client: client, component: ControllerKind.cronjob.component, clock: clock)
            controller = CronJobController(client: client, factory: factory, recorder: recorder, clock: clock,
                                           localTimeZone: CronFixture.utc)
        }

        func start() async {
            factory.start()
            await factory.waitForSync()
        }

        func stop() { factory.stop() }
    }

    func cluster(_ cronJob: JSONValue, now: String) async throws -> (FakeAPIClient, ManualClock, Process) {
        let client = FakeAPIClient()
        let clock = ManualClock(now: CronFixture.date(now))
        try client.seed(cronJobs, cronJob)
        let process = Process(client, clock)
        await process.start()
        return (client, clock, process)
    }

    func stored(_ client: FakeAPIClient) -> CronJobView {
        CronJobView(client.object(cronJobs, namespace: "default", name: "cj") ?? .null)
    }

    func jobNames(_ client: FakeAPIClient) async throws -> [String] {
        try await client.list(jobs, namespace: "default").items.compactMap { $0.value(at: ["metadata", "name"])?.string }.sorted()
    }

    func events(_ client: FakeAPIClient, _ process: Process) async throws -> [String] {
        await process.recorder.flush()
        return try await client.list(ResourceCatalog.events, namespace: "default").items.map {
            "\($0["reason"]?.string ?? "") \($0["message"]?.string ?? "")"
        }
    }

    /// A Job owned by the stored CronJob (seeded as if created earlier).
    func seedJob(_ client: FakeAPIClient, _ name: String, outcome: CronJobChild.Outcome? = nil, start: String) async throws {
        let uid = stored(client).uid
        var job = CronFixture.job(name, outcome: outcome, start: start, owner: uid).object
        job.setValue(nil, at: ["metadata", "uid"])
        _ = try await client.create(jobs, namespace: "default", object: job)
    }

    @Test func dueSlotCreatesItsJobRecordsItAndWaitsForTheNext() async throws {
        let (client, _, process) = try await cluster(CronFixture.cronJob(lastSchedule: "2016-05-19T09:00:00Z"), now: "2016-05-19T10:00:05Z")
        defer { process.stop() }
        let result = try await process.controller.reconcile(Self.key)
        let name = CronFixture.name("2016-05-19T10:00:00Z")
        #expect(try await jobNames(client) == [name])
        let job = try #require(client.object(jobs, namespace: "default", name: name))
        #expect(OwnerReference.controller(of: job)?.uid == stored(client).uid)
        #expect(stored(client).status.active.map(\.name) == [name])
        #expect(stored(client).status.lastScheduleTime == CronFixture.date("2016-05-19T10:00:00Z"))
        // 11:00 + 0.1 s − 10:00:05.
        #expect(abs((result.requeueAfter ?? 0) - 3595.1) < 0.001)
        #expect(try await events(client, process) == ["SuccessfulCreate Created job \(name)"])
    }

    @Test func syncingAgainBeforeTheCacheCatchesUpNeverRunsTheSlotTwice() async throws {
        let (client, _, process) = try await cluster(CronFixture.cronJob(lastSchedule: "2016-05-19T09:00:00Z"), now: "2016-05-19T10:00:05Z")
        defer { process.stop() }
        _ = try await process.controller.reconcile(Self.key)
        // Whatever the caches show now, further syncs converge without a second Job.
        for _ in 0..<3 { _ = try? await process.controller.reconcile(Self.key) }
        let informer = process.factory.informer(cronJobs)
        #expect(await eventually(within: 5) {
            self.stored(client).status.active.count == 1
                && informer.get(Self.key)?.value(at: ["metadata", "resourceVersion"]) == client.object(cronJobs, namespace: "default", name: "cj")?.value(at: ["metadata", "resourceVersion"])
        })
        _ = try await process.controller.reconcile(Self.key)
        #expect(try await jobNames(client) == [CronFixture.name("2016-05-19T10:00:00Z")])
        #expect(stored(client).status.active.count == 1)
    }

    @Test func restartAfterTheCreateButBeforeTheStatusWriteDoesNotRunTheSlotAgain() async throws {
        let (client, clock, first) = try await cluster(CronFixture.cronJob(lastSchedule: "2016-05-19T09:00:00Z"), now: "2016-05-19T10:00:05Z")
        client.failNext("updateStatus", with: StatusError.internalError("the controller died here"))
        await #expect(throws: StatusError.self) { try await first.controller.reconcile(Self.key) }
        await first.recorder.flush()
        first.stop()
        let name = CronFixture.name("2016-05-19T10:00:00Z")
        #expect(try await jobNames(client) == [name])
        #expect(stored(client).status.active.isEmpty)

        // A new controller process over the same API state, a few seconds later.
        clock.advance(by: 5)
        let second = Process(client, clock)
        await second.start()
        defer { second.stop() }
        _ = try await second.controller.reconcile(Self.key)
        #expect(try await jobNames(client) == [name])
        #expect(stored(client).status.active.map(\.name) == [name])
        #expect(stored(client).status.lastScheduleTime == CronFixture.date("2016-05-19T10:00:00Z"))
        // The create was attempted again and answered AlreadyExists; only the first made an event.
        #expect(client.calls.filter { $0.verb == "create" && $0.resource == jobs.storageName }.count == 2)
        let recorded = try await events(client, second)
        #expect(recorded.filter { $0.hasPrefix("SuccessfulCreate") } == ["SuccessfulCreate Created job \(name)"])
        #expect(recorded.contains("UnexpectedJob Saw a job that the controller did not create or forgot: \(name)"))
    }

    @Test func restartAfterTheStatusWriteMakesNoCreateAtAll() async throws {
        let (client, clock, first) = try await cluster(CronFixture.cronJob(lastSchedule: "2016-05-19T09:00:00Z"), now: "2016-05-19T10:00:05Z")
        _ = try await first.controller.reconcile(Self.key)
        first.stop()
        clock.advance(by: 30)
        let second = Process(client, clock)
        await second.start()
        defer { second.stop() }
        let creates = client.calls.filter { $0.verb == "create" && $0.resource == jobs.storageName }.count
        let result = try await second.controller.reconcile(Self.key)
        #expect(client.calls.filter { $0.verb == "create" && $0.resource == jobs.storageName }.count == creates)
        #expect(abs((result.requeueAfter ?? 0) - 3565.1) < 0.001)
    }

    @Test func finishedJobsBeyondTheHistoryLimitAreDeletedInTheBackground() async throws {
        let (client, _, process) = try await cluster(CronFixture.cronJob(lastSchedule: "2016-05-19T09:00:00Z"), now: "2016-05-19T09:30:00Z")
        defer { process.stop() }
        for hour in 1...3 { try await seedJob(client, "cj-f\(hour)", outcome: .failed, start: "2016-05-19T0\(hour):00:00Z") }
        #expect(await eventually(within: 5) { process.factory.informer(jobs).list().count == 3 })
        _ = try await process.controller.reconcile(Self.key)
        #expect(try await jobNames(client) == ["cj-f3"])
        let deletes = client.calls.filter { $0.verb == "delete" }
        #expect(deletes.map(\.name) == ["cj-f1", "cj-f2"])
        #expect(deletes.allSatisfy { $0.body?["propagationPolicy"] == "Background" })
        #expect(try await events(client, process) == ["SuccessfulDelete Deleted job cj-f1", "SuccessfulDelete Deleted job cj-f2"])
    }

    @Test func replaceDeletesTheRunningJobThenStartsTheNewOne() async throws {
        let (client, _, process) = try await cluster(CronFixture.cronJob(policy: "Replace", lastSchedule: "2016-05-19T09:00:00Z"),
                                                     now: "2016-05-19T10:00:05Z")
        defer { process.stop() }
        try await seedJob(client, "cj-old", start: "2016-05-19T09:00:01Z")
        let old = try #require(client.object(jobs, namespace: "default", name: "cj-old"))
        var cronJob = stored(client)
        cronJob = CronJobView(cronJob.withStatus(CronJobView.Status(active: [CronJobChild(old).activeReference],
                                                                    lastScheduleTime: CronFixture.date("2016-05-19T09:00:00Z"))))
        _ = try await client.updateStatus(cronJobs, namespace: "default", object: cronJob.object)
        #expect(await eventually(within: 5) {
            process.factory.informer(jobs).list().count == 1
                && CronJobView(process.factory.informer(cronJobs).get(Self.key) ?? .null).status.active.count == 1
        })
        _ = try await process.controller.reconcile(Self.key)
        let name = CronFixture.name("2016-05-19T10:00:00Z")
        #expect(try await jobNames(client) == [name])
        #expect(stored(client).status.active.map(\.name) == [name])
    }

    @Test func activeJobGoneFromTheAPIIsDroppedWithAnEvent() async throws {
        let ghost = CronFixture.job("cj-ghost")
        let (client, _, process) = try await cluster(CronFixture.cronJob(lastSchedule: "2016-05-19T09:00:00Z", active: [ghost]),
                                                     now: "2016-05-19T09:30:00Z")
        defer { process.stop() }
        _ = try await process.controller.reconcile(Self.key)
        #expect(stored(client).status.active.isEmpty)
        #expect(try await events(client, process) == ["MissingJob Active job went missing: cj-ghost"])
    }

    @Test func deletedCronJobIsDone() async throws {
        let (_, _, process) = try await cluster(CronFixture.cronJob(), now: "2016-05-19T09:30:00Z")
        defer { process.stop() }
        #expect(try await process.controller.reconcile("default/other") == .done)
    }
}
