import Client
import Foundation
import Model
import Testing
import TestSupport

/// Job dependencies on one real `drover up`: Jobs submitted with `drover submit --after` are held
/// by the API server, released by the dependency controller as their upstream Jobs finish, and run
/// by the Job controller, scheduler and agent as real processes.
@Suite(.serialized) struct JobDependencyEndToEndTests {
    static let jobs = ResourceCatalog.jobs

    static func withUp(_ body: (DroverUp, HTTPAPIClient) async throws -> Void) async throws {
        try await offCooperativePool {
            let up = try DroverUp()
            defer { up.stop(); up.removeData() }
            try await body(up, try HTTPAPIClient(server: up.server, token: up.token))
        }
    }

    static func submit(_ up: DroverUp, _ arguments: [String]) throws {
        let result = try up.cli(["submit"] + arguments)
        #expect(result.status == 0, "\(result.output)\n\(up.logText)")
    }

    static func job(_ client: HTTPAPIClient, _ name: String) async throws -> JobView {
        JobView(try await client.get(jobs, namespace: "default", name: name))
    }

    /// Waits until `name` is Complete or Failed; returns it then.
    static func finished(_ client: HTTPAPIClient, _ name: String) async throws -> JobView? {
        try await eventually(within: 120) { () async throws -> JobView? in
            let job = try await Self.job(client, name)
            return job.isFinished ? job : nil
        }
    }

    static func pods(_ client: HTTPAPIClient, of name: String) async throws -> [JSONValue] {
        try await client.list(ResourceCatalog.pods, namespace: "default",
                              options: ListOptions(labelSelector: "\(JobView.jobNameLabel)=\(name)")).items
    }

    @Test func aChainRunsInOrderAndAnUnknownJobIsRefused() async throws {
        try await Self.withUp { up, client in
            // Dependencies name existing Jobs (Slurm refuses unknown job ids too).
            let refused = try up.cli(["submit", "b", "--after", "ok:a", "--", "true"])
            #expect(refused.status != 0)
            #expect(refused.output.contains("job \"a\" does not exist in namespace \"default\""), "\(refused.output)")

            try Self.submit(up, ["a", "--", "sh", "-c", "sleep 2"])
            try Self.submit(up, ["b", "--after", "ok:a", "--", "sh", "-c", "sleep 1"])
            try Self.submit(up, ["c", "--after", "any:b", "--", "true"])

            // While A runs, B and C wait suspended and say what for.
            let held = try await Self.job(client, "c")
            #expect(held.suspend && held.isHeldByDependencies)
            let waiting = try await eventually(within: 60) { () async throws -> String? in
                let message = try await Self.job(client, "c").condition(JobDependencies.condition)?.message
                return message?.hasPrefix("waiting for afterany:b") == true ? message : nil
            }
            #expect(waiting != nil, "\(up.logText)")

            let c = try #require(try await Self.finished(client, "c"), "\(up.logText)")
            let a = try await Self.job(client, "a"), b = try await Self.job(client, "b")
            #expect(a.condition(JobCondition.complete)?.isTrue == true)
            #expect(b.condition(JobCondition.complete)?.isTrue == true)
            #expect(c.condition(JobCondition.complete)?.isTrue == true)
            // Each started only once the one before it had completed (whole-second timestamps).
            let aDone = try #require(a.status.completionTime), bStart = try #require(b.status.startTime)
            let bDone = try #require(b.status.completionTime), cStart = try #require(c.status.startTime)
            #expect(bStart >= aDone, "b started \(bStart), a completed \(aDone)")
            #expect(cStart >= bDone, "c started \(cStart), b completed \(bDone)")
            #expect(b.condition(JobDependencies.condition)?.message == "afterok:a (Complete)")
            #expect(!b.isHeldByDependencies && !b.suspend)

            let describe = try up.cli(["describe", "job", "b"])
            #expect(describe.output.range(of: "afterok:a +Complete +satisfied", options: .regularExpression) != nil, "\(describe.output)")
            #expect(describe.output.contains("Dependents:"), "\(describe.output)")
            #expect(describe.output.contains("afterany:b"), "\(describe.output)")
        }
    }

    @Test func whenTheFirstFailsTheSecondFailsAndTheThirdStillRuns() async throws {
        try await Self.withUp { up, client in
            try Self.submit(up, ["a", "--backoff-limit", "0", "--", "sh", "-c", "exit 3"])
            try Self.submit(up, ["b", "--after", "ok:a", "--", "true"])
            try Self.submit(up, ["c", "--after", "any:b", "--", "true"])

            let b = try #require(try await Self.finished(client, "b"), "\(up.logText)")
            let failed = try #require(b.condition(JobCondition.failed))
            #expect(failed.isTrue && failed.reason == JobDependencies.neverSatisfiedReason)
            #expect(failed.message == "afterok:a can never be satisfied: a failed")
            #expect(try await Self.pods(client, of: "b").isEmpty, "b never ran a pod")

            let c = try #require(try await Self.finished(client, "c"), "\(up.logText)")
            #expect(c.condition(JobCondition.complete)?.isTrue == true)
            #expect(c.condition(JobDependencies.condition)?.message == "afterany:b (Failed)")

            // `drover watch` reports the reason.
            let watch = try up.cli(["watch", "job/b"])
            #expect(watch.status == 1, "\(watch.output)")
            #expect(watch.output.contains("DependencyNeverSatisfied"), "\(watch.output)")
        }
    }
}
