import Client
import Foundation
import Model
import Testing
import TestSupport

/// Kueue's API on one real `drover up`: Kueue's own sample manifests apply unchanged, and a
/// ClusterQueue of 2 cpu admits two 1-cpu Jobs, holds the third suspended with its position until
/// one finishes, then runs it — real processes on the local agent.
@Suite(.serialized) struct QueueEndToEndTests {
    static let jobs = ResourceCatalog.jobs

    /// Kueue's config/samples/single-clusterqueue-setup.yaml, unchanged.
    static let kueueSample = """
    apiVersion: kueue.x-k8s.io/v1beta1
    kind: ResourceFlavor
    metadata:
      name: "default-flavor"
    ---
    apiVersion: kueue.x-k8s.io/v1beta1
    kind: ClusterQueue
    metadata:
      name: "cluster-queue"
    spec:
      namespaceSelector: {} # match all.
      resourceGroups:
      - coveredResources: ["cpu", "memory"]
        flavors:
        - name: "default-flavor"
          resources:
          - name: "cpu"
            nominalQuota: 9
          - name: "memory"
            nominalQuota: 36Gi
    ---
    apiVersion: kueue.x-k8s.io/v1beta1
    kind: LocalQueue
    metadata:
      namespace: "default"
      name: "user-queue"
    spec:
      clusterQueue: "cluster-queue"
    """

    /// ClusterQueue research (2 cpu, BestEffortFIFO) and its LocalQueue research.
    static let research = QueueSharingEndToEndTests.clusterQueue("research", cpu: 2)

    /// A queued Job of one 1-cpu pod running `script`.
    static func job(_ name: String, _ script: String) -> JSONValue {
        ["apiVersion": "batch/v1", "kind": "Job",
         "metadata": ["name": .string(name), "labels": [Kueue.queueNameLabel: "research"]],
         "spec": ["backoffLimit": 0, "template": ["spec": ["restartPolicy": "Never", "containers": [[
             "name": "main", "image": "busybox", "command": ["sh", "-c", .string(script)],
             "resources": ["requests": ["cpu": "1"]]]]]]]]
    }

    static func job(_ client: HTTPAPIClient, _ name: String) async throws -> JobView {
        JobView(try await client.get(jobs, namespace: "default", name: name))
    }

    @Test func aTwoCPUQueueRunsTwoJobsAndHoldsTheThirdWithItsPositionUntilOneFinishes() async throws {
        try await offCooperativePool {
            let up = try DroverUp()
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            let sample = "\(up.dataDir)/kueue-sample.yaml", queues = "\(up.dataDir)/research.yaml"
            try Self.kueueSample.write(toFile: sample, atomically: true, encoding: .utf8)
            try Self.research.write(toFile: queues, atomically: true, encoding: .utf8)
            let kubectl = KubectlTests.kubectl == nil ? nil : try KubectlTests.session(for: up)
            for file in [sample, queues] {
                let applied = try kubectl?(["apply", "-f", file]) ?? up.cli(["apply", "-f", file])
                #expect(applied.status == 0, "\(applied.output)")
            }

            let release = "\(up.dataDir)/release-first"
            _ = try await client.create(Self.jobs, namespace: "default",
                                        object: Self.job("first", "while [ ! -e \(release) ]; do sleep 0.2; done"))
            _ = try await client.create(Self.jobs, namespace: "default", object: Self.job("second", "sleep 600"))
            _ = try await client.create(Self.jobs, namespace: "default", object: Self.job("third", "true"))

            // Two run; the third waits suspended and says where.
            let expected = "waiting for quota in ClusterQueue research: position 1 of 1; needs 1 cpu, 0 cpu free of 2 nominal"
            let waiting = try await eventually(within: 90) { () async throws -> Bool in
                let first = try await Self.job(client, "first"), second = try await Self.job(client, "second")
                let third = try await Self.job(client, "third")
                return !first.suspend && !second.suspend && third.suspend
                    && third.condition(Kueue.Condition.quotaReserved)?.message == expected
            }
            #expect(waiting, "\(up.logText)")
            let counted = try await eventually(within: 60) { () async throws -> Bool in
                let queue = try await client.get(ResourceCatalog.clusterQueues, namespace: nil, name: "research")
                return queue.value(at: ["status", "pendingWorkloads"]) == 1 && queue.value(at: ["status", "admittedWorkloads"]) == 2
            }
            #expect(counted, "ClusterQueue status counts 1 pending and 2 admitted")
            if let kubectl {
                let table = try kubectl(["get", "clusterqueues"])
                #expect(table.status == 0, "\(table.output)")
                #expect(table.output.contains("PENDING WORKLOADS"), "\(table.output)")
                #expect(table.output.range(of: "research +1\\n", options: .regularExpression) != nil, "\(table.output)")
                let workloads = try kubectl(["get", "workloads"])
                #expect(workloads.output.contains("RESERVED IN"), "\(workloads.output)")
            }

            // The first finishes: its quota goes to the third, which runs to completion.
            _ = FileManager.default.createFile(atPath: release, contents: Data())
            let third = try await eventually(within: 120) { () async throws -> JobView? in
                let job = try await Self.job(client, "third")
                return job.isFinished ? job : nil
            }
            let done = try #require(third, "\(up.logText)")
            #expect(done.condition(JobCondition.complete)?.isTrue == true)
            let first = try await Self.job(client, "first")
            let firstDone = try #require(first.status.completionTime), thirdStart = try #require(done.status.startTime)
            #expect(thirdStart >= firstDone, "third started \(thirdStart), first completed \(firstDone)")
            #expect(try await Self.job(client, "second").suspend == false)
        }
    }
}
