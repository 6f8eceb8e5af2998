import Foundation
import Model
import Testing

/// Admission of kueue.x-k8s.io/v1beta1 kinds: Kueue's samples pass unchanged, bad values get
/// causes with field paths, and a Job with a queue-name label is created suspended.
@Suite struct KueueAdmissionTests {
    static func object(_ kind: String, _ body: JSONValue, namespace: String? = nil) -> JSONValue {
        var metadata: JSONValue = ["name": "q", "uid": "u-1", "creationTimestamp": "2026-01-01T00:00:00Z"]
        if let namespace { metadata["namespace"] = .string(namespace) }
        var object: JSONValue = ["apiVersion": "kueue.x-k8s.io/v1beta1", "kind": .string(kind), "metadata": metadata]
        for (key, value) in body.object?.pairs ?? [] { object[key] = value }
        return object
    }

    static func causes(_ object: JSONValue, _ resource: ResourceInfo) -> [String] {
        switch Fixture.admit(object, resource) {
        case .success: return []
        case .failure(let error): return error.causes.map { "\($0.field): \($0.message)" }
        }
    }

    /// Kueue's config/samples/single-clusterqueue-setup.yaml, as JSON.
    static let sampleClusterQueue = Fixture.parse("""
    {"spec":{"namespaceSelector":{},"resourceGroups":[{"coveredResources":["cpu","memory"],
      "flavors":[{"name":"default-flavor","resources":[{"name":"cpu","nominalQuota":9},{"name":"memory","nominalQuota":"36Gi"}]}]}]}}
    """)

    @Test func kueuesSamplesAreAdmittedUnchanged() throws {
        #expect(Self.causes(Self.object("ResourceFlavor", [:]), ResourceCatalog.resourceFlavors) == [])
        #expect(Self.causes(Self.object("ClusterQueue", Self.sampleClusterQueue), ResourceCatalog.clusterQueues) == [])
        #expect(Self.causes(Self.object("LocalQueue", ["spec": ["clusterQueue": "cluster-queue"]], namespace: "default"),
                            ResourceCatalog.localQueues) == [])
        #expect(Self.causes(Self.object("WorkloadPriorityClass", ["value": 10000, "description": "Sample priority"]),
                            ResourceCatalog.workloadPriorityClasses) == [])
        let admitted = try Fixture.admit(Self.object("ClusterQueue", Self.sampleClusterQueue), ResourceCatalog.clusterQueues).get()
        #expect(admitted.value(at: ["spec", "queueingStrategy"]) == "BestEffortFIFO")
        #expect(admitted.value(at: ["spec", "preemption", "withinClusterQueue"]) == "Never")
    }

    @Test(arguments: [
        (Fixture.parse("""
         {"spec":{"cohort":"Bad_Cohort","queueingStrategy":"LIFO","resourceGroups":[{"coveredResources":["cpu"],
          "flavors":[{"name":"f","resources":[{"name":"memory","nominalQuota":"-1"}]}]}]}}
         """), [
            "spec.cohort: Invalid value: \"Bad_Cohort\": " + "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "spec.queueingStrategy: Unsupported value: \"LIFO\": supported values: \"StrictFIFO\", \"BestEffortFIFO\", \"Backfill\"",
            "spec.resourceGroups[0].flavors[0].resources[0].name: Invalid value: \"memory\": must match the name in coveredResources (\"cpu\")",
            "spec.resourceGroups[0].flavors[0].resources[0].nominalQuota: Invalid value: \"-1\": must be greater than or equal to 0",
        ]),
        (Fixture.parse("""
         {"spec":{"resourceGroups":[{"coveredResources":["cpu"],
          "flavors":[{"name":"f","resources":[{"name":"cpu","nominalQuota":"4","borrowingLimit":"2"}]}]}]}}
         """), ["spec.resourceGroups[0].flavors[0].resources[0].borrowingLimit: Invalid value: \"2\": must be nil when cohort is empty"]),
        (Fixture.parse("""
         {"spec":{"cohort":"all","resourceGroups":[{"coveredResources":["cpu"],
          "flavors":[{"name":"f","resources":[{"name":"cpu","nominalQuota":"4","lendingLimit":"5"}]}]}],
          "preemption":{"reclaimWithinCohort":"Sometimes"}}}
         """), ["spec.resourceGroups[0].flavors[0].resources[0].lendingLimit: Invalid value: \"5\": must be less than or equal to the nominalQuota (4)",
                "spec.preemption.reclaimWithinCohort: Unsupported value: \"Sometimes\": supported values: \"Never\", \"LowerPriority\", \"Any\""]),
        (Fixture.parse("""
         {"spec":{"resourceGroups":[{"coveredResources":["cpu"],"flavors":[{"name":"f","resources":[{"name":"cpu","nominalQuota":"4"}]}]},
          {"coveredResources":["cpu"],"flavors":[{"name":"f","resources":[{"name":"cpu"}]}]}]}}
         """), ["spec.resourceGroups[1].coveredResources[0]: Duplicate value: \"cpu\"",
                "spec.resourceGroups[1].flavors[0].name: Duplicate value: \"f\"",
                "spec.resourceGroups[1].flavors[0].resources[0].nominalQuota: Required value"]),
    ] as [(JSONValue, [String])])
    func badClusterQueuesGetFieldPaths(body: JSONValue, expected: [String]) {
        #expect(Self.causes(Self.object("ClusterQueue", body), ResourceCatalog.clusterQueues) == expected)
    }

    @Test func otherKindsAreValidated() {
        #expect(Self.causes(Self.object("LocalQueue", ["spec": [:]], namespace: "default"), ResourceCatalog.localQueues)
                == ["spec.clusterQueue: Required value"])
        #expect(Self.causes(Self.object("WorkloadPriorityClass", [:]), ResourceCatalog.workloadPriorityClasses) == ["value: Required value"])
        #expect(Self.causes(Self.object("ResourceFlavor", ["spec": ["nodeTaints": [["key": "gpu"]]]]), ResourceCatalog.resourceFlavors)
                == ["spec.nodeTaints[0].effect: Required value"])
        let workload = Self.object("Workload", ["spec": ["podSets": [["name": "Main", "count": -1, "template": ["spec": ["containers": []]]]]]],
                                   namespace: "default")
        #expect(Self.causes(workload, ResourceCatalog.workloads) == [
            "spec.podSets[0].name: Invalid value: \"Main\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            "spec.podSets[0].count: Invalid value: -1: must be greater than or equal to 0",
            "spec.podSets[0].template.spec.containers: Required value: a pod template has at least one container",
        ])
    }

    @Test func aLocalQueuesClusterQueueIsImmutable() {
        let old = Self.object("LocalQueue", ["spec": ["clusterQueue": "a"]], namespace: "default")
        let new = Self.object("LocalQueue", ["spec": ["clusterQueue": "b"]], namespace: "default")
        guard case .failure(let error) = Fixture.admit(new, ResourceCatalog.localQueues, .update(old: old)) else {
            Issue.record("changing clusterQueue was admitted")
            return
        }
        #expect(error.causes.map(\.field) == ["spec.clusterQueue"])
    }

    @Test func aQueuedJobIsCreatedSuspendedAndItsSchedulingDirectivesMayChangeWhileSuspended() throws {
        var job = Fixture.job
        job.setValue("user-queue", at: ["metadata", "labels", Kueue.queueNameLabel])
        let admitted = try Fixture.admit(job, ResourceCatalog.jobs).get()
        #expect(admitted.value(at: ["spec", "suspend"]) == true)
        #expect(try Fixture.admit(Fixture.job, ResourceCatalog.jobs).get().value(at: ["spec", "suspend"]) == false)

        var started = admitted
        started.setValue(["kubernetes.io/arch": "amd64"], at: ["spec", "template", "spec", "nodeSelector"])
        started.setValue(false, at: ["spec", "suspend"])
        #expect(throws: Never.self) { try Fixture.admit(started, ResourceCatalog.jobs, .update(old: admitted)).get() }
        var running = admitted
        running.setValue(false, at: ["spec", "suspend"])
        var changed = running
        changed.setValue(["kubernetes.io/arch": "arm64"], at: ["spec", "template", "spec", "nodeSelector"])
        #expect(throws: StatusError.self) { try Fixture.admit(changed, ResourceCatalog.jobs, .update(old: running)).get() }

        var badLabel = Fixture.job
        badLabel.setValue("Not A Queue", at: ["metadata", "labels", Kueue.queueNameLabel])
        #expect(throws: StatusError.self) { try Fixture.admit(badLabel, ResourceCatalog.jobs).get() }
    }

    @Test func kubectlGetShowsKueuesColumns() {
        let renderer = TableRenderer(now: Fixture.now)
        var queue = Self.object("ClusterQueue", Self.sampleClusterQueue)
        queue["status"] = ["pendingWorkloads": 3, "admittedWorkloads": 2]
        #expect(TableRenderer.columns(for: ResourceCatalog.clusterQueues).map(\.name)
                == ["Name", "Cohort", "Strategy", "Pending Workloads", "Admitted Workloads"])
        #expect(renderer.cells(for: queue, resource: ResourceCatalog.clusterQueues) == ["q", .null, .null, 3, 2])
        var workload = Self.object("Workload", ["spec": ["queueName": "user-queue"]], namespace: "default")
        workload["status"] = ["admission": ["clusterQueue": "cluster-queue"],
                              "conditions": [["type": "Admitted", "status": "True"], ["type": "QuotaReserved", "status": "True"]]]
        #expect(TableRenderer.columns(for: ResourceCatalog.workloads).map(\.name) == ["Name", "Queue", "Reserved in", "Admitted", "Finished", "Age"])
        #expect(renderer.cells(for: workload, resource: ResourceCatalog.workloads).prefix(5) == ["q", "user-queue", "cluster-queue", "True", .null])
        #expect(TableRenderer.columns(for: ResourceCatalog.localQueues).map(\.name)
                == ["Name", "ClusterQueue", "Pending Workloads", "Admitted Workloads"])
        #expect(TableRenderer.columns(for: ResourceCatalog.resourceFlavors).map(\.name) == ["Name", "Age"])
    }

    @Test func aWorkloadsRequestIsEveryPodSetTimesItsCount() {
        let workload = WorkloadView(Self.object("Workload", ["spec": ["podSets": [
            ["name": "main", "count": 3, "template": ["spec": ["containers": [["name": "c", "resources": ["requests": ["cpu": "500m", "memory": "200Mi"]]]]]]],
        ]]], namespace: "default"))
        #expect(workload.totalRequests == ["cpu": Quantity(milliValue: 1500), "memory": Quantity(600 << 20), "pods": Quantity(3)])
    }
}
