import Client
import Foundation
import Model
import Testing
import TestSupport

/// Gang scheduling on `drover up` with its real agent: a gang Job of 4 on a node with room for 3
/// waits, holding nothing of it bound, and starts all 4 together when a blocker finishes; its
/// PodGroup and kubectl see it.
@Suite(.serialized) struct GangEndToEndTests {
    /// The gang's members as the watch shows them: which are bound, which have started, and
    /// any instant that broke all-or-nothing (a member running while others were still unbound,
    /// or a bound member let go before the rest came).
    final class GangWatch: @unchecked Sendable {
        private let lock = NSLock()
        private var bound: Set<String> = []
        private var started: Set<String> = []
        private var mostBound = 0
        private(set) var violations: [String] = []

        func apply(_ event: WatchEvent, size: Int) {
            let name = event.object.value(at: ["metadata", "name"])?.string ?? ""
            let node = event.object.value(at: ["spec", "nodeName"])?.string ?? ""
            let phase = event.object.value(at: ["status", "phase"])?.string ?? "Pending"
            lock.withLock {
                if event.type == .deleted { return }
                if node.isEmpty { bound.remove(name) } else { bound.insert(name) }
                if phase != "Pending" { started.insert(name) }
                if !started.isEmpty && bound.count < size { violations.append("\(started.count) started with \(bound.count) bound") }
                if bound.count < mostBound && mostBound < size { violations.append("bound fell from \(mostBound) to \(bound.count)") }
                mostBound = max(mostBound, bound.count)
            }
        }

        var summary: (bound: Int, started: Int, violations: [String]) { lock.withLock { (bound.count, started.count, violations) } }
    }

    @Test func aGangOfFourWithRoomForThreeStartsAllFourTogetherWhenRoomAppears() async throws {
        try await JobEndToEndTests.withUp { up, client in
            let node = try #require(try await eventually { try await client.list(ResourceCatalog.nodes, namespace: nil).items.first })
            let millis = try Quantity(json: node.value(at: ["status", "allocatable", "cpu"]) ?? "2").milliValue
            let quarter = "\(millis / 4 - 10)m"
            _ = try await JobEndToEndTests.create(client, """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"blocker"},
             "spec":{"template":{"spec":{"restartPolicy":"Never",
                "containers":[{"name":"main","image":"busybox","command":["sleep","6"],"resources":{"requests":{"cpu":"\(quarter)"}}}]}}}}
            """)
            let blocking = try await eventually(within: 60) { () async throws -> Bool in
                try await JobEndToEndTests.jobPods(client, "blocker").contains { $0.value(at: ["status", "phase"])?.string == "Running" }
            }
            #expect(blocking, "the blocker did not start:\n\(up.logText)")

            let members = GangWatch()
            let watch = Task {
                for try await event in client.watch(ResourceCatalog.pods, namespace: "default",
                                                    options: WatchOptions(labelSelector: "\(PodGroupSpec.podGroupLabel)=train")) {
                    members.apply(event, size: 4)
                }
            }
            defer { watch.cancel() }
            _ = try await JobEndToEndTests.create(client, """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"train","annotations":{"drover.dev/gang":"true"}},
             "spec":{"parallelism":4,"completions":4,"template":{"spec":{"restartPolicy":"Never",
                "containers":[{"name":"main","image":"busybox","command":["sleep","1"],"resources":{"requests":{"cpu":"\(quarter)"}}}]}}}}
            """)
            // While the blocker runs, the gang says why it waits and has nothing bound.
            let waiting = try await eventually(within: 30) { () async throws -> Bool in
                try await JobEndToEndTests.jobPods(client, "train").contains {
                    ($0.value(at: ["status", "conditions"])?.array ?? []).contains {
                        $0["type"] == "PodScheduled" && $0["message"]?.string?.hasPrefix("waiting for gang: 3 of 4 pods can be placed") == true
                    }
                }
            }
            #expect(waiting, "no pod said it waits for its gang:\n\(up.logText)")
            let group = try await client.get(ResourceCatalog.podGroups, namespace: "default", name: "train")
            #expect(group.value(at: ["spec", "minMember"]) == 4)
            let done = try await JobEndToEndTests.waitForCondition(client, "train", "Complete", within: 90)
            #expect(done != nil, "the gang Job did not complete:\n\(up.logText)")
            let seen = members.summary
            #expect(seen.violations.isEmpty, "\(seen.violations)")
            #expect(seen.bound == 4 && seen.started == 4)
            let finished = try await eventually(within: 30) { () async throws -> Bool in
                try await client.get(ResourceCatalog.podGroups, namespace: "default", name: "train").value(at: ["status", "phase"]) == "Finished"
            }
            let final = try await client.get(ResourceCatalog.podGroups, namespace: "default", name: "train")
            #expect(finished, "\(final)\n\(up.logText)")
            #expect(final.value(at: ["status", "succeeded"])?.int == 4)

            if let kubectl = try? KubectlTests.session(for: up) {
                let table = try kubectl(["get", "podgroups"])
                #expect(table.output.contains("NAME") && table.output.contains("MINMEMBER") && table.output.contains("Finished"), "\(table.output)")
            }
        }
    }
}
