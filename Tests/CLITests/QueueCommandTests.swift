@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

/// `drover queue` and `drover submit --queue`.
@Suite struct QueueCommandTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_600)

    static func seeded() throws -> FakeAPIClient {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.clusterQueues, [
            "metadata": ["name": "research"],
            "spec": ["cohort": "lab", "queueingStrategy": "BestEffortFIFO", "fairSharing": ["weight": "1"],
                     "resourceGroups": [["coveredResources": ["cpu"], "flavors": [["name": "default", "resources": [["name": "cpu", "nominalQuota": "8"]]]]]]],
            "status": ["pendingWorkloads": 2, "admittedWorkloads": 3, "fairSharing": ["weightedShare": 250],
                       "flavorsUsage": [["name": "default", "resources": [["name": "cpu", "total": "10", "borrowed": "2"]]]]],
        ])
        try client.seed(ResourceCatalog.localQueues, ["metadata": ["name": "team", "namespace": "default"], "spec": ["clusterQueue": "research"],
                                                      "status": ["pendingWorkloads": 2, "admittedWorkloads": 3]])
        for (name, cpu, message) in [("train", "8", "waiting for quota in ClusterQueue research: position 1 of 2; needs 8 cpu, 0 cpu free of 8 nominal"),
                                     ("eval", "1", "waiting for quota in ClusterQueue research: position 2 of 2; needs 1 cpu, 0 cpu free of 8 nominal")] {
            try client.seed(ResourceCatalog.workloads, [
                "metadata": ["name": .string("job-\(name)-abcde"), "namespace": "default", "creationTimestamp": "2023-11-14T22:13:20Z",
                             "ownerReferences": [["apiVersion": "batch/v1", "kind": "Job", "name": .string(name), "uid": "u", "controller": true]]],
                "spec": ["queueName": "team", "priority": 0,
                         "podSets": [["name": "main", "count": 1, "template": ["spec": ["containers": [["name": "c", "resources": ["requests": ["cpu": .string(cpu)]]]]]]]]],
                "status": ["conditions": [["type": "QuotaReserved", "status": "False", "reason": "Pending", "message": .string(message)]]],
            ])
        }
        client.setRawHandler { request in
            guard request.path.hasSuffix("/pendingworkloads") else { return nil }
            let items: JSONValue = [
                ["metadata": ["name": "job-train-abcde", "namespace": "default", "creationTimestamp": "2023-11-14T22:13:20Z"],
                 "priority": 0, "localQueueName": "team", "positionInClusterQueue": 0, "positionInLocalQueue": 0],
                ["metadata": ["name": "job-eval-abcde", "namespace": "default", "creationTimestamp": "2023-11-14T22:13:20Z"],
                 "priority": 0, "localQueueName": "team", "positionInClusterQueue": 1, "positionInLocalQueue": 1],
            ]
            return RawResponse(status: 200, json: ["kind": "PendingWorkloadsSummary", "items": items])
        }
        return client
    }

    @Test func withoutANameItListsTheQueuesWithUsageAndCounts() async throws {
        let result = await runCLI(["queue"], client: try Self.seeded(), now: Self.now)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == """
        CLUSTERQUEUE   COHORT   STRATEGY         USAGE                    PENDING   ADMITTED   SHARE
        research       lab      BestEffortFIFO   cpu 10/8 (+2 borrowed)   2         3          250

        LOCALQUEUE   CLUSTERQUEUE   PENDING   ADMITTED
        team         research       2         3

        """, "\(result.out)")
    }

    @Test func aQueuesPendingJobsComeWithPositionsRequestsAndWhy() async throws {
        let client = try Self.seeded()
        let local = await runCLI(["queue", "team"], client: client, now: Self.now)
        #expect(local.status == 0, "\(local.err)")
        #expect(local.out == """
        LocalQueue default/team: 2 pending
        POSITION   JOB         PRIORITY   REQUESTED   WAITING   WHY
        1          job/train   0          cpu 8       10m       needs 8 cpu, 0 cpu free of 8 nominal
        2          job/eval    0          cpu 1       10m       needs 1 cpu, 0 cpu free of 8 nominal

        """, "\(local.out)")
        #expect(client.calls.contains { $0.verb == "raw" && $0.resource == "/apis/visibility.kueue.x-k8s.io/v1beta1/namespaces/default/localqueues/team/pendingworkloads" })
        let cluster = await runCLI(["queue", "cq/research"], client: client, now: Self.now)
        #expect(cluster.out.hasPrefix("ClusterQueue research: 2 pending\nPOSITION   NAMESPACE   JOB"), "\(cluster.out)")
        #expect(client.calls.contains { $0.verb == "raw" && $0.resource == "/apis/visibility.kueue.x-k8s.io/v1beta1/clusterqueues/research/pendingworkloads" })
    }

    @Test func anUnknownQueueOrAMisusedFlagIsAnError() async throws {
        let client = try Self.seeded()
        let unknown = await runCLI(["queue", "nope"], client: client)
        #expect(unknown.status == 1)
        #expect(unknown.err.contains("no LocalQueue \"nope\" in namespace \"default\" and no ClusterQueue \"nope\""), "\(unknown.err)")
        #expect(await runCLI(["queue", "team", "-A"], client: client).status == 2)
        #expect(await runCLI(["queue", "job/x"], client: client).status == 2)
    }

    @Test func submitQueueLabelsTheJob() async throws {
        let client = FakeAPIClient()
        let result = await runCLI(["submit", "train", "--queue", "team", "--cpu", "2", "--", "true"], client: client)
        #expect(result.status == 0, "\(result.err)")
        let job = try #require(client.object(ResourceCatalog.jobs, namespace: "default", name: "train"))
        #expect(job.value(at: ["metadata", "labels", Kueue.queueNameLabel]) == "team")
        #expect(await runCLI(["submit", "train", "--queue", "Not_A_Name", "--", "true"], client: client).status == 2)
    }
}
