@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

/// Objects for the describe tests, with fixed times so output is stable.
enum DescribeFixtures {
    static let now = RFC3339.parse("2026-12-03T13:10:00Z")!

    static func pod(_ name: String = "hello-abcde", node: String? = "node-1", jobUID: String = "uid-job") -> JSONValue {
        var spec: JSONValue = ["restartPolicy": "Never", "priority": 0, "serviceAccountName": "default",
                               "containers": [["name": "main", "image": "busybox", "command": ["sh", "-c", "exit 3"],
                                               "resources": ["requests": ["cpu": "500m", "memory": "64Mi"], "limits": ["memory": "128Mi"]]]]]
        if let node { spec["nodeName"] = .string(node) }
        return ["apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": .string(name), "namespace": "default", "creationTimestamp": "2026-12-03T13:00:00Z",
                             "labels": ["job-name": "hello"],
                             "ownerReferences": [["apiVersion": "batch/v1", "kind": "Job", "name": "hello", "uid": .string(jobUID), "controller": true]]],
                "spec": spec,
                "status": ["phase": "Failed", "hostIP": "10.0.0.1", "podIP": "10.0.0.9", "podIPs": [["ip": "10.0.0.9"]],
                           "startTime": "2026-12-03T13:00:01Z", "qosClass": "Burstable",
                           "conditions": [["type": "PodScheduled", "status": "True"], ["type": "Ready", "status": "False"]],
                           "containerStatuses": [["name": "main", "ready": false, "restartCount": 0, "image": "busybox", "imageID": "",
                                                  "state": ["terminated": ["exitCode": 3, "reason": "Error",
                                                                           "startedAt": "2026-12-03T13:00:02Z", "finishedAt": "2026-12-03T13:00:03Z"]]]]]]
    }

    static func event(_ name: String, about object: JSONValue, reason: String, message: String, at time: String,
                      type: String = "Normal", component: String = "job-controller") -> JSONValue {
        let meta = ObjectMetaView(object["metadata"])
        return ["apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name), "namespace": "default"],
                "involvedObject": ["kind": object["kind"] ?? "", "name": .string(meta.name), "namespace": "default", "uid": .string(meta.uid)],
                "reason": .string(reason), "message": .string(message), "type": .string(type), "count": 1,
                "firstTimestamp": .string(time), "lastTimestamp": .string(time), "source": ["component": .string(component)]]
    }
}

@Suite struct DescribeCommandTests {
    @Test func podShowsNodeOwnerContainerStateResourcesConditionsAndEvents() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.pods, DescribeFixtures.pod())
        let pod = try #require(client.object(ResourceCatalog.pods, namespace: "default", name: "hello-abcde"))
        try client.seed(ResourceCatalog.events,
                        DescribeFixtures.event("e1", about: pod, reason: "Scheduled", message: "Successfully assigned default/hello-abcde to node-1",
                                               at: "2026-12-03T13:00:00Z", component: "default-scheduler"),
                        // Same name, another uid: an earlier pod's event is not this pod's.
                        DescribeFixtures.event("e2", about: ["kind": "Pod", "metadata": ["name": "hello-abcde", "uid": "old"]],
                                               reason: "Killing", message: "old", at: "2026-12-03T12:00:00Z"))
        let result = await runCLI(["describe", "pod", "hello-abcde"], client: client, now: DescribeFixtures.now)
        #expect(result.status == 0, "\(result.err)")
        let expected = """
        Name:             hello-abcde
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.1
        Start Time:       Thu, 03 Dec 2026 13:00:01 +0000
        Labels:           job-name=hello
        Annotations:      <none>
        Status:           Failed
        IP:               10.0.0.9
        IPs:
          IP:           10.0.0.9
        Controlled By:  Job/hello
        Containers:
          main:
            Image:      busybox
            Image ID:   
            Port:       <none>
            Host Port:  <none>
            Command:
              sh
              -c
              exit 3
            State:          Terminated
              Reason:       Error
              Exit Code:    3
              Started:      Thu, 03 Dec 2026 13:00:02 +0000
              Finished:     Thu, 03 Dec 2026 13:00:03 +0000
            Ready:          False
            Restart Count:  0
            Limits:
              memory:  128Mi
            Requests:
              cpu:        500m
              memory:     64Mi
            Environment:  <none>
            Mounts:       <none>
        Conditions:
          Type           Status
          ----           ------
          PodScheduled   True
          Ready          False
        Volumes:         <none>
        QoS Class:       Burstable
        Node-Selectors:  <none>
        Tolerations:     <none>
        Events:
          Type    Reason     Age   From               Message
          ----    ------     ----  ----               -------
          Normal  Scheduled  10m   default-scheduler  Successfully assigned default/hello-abcde to node-1

        """
        #expect(result.out == expected)
        let eventList = try #require(client.calls.first { $0.verb == "list" && $0.resource == "events" })
        #expect(eventList.namespace == "default")
    }

    @Test func unschedulablePodShowsTheSchedulersReason() async throws {
        var pod = DescribeFixtures.pod(node: nil)
        pod["status"] = ["phase": "Pending", "conditions": [["type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                                             "message": "0/3 nodes are available: 3 Insufficient memory."]]]
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.pods, pod)
        let out = await runCLI(["describe", "pods/hello-abcde"], client: client, now: DescribeFixtures.now).out
        #expect(out.contains("Node:             <none>\n"))
        #expect(out.contains("Scheduling:      Unschedulable: 0/3 nodes are available: 3 Insufficient memory.\n"), "\(out)")
        #expect(out.contains("      Reason:  Pending\n"), "a container without a status is waiting")
    }

    @Test func jobShowsCountsTimesConditionsOwnedPodsAndEvents() async throws {
        let client = FakeAPIClient()
        var job = jobJSON("hello")
        job["spec"]?["parallelism"] = 2
        job["spec"]?["completions"] = 3
        job["spec"]?["selector"] = ["matchLabels": ["batch.kubernetes.io/controller-uid": "uid-job"]]
        job["status"] = ["startTime": "2026-12-03T13:00:00Z", "active": 1, "ready": 1, "succeeded": 1, "failed": 1,
                         "conditions": [["type": "PodsUnschedulable", "status": "True", "reason": "Unschedulable",
                                         "message": "0/1 nodes are available: 1 Insufficient cpu."]]]
        try client.seed(ResourceCatalog.jobs, job)
        let stored = try #require(client.object(ResourceCatalog.jobs, namespace: "default", name: "hello"))
        var pod = DescribeFixtures.pod()
        pod["metadata"]?["labels"] = ["batch.kubernetes.io/controller-uid": "uid-job"]
        try client.seed(ResourceCatalog.pods, pod, ObjectBuilders.pod("unrelated"))
        try client.seed(ResourceCatalog.events, DescribeFixtures.event("e1", about: stored, reason: "SuccessfulCreate",
                                                                       message: "Created pod: hello-abcde", at: "2026-12-03T13:00:00Z"))
        let result = await runCLI(["describe", "job", "hello"], client: client, now: DescribeFixtures.now)
        #expect(result.status == 0)
        let out = result.out
        for line in ["Selector:         batch.kubernetes.io/controller-uid=uid-job\n",
                     "Parallelism:      2\n", "Completions:      3\n", "Completion Mode:  NonIndexed\n",
                     "Start Time:       Thu, 03 Dec 2026 13:00:00 +0000\n", "Duration:         10m\n",
                     "Pods Statuses:    1 Active (1 Ready) / 1 Succeeded / 1 Failed\n",
                     "  PodsUnschedulable  True    Unschedulable  0/1 nodes are available: 1 Insufficient cpu.\n",
                     "  Name         Status  Node    Restarts  Exit Code  Reason\n",
                     "  hello-abcde  Failed  node-1  0         3          Error\n",
                     "  Normal  SuccessfulCreate  10m   job-controller  Created pod: hello-abcde\n"] {
            #expect(out.contains(line), "missing \(line.debugDescription) in\n\(out)")
        }
        #expect(!out.contains("unrelated"))
        #expect(!out.contains("Completed At"), "a running Job has no completion time")
    }

    @Test func nodeShowsAllocatedResourcesAsSharesOfAllocatable() async throws {
        let client = FakeAPIClient()
        let node: JSONValue = ["apiVersion": "v1", "kind": "Node",
                               "metadata": ["name": "node-1", "creationTimestamp": "2026-12-03T12:00:00Z"],
                               "status": ["capacity": ["cpu": "4", "memory": "1Gi", "pods": "110"],
                                          "allocatable": ["cpu": "4", "memory": "1Gi", "pods": "110"],
                                          "addresses": [["type": "InternalIP", "address": "10.0.0.1"]],
                                          "conditions": [["type": "Ready", "status": "True", "reason": "AgentReady", "message": "ready",
                                                          "lastHeartbeatTime": "2026-12-03T13:09:50Z", "lastTransitionTime": "2026-12-03T12:00:00Z"]]]]
        try client.seed(ResourceCatalog.nodes, node)
        var running = DescribeFixtures.pod("busy")
        running["status"]?["phase"] = "Running"
        try client.seed(ResourceCatalog.pods, running, DescribeFixtures.pod("finished"),
                        DescribeFixtures.pod("elsewhere", node: "node-2"))
        let out = await runCLI(["describe", "node", "node-1"], client: client, now: DescribeFixtures.now).out
        // Go's tabwriter aligns the pod table's first column with the lines above it, as kubectl's.
        for line in ["Non-terminated Pods:  (1 in total)\n",
                     "  Namespace           Name  CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age\n",
                     "  default             busy  500m (12%)    0 (0%)      64Mi (6%)        128Mi (12%)    ",
                     "  cpu       500m (12%)  0 (0%)\n", "  memory    64Mi (6%)   128Mi (12%)\n",
                     "  Ready  True    Thu, 03 Dec 2026 13:09:50 +0000  Thu, 03 Dec 2026 12:00:00 +0000  AgentReady  ready\n",
                     "  InternalIP:  10.0.0.1\n", "Unschedulable:      false\n"] {
            #expect(out.contains(line), "missing \(line.debugDescription) in\n\(out)")
        }
        #expect(!out.contains("finished") && !out.contains("elsewhere"))
    }

    @Test func otherKindsUseTheGenericDescriber() async throws {
        let client = FakeAPIClient()
        let budget: JSONValue = ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                                 "metadata": ["name": "web", "namespace": "default"],
                                 "spec": ["minAvailable": 2, "selector": ["matchLabels": ["app": "web"]]]]
        try client.seed(ResourceCatalog.podDisruptionBudgets, budget)
        let out = await runCLI(["describe", "pdb", "web"], client: client, now: DescribeFixtures.now).out
        for line in ["Name:         web\n", "API Version:  policy/v1\n", "Kind:         PodDisruptionBudget\n", "Spec:\n",
                     "  Min Available:  2\n", "    Match Labels:\n", "      App:  web\n", "\nEvents:     <none>\n"] {
            #expect(out.contains(line), "missing \(line.debugDescription) in\n\(out)")
        }
    }

    @Test func namePrefixSeveralNamesSelectorsAndMissingObjects() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.pods, ObjectBuilders.pod("hello-a", labels: ["app": "x"]), ObjectBuilders.pod("hello-b"),
                        ObjectBuilders.pod("other", labels: ["app": "x"]))
        let prefixed = await runCLI(["describe", "pod", "hello"], client: client)
        #expect(prefixed.out.hasPrefix("Name:"))
        #expect(prefixed.out.contains("Name:         hello-a\n") && prefixed.out.contains("\n\n\nName:         hello-b\n"))
        let selected = await runCLI(["describe", "pods", "-l", "app=x"], client: client)
        #expect(selected.out.contains("hello-a") && selected.out.contains("Name:         other") && !selected.out.contains("hello-b"))
        let both = await runCLI(["describe", "pod/other", "pod/nope"], client: client)
        #expect(both.status == 1)
        #expect(both.out.contains("Name:         other"))
        #expect(both.err == "Error from server (NotFound): pods \"nope\" not found\n")
        #expect(await runCLI(["describe"]).status == 2)
        #expect(await runCLI(["describe", "pod", "a", "-l", "x=y"]).status == 2)
    }
}

@Suite struct MoreDescribeTests {
    @Test func cronJobShowsScheduleTemplateAndItsJobs() async throws {
        let client = FakeAPIClient()
        let cronJob: JSONValue = ["apiVersion": "batch/v1", "kind": "CronJob", "metadata": ["name": "tick", "namespace": "default"],
                                  "spec": ["schedule": "*/5 * * * *", "concurrencyPolicy": "Forbid", "successfulJobsHistoryLimit": 3,
                                           "jobTemplate": ["spec": ["template": ["spec": ["containers": [["name": "main", "command": ["date"]]]]]]]],
                                  "status": ["lastScheduleTime": "2026-12-03T13:05:00Z", "active": [["name": "tick-1"]]]]
        try client.seed(ResourceCatalog.cronJobs, cronJob)
        let uid = try #require(client.object(ResourceCatalog.cronJobs, namespace: "default", name: "tick")?.value(at: ["metadata", "uid"])?.string)
        var owned = jobJSON("tick-1")
        owned["metadata"]?["ownerReferences"] = [["apiVersion": "batch/v1", "kind": "CronJob", "name": "tick", "uid": .string(uid), "controller": true]]
        try client.seed(ResourceCatalog.jobs, owned, jobJSON("stranger"))
        let out = await runCLI(["describe", "cj", "tick"], client: client, now: DescribeFixtures.now).out
        for line in ["Schedule:                      */5 * * * *\n", "Concurrency Policy:            Forbid\n",
                     "Successful Job History Limit:  3\n", "Failed Job History Limit:      <unset>\n",
                     "Last Schedule Time:  Thu, 03 Dec 2026 13:05:00 +0000\n", "Active Jobs:         tick-1\n",
                     "  tick-1  Running  0/1  ", "      date\n"] {
            #expect(out.contains(line), "missing \(line.debugDescription) in\n\(out)")
        }
        #expect(!out.contains("stranger"))
    }

    @Test func unknownKindsSuggestTheNearest() async {
        let result = await runCLI(["describe", "podz", "x"])
        #expect(result.status == 1)
        #expect(result.err.contains("doesn't have a resource type \"podz\"\n\nDid you mean this?\n\tpods\n\tpod\n"), "\(result.err)")
    }

    @Test func eventsWatchAppendsNewEvents() async throws {
        let client = FakeAPIClient()
        let pod = ObjectBuilders.pod("web")
        try client.seed(ResourceCatalog.events, DescribeFixtures.event("e1", about: pod, reason: "Scheduled", message: "assigned", at: "2026-12-03T13:00:00Z"))
        let output = CapturedOutput()
        let run = Task { await DroverCLI.run(["events", "-w"], context: output.context(client: client, now: DescribeFixtures.now)) }
        #expect(await eventually { client.calls.contains { $0.verb == "watch" } })
        _ = try await client.create(ResourceCatalog.events, namespace: "default",
                                    object: DescribeFixtures.event("e2", about: pod, reason: "Started", message: "started container main",
                                                                   at: "2026-12-03T13:09:59Z"))
        #expect(await eventually { output.out.split(separator: "\n").count >= 3 })
        client.endWatches()
        #expect(await run.value == 0)
        #expect(output.out.hasSuffix("\n1s          Normal   Started     pod/web   started container main\n"), "\(output.out)")
    }
}

@Suite struct OwnedPodsSectionTests {
    @Test func manyPodsShowTheUnfinishedFirstAndSayHowManyMore() {
        var pods = (0..<25).map { ObjectBuilders.pod(String(format: "job-%02d", $0), phase: "Succeeded") }
        pods.append(ObjectBuilders.pod("job-zz", phase: "Failed"))
        var w = DescribeWriter(now: Date())
        OwnedPodsSection.write(pods, to: &w)
        let lines = TabAligner.align(w.lines)
        #expect(lines.count == 1 + 2 + 20 + 1)
        #expect(lines[3].hasPrefix("  job-zz  Failed"))
        #expect(lines.last == "  ... and 6 more (drover get pods -l SELECTOR)")
    }
}

@Suite struct WorkloadDescribeTests {
    @Test func aDeploymentShowsItsCountsStrategyConditionsAndReplicaSets() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.deployments, [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "namespace": "default", "annotations": ["deployment.kubernetes.io/revision": "2"]],
            "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web"]],
                     "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "web", "image": "busybox"]]]]],
            "status": ["replicas": 3, "updatedReplicas": 2, "availableReplicas": 2,
                       "conditions": [["type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"]]]])
        let uid = client.object(ResourceCatalog.deployments, namespace: "default", name: "web")!.value(at: ["metadata", "uid"])!.string!
        for (name, revision, replicas) in [("web-new", "2", 2), ("web-old", "1", 1)] {
            try client.seed(ResourceCatalog.replicaSets, [
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": .string(name), "namespace": "default", "annotations": ["deployment.kubernetes.io/revision": .string(revision)],
                             "ownerReferences": [OwnerReference.controlling(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: uid).json]],
                "spec": ["replicas": .int(Int64(replicas))], "status": ["replicas": .int(Int64(replicas))]])
        }
        let result = await runCLI(["describe", "deployment", "web"], client: client)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("Replicas:               2 desired | 2 updated | 3 total | 2 available | 1 unavailable\n"), "\(result.out)")
        #expect(result.out.contains("RollingUpdateStrategy:  25% max unavailable, 25% max surge\n"), "\(result.out)")
        #expect(result.out.contains("OldReplicaSets:  web-old (1/1 replicas created)\n"), "\(result.out)")   // aligned after the table, as kubectl
        #expect(result.out.contains("NewReplicaSet:   web-new (2/2 replicas created)\n"), "\(result.out)")
        #expect(result.out.contains("Available"), "\(result.out)")

        let rs = await runCLI(["describe", "rs", "web-new"], client: client)
        #expect(rs.out.contains("Controlled By:  Deployment/web\n"), "\(rs.out)")
        #expect(rs.out.contains("Replicas:       2 current / 2 desired\n"), "\(rs.out)")
        #expect(rs.out.contains("Pods Status:    0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"), "\(rs.out)")
    }
}
