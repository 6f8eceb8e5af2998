import Client
import Foundation
import Model
import Testing
import TestSupport

/// Cohorts and backfill on one real `drover up` without an agent, on a hollow node whose pods take
/// the time their Job says (`drover.dev/sim-run-seconds`): two tenants of a fair cohort end with
/// equal parts however early one floods its queue; without fair sharing a tenant still reclaims
/// its nominal quota from a borrower; a backfilled short Job runs while a big one waits, and the
/// big one starts by its reserved time. The visibility API answers `kubectl get --raw` and
/// `drover queue`.
@Suite(.serialized) struct QueueSharingEndToEndTests {
    static let jobs = ResourceCatalog.jobs

    /// `drover sim nodes` against `up`: one big hollow node, stopped with the test.
    final class HollowNode: @unchecked Sendable {
        let process = Process()
        init(_ up: DroverUp) throws {
            process.executableURL = URL(fileURLWithPath: DroverBinary.path)
            process.arguments = ["sim", "nodes", "--count", "1", "--cpu", "64", "--memory", "256Gi", "--prefix", "hollow-"]
            process.environment = ProcessInfo.processInfo.environment.merging(["DROVER_CONFIG": up.configPath]) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        func stop() {
            guard process.isRunning else { return }
            process.interrupt()
            process.waitUntilExit()
        }
    }

    static func clusterQueue(_ name: String, cpu: Int, cohort: String? = nil, fair: Bool = false, strategy: String = "BestEffortFIFO",
                             reclaim: String = "Never") -> String {
        """
        apiVersion: kueue.x-k8s.io/v1beta1
        kind: ClusterQueue
        metadata:
          name: \(name)
        spec:
          namespaceSelector: {}
          queueingStrategy: \(strategy)
        \(cohort.map { "  cohort: \($0)\n" } ?? "")\(fair ? "  fairSharing:\n    weight: 1\n" : "")  preemption:
            reclaimWithinCohort: \(reclaim)
          resourceGroups:
          - coveredResources: ["cpu"]
            flavors:
            - name: default-flavor
              resources:
              - name: cpu
                nominalQuota: \(cpu)
        ---
        apiVersion: kueue.x-k8s.io/v1beta1
        kind: LocalQueue
        metadata:
          namespace: default
          name: \(name)
        spec:
          clusterQueue: \(name)
        ---

        """
    }

    /// Applies the flavor and queues, and starts the hollow node.
    static func setUp(_ up: DroverUp, queues: String) throws -> HollowNode {
        let file = "\(up.dataDir)/queues.yaml"
        let flavor = "apiVersion: kueue.x-k8s.io/v1beta1\nkind: ResourceFlavor\nmetadata:\n  name: default-flavor\n---\n"
        try (flavor + queues).write(toFile: file, atomically: true, encoding: .utf8)
        let applied = try up.cli(["apply", "-f", file])
        #expect(applied.status == 0, "\(applied.output)")
        return try HollowNode(up)
    }

    /// Submits a queued Job with `drover submit -f --queue`; its pods take `run` seconds (the
    /// annotation is in the manifest from the start: a template may change only while suspended).
    static func submit(_ up: DroverUp, _ name: String, queue: String, cpu: String = "1", run: Double = 600,
                       deadline: Int? = nil) throws {
        var arguments = ["submit", name, "--cpu", cpu, "--backoff-limit", "0", "--dry-run", "-o", "json"]
        if let deadline { arguments += ["--deadline", "\(deadline)s"] }
        let manifest = try up.cli(arguments + ["--", "true"])
        #expect(manifest.status == 0, "\(manifest.output)")
        var job = try JSONValue.parse(Array(manifest.output.utf8))
        job.setValue(.string(String(run)), at: ["spec", "template", "metadata", "annotations", "drover.dev/sim-run-seconds"])
        let file = "\(up.dataDir)/\(name).json"
        try String(decoding: job.serialized(), as: UTF8.self).write(toFile: file, atomically: true, encoding: .utf8)
        let result = try up.cli(["submit", "-f", file, "--queue", queue])
        #expect(result.status == 0, "\(result.output)")
    }

    static func running(_ client: HTTPAPIClient, _ names: [String]) async throws -> [String] {
        var out: [String] = []
        for name in names where !JobView(try await client.get(jobs, namespace: "default", name: name)).suspend { out.append(name) }
        return out
    }

    static let tenants = (1...4).map { "a\($0)" } + (1...4).map { "b\($0)" }

    /// a floods its queue first (four 1-cpu Jobs take the whole 4-cpu cohort), then b submits four.
    static func flood(fair: Bool) async throws -> (counts: (a: Int, b: Int), up: DroverUp, node: HollowNode, client: HTTPAPIClient) {
        let up = try DroverUp(arguments: ["--no-agent"])
        let queues = clusterQueue("tenant-a", cpu: 1, cohort: "lab", fair: fair, reclaim: "Any")
            + clusterQueue("tenant-b", cpu: 1, cohort: "lab", fair: fair, reclaim: "Any")
            + clusterQueue("pool", cpu: 2, cohort: "lab", fair: fair)
        let node = try setUp(up, queues: queues)
        let client = try HTTPAPIClient(server: up.server, token: up.token)
        for i in 1...4 { try submit(up, "a\(i)", queue: "tenant-a") }
        let aRuns = try await eventually(within: 60) { try await running(client, (1...4).map { "a\($0)" }).count == 4 }
        #expect(aRuns, "a's four Jobs take the idle cohort: \(up.logText)")
        for i in 1...4 { try submit(up, "b\(i)", queue: "tenant-b") }
        let expected = fair ? (a: 2, b: 2) : (a: 3, b: 1)
        var counts = (a: 0, b: 0)
        _ = try await eventually(within: 90) { () async throws -> Bool in
            let now = try await running(client, tenants)
            counts = (now.filter { $0.hasPrefix("a") }.count, now.filter { $0.hasPrefix("b") }.count)
            return counts == expected
        }
        return (counts, up, node, client)
    }

    @Test func twoTenantsOfAFairCohortShareTheSpareQuotaEvenlyHoweverEarlyOneFloods() async throws {
        try await offCooperativePool {
            let (counts, up, node, client) = try await Self.flood(fair: true)
            defer { node.stop(); up.stop(); up.removeData() }
            #expect(counts == (2, 2), "\(up.logText)")
            // The preempted Jobs of a are suspended and requeued, not failed.
            let evicted = try await Self.running(client, Self.tenants)
            let suspended = Self.tenants.filter { $0.hasPrefix("a") && !evicted.contains($0) }
            for name in suspended {
                let workload = try await client.list(ResourceCatalog.workloads, namespace: "default").items.map(WorkloadView.init)
                    .first { $0.ownerJob?.name == name }
                #expect(workload?.condition(Kueue.Condition.evicted)?.message.contains("due to Fair Sharing within the cohort") == true)
                #expect(JobView(try await client.get(Self.jobs, namespace: "default", name: name)).condition(JobCondition.failed) == nil)
            }
            let shared = try await eventually(within: 30) { () async throws -> Bool in
                let queue = try await client.get(ResourceCatalog.clusterQueues, namespace: nil, name: "tenant-a")
                return queue.value(at: ["status", "fairSharing", "weightedShare"]) == 250
            }
            #expect(shared, "tenant-a borrows 1 of the 4 lendable cpu: weightedShare 250")

            // Where the waiting ones are: the visibility API, through kubectl and drover queue.
            let path = "/apis/visibility.kueue.x-k8s.io/v1beta1/namespaces/default/localqueues/tenant-b/pendingworkloads"
            if let kubectl = KubectlTests.kubectl == nil ? nil : try KubectlTests.session(for: up) {
                let raw = try kubectl(["get", "--raw", path])
                #expect(raw.status == 0, "\(raw.output)")
                let summary = try JSONValue.parse(Array(raw.output.utf8))
                #expect(summary["kind"] == "PendingWorkloadsSummary")
                #expect(summary["items"]?.array?.map { $0["positionInLocalQueue"]?.int ?? -1 } == [0, 1])
                let resources = try kubectl(["api-resources", "--api-group", "visibility.kueue.x-k8s.io"])
                #expect(resources.output.contains("clusterqueues"), "\(resources.output)")
            }
            let queue = try up.cli(["queue", "tenant-b"])
            #expect(queue.status == 0, "\(queue.output)")
            #expect(queue.output.contains("LocalQueue default/tenant-b: 2 pending"), "\(queue.output)")
            #expect(queue.output.contains("1          job/b3"), "\(queue.output)")
            let summary = try up.cli(["queue"])
            #expect(summary.output.range(of: "tenant-a +lab +BestEffortFIFO +cpu 2/1 \\(\\+1 borrowed\\) +2 +2 +250",
                                         options: .regularExpression) != nil, "\(summary.output)")
        }
    }

    @Test func withoutFairSharingATenantReclaimsItsNominalQuotaFromTheBorrower() async throws {
        try await offCooperativePool {
            let (counts, up, node, client) = try await Self.flood(fair: false)
            defer { node.stop(); up.stop(); up.removeData() }
            #expect(counts == (3, 1), "b gets back its nominal 1 cpu and no more: \(up.logText)")
            let messages = try await client.list(ResourceCatalog.workloads, namespace: "default").items.map(WorkloadView.init)
                .compactMap { $0.condition(Kueue.Condition.evicted)?.message }
            #expect(messages.contains { $0.contains("due to reclamation within the cohort") }, "\(messages)")
        }
    }

    @Test func aBackfilledShortJobRunsWhileABigOneWaitsAndTheBigOneStartsOnTime() async throws {
        try await offCooperativePool {
            let up = try DroverUp(arguments: ["--no-agent"])
            let node = try Self.setUp(up, queues: Self.clusterQueue("batch", cpu: 3, strategy: "Backfill"))
            defer { node.stop(); up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            // long holds 2 of 3 cpu for 15 s (bounded to 60 s): big (3 cpu) must wait for it.
            try Self.submit(up, "long", queue: "batch", cpu: "2", run: 15, deadline: 60)
            let longRuns = try await eventually(within: 60) { try await Self.running(client, ["long"]) == ["long"] }
            #expect(longRuns, "\(up.logText)")
            try Self.submit(up, "big", queue: "batch", cpu: "3", run: 2, deadline: 60)
            _ = try await eventually(within: 30) { () async throws -> Bool in
                let big = JobView(try await client.get(Self.jobs, namespace: "default", name: "big"))
                return big.condition(Kueue.Condition.quotaReserved)?.message.contains("reserved to start by") == true
            }
            // slow would still run at big's reserved start; short is done well before it.
            try Self.submit(up, "slow", queue: "batch", cpu: "1", run: 2, deadline: 300)
            try Self.submit(up, "short", queue: "batch", cpu: "1", run: 1, deadline: 10)

            let shortDone = try await eventually(within: 60) { () async throws -> JobView? in
                let job = JobView(try await client.get(Self.jobs, namespace: "default", name: "short"))
                return job.isFinished ? job : nil
            }
            let short = try #require(shortDone, "\(up.logText)")
            let bigWhileShort = JobView(try await client.get(Self.jobs, namespace: "default", name: "big"))
            #expect(bigWhileShort.suspend, "big still waits for long")
            let message = bigWhileShort.condition(Kueue.Condition.quotaReserved)?.message ?? ""
            let reserved = try #require(message.components(separatedBy: "reserved to start by ").last.flatMap(Timestamp.parse), "\(message)")
            #expect(JobView(try await client.get(Self.jobs, namespace: "default", name: "slow")).suspend, "slow would delay big")

            let bigStarted = try await eventually(within: 90) { () async throws -> JobView? in
                let job = JobView(try await client.get(Self.jobs, namespace: "default", name: "big"))
                return job.status.startTime == nil ? nil : job
            }
            let big = try #require(bigStarted, "\(up.logText)")
            let long = JobView(try await client.get(Self.jobs, namespace: "default", name: "long"))
            let start = try #require(big.status.startTime)
            #expect(start >= (long.status.completionTime ?? .distantFuture), "big waited for long")
            #expect(start <= reserved.addingTimeInterval(1), "big started \(start), reserved by \(reserved)")
            #expect((short.status.completionTime ?? .distantFuture) <= start, "short was done before big started")
        }
    }
}
