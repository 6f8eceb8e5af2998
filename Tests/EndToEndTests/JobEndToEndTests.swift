import Client
import Foundation
import Model
import Testing
import TestSupport

/// The Job controller, scheduler, garbage collector and agent of one real `drover up` running Jobs
/// of real processes to their end.
@Suite(.serialized) struct JobEndToEndTests {
    static let jobs = ResourceCatalog.jobs
    static let pods = ResourceCatalog.pods

    /// A `drover up`, an API client on it, and clean-up.
    static func withUp(_ body: (DroverUp, HTTPAPIClient) async throws -> Void) async throws {
        try await offCooperativePool {
            let up = try DroverUp()
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            try await body(up, client)
        }
    }

    static func create(_ client: HTTPAPIClient, _ json: String) async throws -> JSONValue {
        try await client.create(jobs, namespace: "default", object: try JSONValue.parse(Array(json.utf8)))
    }

    /// Waits for the Job's condition `type` to be True; returns the Job then.
    static func waitForCondition(_ client: HTTPAPIClient, _ name: String, _ type: String, within seconds: Double = 90) async throws -> JSONValue? {
        try await eventually(within: seconds) { () async throws -> JSONValue? in
            let job = try await client.get(jobs, namespace: "default", name: name)
            let conditions = job.value(at: ["status", "conditions"])?.array ?? []
            return conditions.contains { $0["type"]?.string == type && $0["status"]?.string == "True" } ? job : nil
        }
    }

    static func condition(_ job: JSONValue, _ type: String) -> JSONValue? {
        (job.value(at: ["status", "conditions"])?.array ?? []).first { $0["type"]?.string == type }
    }

    static func jobPods(_ client: HTTPAPIClient, _ name: String) async throws -> [JSONValue] {
        try await client.list(pods, namespace: "default", options: ListOptions(labelSelector: "batch.kubernetes.io/job-name=\(name)")).items
    }

    @Test func anIndexedJobRunsSixCompletionsNeverMoreThanThreeAtOnce() async throws {
        try await Self.withUp { up, client in
            // Every pod state the watch shows, to count how many ran at once.
            let running = RunningPods()
            let watch = Task {
                for try await event in client.watch(Self.pods, namespace: "default",
                                                    options: WatchOptions(labelSelector: "batch.kubernetes.io/job-name=indexed")) {
                    running.apply(event)
                }
            }
            defer { watch.cancel() }
            try await Task.sleep(nanoseconds: 200_000_000)
            _ = try await Self.create(client, """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"indexed"},
             "spec":{"completions":6,"parallelism":3,"completionMode":"Indexed",
                     "template":{"spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"busybox",
                        "command":["sh","-c","echo index=$JOB_COMPLETION_INDEX; sleep 1"]}]}}}}
            """)
            let done = try await Self.waitForCondition(client, "indexed", "Complete")
            let job = try #require(done, "the Job did not complete:\n\(up.logText)")
            #expect(job.value(at: ["status", "succeeded"])?.int == 6)
            #expect(job.value(at: ["status", "completedIndexes"])?.string == "0-5")
            #expect(job.value(at: ["status", "completionTime"]) != nil)
            #expect(running.maximum <= 3, "at most parallelism pods may run at once, saw \(running.maximum)")
            #expect(running.maximum >= 1)
            var indexes: Set<String> = []
            for pod in try await Self.jobPods(client, "indexed") {
                let name = pod.value(at: ["metadata", "name"])?.string ?? ""
                let log = try await client.raw(RawRequest(method: "GET", path: "/api/v1/namespaces/default/pods/\(name)/log"))
                indexes.insert(String(decoding: log.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            }
            #expect(indexes == Set((0..<6).map { "index=\($0)" }))
        }
    }

    @Test func aFailingJobStopsAtItsBackoffLimit() async throws {
        try await Self.withUp { up, client in
            _ = try await Self.create(client, """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"failing"},
             "spec":{"backoffLimit":1,"template":{"spec":{"restartPolicy":"Never",
                "containers":[{"name":"main","image":"busybox","command":["sh","-c","exit 3"]}]}}}}
            """)
            let failed = try await Self.waitForCondition(client, "failing", "Failed", within: 120)
            let job = try #require(failed, "the Job did not fail:\n\(up.logText)")
            #expect(Self.condition(job, "Failed")?["reason"]?.string == "BackoffLimitExceeded")
            #expect(job.value(at: ["status", "failed"])?.int == 2, "the first failure and one retry")
            #expect(job.value(at: ["status", "succeeded"])?.int ?? 0 == 0)
        }
    }

    @Test func anExitCodeInThePodFailurePolicyFailsTheJobAtOnce() async throws {
        try await Self.withUp { up, client in
            _ = try await Self.create(client, """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"policy"},
             "spec":{"backoffLimit":6,
                     "podFailurePolicy":{"rules":[{"action":"FailJob","onExitCodes":{"containerName":"main","operator":"In","values":[42]}}]},
                     "template":{"spec":{"restartPolicy":"Never",
                        "containers":[{"name":"main","image":"busybox","command":["sh","-c","exit 42"]}]}}}}
            """)
            let failed = try await Self.waitForCondition(client, "policy", "Failed", within: 60)
            let job = try #require(failed, "the Job did not fail:\n\(up.logText)")
            #expect(Self.condition(job, "Failed")?["reason"]?.string == "PodFailurePolicy")
            #expect(job.value(at: ["status", "failed"])?.int == 1, "no retry after a FailJob rule matched")
        }
    }

    @Test func aSidecarDoesNotHoldAJobOpen() async throws {
        try await Self.withUp { up, client in
            _ = try await Self.create(client, """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"sidecar"},
             "spec":{"template":{"spec":{"restartPolicy":"Never",
                "initContainers":[{"name":"proxy","image":"busybox","restartPolicy":"Always","command":["sleep","600"]}],
                "containers":[{"name":"main","image":"busybox","command":["true"]}]}}}}
            """)
            let done = try await Self.waitForCondition(client, "sidecar", "Complete", within: 60)
            let job = try #require(done, "the Job did not complete:\n\(up.logText)")
            #expect(job.value(at: ["status", "succeeded"])?.int == 1)
            let found = try await Self.jobPods(client, "sidecar")
            let pod = try #require(found.first)
            #expect(pod.value(at: ["status", "phase"])?.string == "Succeeded")
        }
    }

    @Test func aJobWhosePodsCannotBeScheduledSaysWhy() async throws {
        try await Self.withUp { up, client in
            _ = try await Self.create(client, """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"huge"},
             "spec":{"template":{"spec":{"restartPolicy":"Never",
                "containers":[{"name":"main","image":"busybox","command":["true"],"resources":{"requests":{"cpu":"4000"}}}]}}}}
            """)
            let waiting = try await Self.waitForCondition(client, "huge", "PodsUnschedulable", within: 60)
            let job = try #require(waiting, "no PodsUnschedulable condition:\n\(up.logText)")
            let message = Self.condition(job, "PodsUnschedulable")?["message"]?.string ?? ""
            #expect(message.contains("0/1 nodes are available: 1 Insufficient cpu."), "\(message)")
            #expect(Self.condition(job, "PodsUnschedulable")?["reason"]?.string == "Unschedulable")
        }
    }

    @Test(arguments: [PropagationPolicy.background, .foreground, .orphan])
    func deletingAJobTreatsItsPodsByThePropagationPolicy(_ policy: PropagationPolicy) async throws {
        try await Self.withUp { up, client in
            let name = "sleepy-\(policy.rawValue.lowercased())"
            _ = try await Self.create(client, """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"\(name)"},
             "spec":{"parallelism":2,"completions":2,"template":{"spec":{"restartPolicy":"Never","terminationGracePeriodSeconds":2,
                "containers":[{"name":"main","image":"busybox","command":["sleep","600"]}]}}}}
            """)
            let started = try await eventually(within: 60) { () async throws -> Bool in
                try await Self.jobPods(client, name).filter { $0.value(at: ["status", "phase"])?.string == "Running" }.count == 2
            }
            #expect(started, "two pods should run:\n\(up.logText)")
            _ = try await client.delete(Self.jobs, namespace: "default", name: name, options: DeleteOptions(propagationPolicy: policy))
            let jobGone = try await eventually(within: 60) { try await client.getIfPresent(Self.jobs, namespace: "default", name: name) == nil }
            #expect(jobGone, "the Job should go")
            if policy == .orphan {
                let orphans = try await Self.jobPods(client, name)
                #expect(orphans.count == 2, "orphaned pods stay")
                #expect(orphans.allSatisfy { ($0.value(at: ["metadata", "ownerReferences"])?.array ?? []).isEmpty })
                #expect(orphans.allSatisfy { $0.value(at: ["metadata", "deletionTimestamp"]) == nil })
                for pod in orphans {
                    _ = try await client.delete(Self.pods, namespace: "default", name: pod.value(at: ["metadata", "name"])?.string ?? "")
                }
            }
            let podsGone = try await eventually(within: 60) { try await Self.jobPods(client, name).isEmpty }
            #expect(podsGone, "the Job's pods should go:\n\(up.logText)")
        }
    }
}

/// The pods a watch shows running right now (phase Running), and the most at any one time.
final class RunningPods: @unchecked Sendable {
    private let lock = NSLock()
    private var running: Set<String> = []
    private var most = 0

    func apply(_ event: WatchEvent) {
        let name = event.object.value(at: ["metadata", "name"])?.string ?? ""
        let phase = event.object.value(at: ["status", "phase"])?.string
        lock.withLock {
            if event.type == .deleted || phase != "Running" { running.remove(name) } else { running.insert(name) }
            most = max(most, running.count)
        }
    }

    var maximum: Int { lock.withLock { most } }
}
