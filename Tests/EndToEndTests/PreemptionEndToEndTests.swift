import Client
import Foundation
import Model
import Testing
import TestSupport

/// Priority and preemption on `drover up` with its real agent: a high-priority Job takes the room
/// of a running low-priority one, whose preempted pod is replaced (its podFailurePolicy ignores
/// DisruptionTarget) and which then finishes too.
@Suite(.serialized) struct PreemptionEndToEndTests {
    @Test func aHighPriorityJobPreemptsALowPriorityOneWhichFinishesLater() async throws {
        try await JobEndToEndTests.withUp { up, client in
            let classes = ResourceCatalog.priorityClasses
            for (name, value) in [("low", 10), ("high", 1000)] {
                _ = try await client.create(classes, namespace: nil, object: [
                    "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": .string(name)], "value": .int(Int64(value))])
            }
            // Half the node's CPU per pod: two low pods fill it.
            let node = try #require(try await eventually { try await client.list(ResourceCatalog.nodes, namespace: nil).items.first })
            let millis = try Quantity(json: node.value(at: ["status", "allocatable", "cpu"]) ?? "2").milliValue
            let half = "\(millis / 2)m"
            _ = try await JobEndToEndTests.create(client, """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"low"},
             "spec":{"parallelism":2,"completions":2,"backoffLimit":0,
                "podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]},
                "template":{"spec":{"restartPolicy":"Never","priorityClassName":"low",
                "containers":[{"name":"main","image":"busybox","command":["sleep","4"],"resources":{"requests":{"cpu":"\(half)"}}}]}}}}
            """)
            let running = try await eventually(within: 60) { () async throws -> Bool in
                try await JobEndToEndTests.jobPods(client, "low").filter { $0.value(at: ["status", "phase"])?.string == "Running" }.count == 2
            }
            #expect(running, "the low-priority pods did not start:\n\(up.logText)")
            _ = try await JobEndToEndTests.create(client, """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"high"},
             "spec":{"template":{"spec":{"restartPolicy":"Never","priorityClassName":"high",
                "containers":[{"name":"main","image":"busybox","command":["true"],"resources":{"requests":{"cpu":"\(half)"}}}]}}}}
            """)
            let high = try await JobEndToEndTests.waitForCondition(client, "high", "Complete", within: 60)
            #expect(high != nil, "the high-priority Job did not complete:\n\(up.logText)")
            let preempted = try await client.list(ResourceCatalog.events, namespace: "default").items.filter { $0["reason"] == "Preempted" }
            #expect(preempted.count == 1, "\(preempted)")
            #expect(preempted.first?["message"]?.string?.hasPrefix("Preempted by pod ") == true)
            let low = try await JobEndToEndTests.waitForCondition(client, "low", "Complete", within: 90)
            let finished = try #require(low, "the low-priority Job did not finish:\n\(up.logText)")
            #expect(finished.value(at: ["status", "succeeded"])?.int == 2)
            #expect(JobEndToEndTests.condition(finished, "Failed") == nil)
        }
    }
}
