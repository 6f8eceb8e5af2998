@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

@Suite struct ClusterViewTests {
    @Test func eventsListOldestFirstAndFilterByObjectAndType() async throws {
        let client = FakeAPIClient()
        let pod = ObjectBuilders.pod("web")
        try client.seed(ResourceCatalog.events,
                        DescribeFixtures.event("e2", about: pod, reason: "BackOff", message: "restarting", at: "2026-12-03T13:09:00Z", type: "Warning"),
                        DescribeFixtures.event("e1", about: pod, reason: "Scheduled", message: "assigned", at: "2026-12-03T13:00:00Z"),
                        DescribeFixtures.event("e3", about: jobJSON("hello"), reason: "Completed", message: "done", at: "2026-12-03T13:05:00Z"))
        let all = await runCLI(["events"], client: client, now: DescribeFixtures.now)
        #expect(all.out == """
        LAST SEEN   TYPE      REASON      OBJECT      MESSAGE
        10m         Normal    Scheduled   pod/web     assigned
        5m          Normal    Completed   job/hello   done
        60s         Warning   BackOff     pod/web     restarting

        """)
        let forPod = await runCLI(["events", "--for", "pod/web", "--types", "warning"], client: client, now: DescribeFixtures.now)
        #expect(forPod.out.hasSuffix("60s         Warning   BackOff   pod/web   restarting\n"), "\(forPod.out)")
        #expect(!forPod.out.contains("Scheduled"))
        let request = try #require(client.calls.last { $0.verb == "list" })
        #expect(request.namespace == "default")
        #expect(await runCLI(["events", "-n", "empty"], client: client).err == "No events found in empty namespace.\n")
        #expect(await runCLI(["events", "--for", "pod"], client: client).status == 2)
    }

    @Test func configViewRedactsTheTokenAndSaysWhereItCameFrom() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("drover-config-\(UUID().uuidString)").path
        try ClientConfig(server: "http://127.0.0.1:9", token: "secret").write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let view = await runCLI(["config", "view", "--config", path])
        #expect(view.out == "config: \(path)\nserver: http://127.0.0.1:9\ntoken: REDACTED\n", "\(view.err)")
        #expect(await runCLI(["config", "view", "--config", path, "--raw"]).out.contains("token: secret\n"))
        let flags = await runCLI(["config", "view", "--server", "http://other:1"])
        #expect(flags.out == "config: command line (--server)\nserver: http://other:1\n")
        let missing = await runCLI(["config", "view", "--config", "/nonexistent/drover"])
        #expect(missing.status == 1)
        #expect(missing.err.contains("/nonexistent/drover") && missing.err.contains("drover up"))
        #expect(await runCLI(["config"]).status == 2)
    }

    @Test func topShowsMeasuredUsageFromMetricsBesideRequests() throws {
        let list: JSONValue = ["kind": "PodMetricsList", "items": [
            ["metadata": ["name": "busy", "namespace": "default"], "containers": [
                ["name": "a", "usage": ["cpu": "150000000n", "memory": "1024Ki"]],
                ["name": "b", "usage": ["cpu": "52500000n", "memory": "3072Ki"]]]]]]
        let usage = MeasuredUsage.pods(list)
        #expect(usage == ["default/busy": MeasuredUsage(nanocores: 202_500_000, memoryBytes: 4 << 20)])
        #expect(usage["default/busy"]?.cpuText == "202m")
        let rows = ResourceUsage.podRows([DescribeFixtures.pod("busy")], showNamespace: false, usage: usage)
        #expect(rows[1].prefix(2) == ["busy", "202m"] && rows[1][4] == "4Mi")
        let nodes = MeasuredUsage.nodes(["items": [["metadata": ["name": "n1"], "usage": ["cpu": "1250000000n", "memory": "2097152Ki"]]]])
        #expect(nodes["n1"] == MeasuredUsage(nanocores: 1_250_000_000, memoryBytes: 2 << 30))
    }

    @Test func topNodesComparesRequestsWithAllocatable() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.nodes, ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "node-1"],
                                                "status": ["allocatable": ["cpu": "2", "memory": "1Gi", "pods": "10"]]])
        var running = DescribeFixtures.pod("busy")
        running["status"]?["phase"] = "Running"
        try client.seed(ResourceCatalog.pods, running, DescribeFixtures.pod("done"))
        let nodes = await runCLI(["top", "nodes"], client: client)
        #expect(nodes.out == """
        NAME     CPU(usage)   MEMORY(usage)   CPU(requests)   CPU%                         MEMORY(requests)   MEMORY%                     PODS
        node-1   -            -               500m/2          [#####...............] 25%   64Mi/1Gi           [#...................] 6%   1/10

        """, "\(nodes.out)")
        let pods = await runCLI(["top", "pods", "-A"], client: client)
        #expect(pods.out == """
        NAMESPACE   NAME   CPU(usage)   CPU(requests)   CPU(limits)   MEMORY(usage)   MEMORY(requests)   MEMORY(limits)   NODE
        default     busy   -            500m            -             -               64Mi               128Mi            node-1

        """, "\(pods.out)")
        #expect(await runCLI(["top", "jobs"], client: client).status == 2)
        #expect(ResourceUsage.bar(1.5) == "[####################]!")
        #expect([ResourceUsage.memory(24_683_664 * 1024), ResourceUsage.memory(100 * 1_048_576), ResourceUsage.memory(2048), ResourceUsage.memory(1 << 30)]
                == ["23.5Gi", "100Mi", "2Ki", "1Gi"])
    }

    @Test func bashCompletionCompletesVerbsKindsAndFlags() throws {
        let script = CompletionScript.bash()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("drover-completion-\(UUID().uuidString).bash").path
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        func complete(_ words: [String]) throws -> String {
            let array = words.map { "'\($0)'" }.joined(separator: " ")
            let command = "source \(file); COMP_WORDS=(\(array)); COMP_CWORD=\(words.count - 1); _drover; echo \"${COMPREPLY[*]}\""
            return try runProcess("/bin/bash", ["-c", command]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try complete(["drover", "desc"]) == "describe")
        #expect(try complete(["drover", "get", "cronj"]) == "cronjob cronjobs")
        #expect(try complete(["drover", "delete", "job", "x", "--casc"]) == "--cascade")
        #expect(try complete(["drover", "delete", "--cascade", "fo"]) == "foreground")
        #expect(try complete(["drover", "top", ""]) == "nodes pods")
        #expect(try complete(["drover", "rollout", "re"]) == "resume restart")
        #expect(try complete(["drover", "rollout", "undo", "--to-r"]) == "--to-revision")
        #expect(try complete(["drover", "set", ""]) == "image")
        #expect(CompletionScript.zsh().hasPrefix("#compdef drover\n"))
    }
}

/// Runs a program and returns its standard output.
func runProcess(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
