import Foundation
import Testing
import TestSupport

/// The everyday verbs of the real `drover` binary against a real `drover up`: apply of a directory
/// (a multi-document YAML and, with -R, a JSON file below it), get and describe of a Job, its pod
/// and the node in kubectl's layout, JSONPath, custom columns and sorting, and the three delete
/// cascade modes. One cluster for all of it: each `drover up` costs seconds.
@Suite(.serialized) struct CLIVerbsTests {
    static let jobs = """
    apiVersion: v1
    kind: Namespace
    metadata:
      name: team-a
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: hello
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox
            command: ["sh", "-c", "echo hello"]
            resources:
              requests: {cpu: 100m, memory: 16Mi}
              limits: {memory: 64Mi}
    """
    static let sleeper = """
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"%@","namespace":"team-a"},
     "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"main","command":["sleep","300"]}]}}}}
    """

    @Test func everydayVerbsAgainstARealServer() async throws {
        try await offCooperativePool { try runBlocking() }
    }

    func runBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let dir = "\(up.dataDir)/manifests"
        try FileManager.default.createDirectory(atPath: "\(dir)/sub", withIntermediateDirectories: true)
        try Self.jobs.write(toFile: "\(dir)/jobs.yaml", atomically: true, encoding: .utf8)
        try String(format: Self.sleeper, "deep").write(toFile: "\(dir)/sub/deep.json", atomically: true, encoding: .utf8)
        try "not a manifest".write(toFile: "\(dir)/README.txt", atomically: true, encoding: .utf8)

        let flat = try up.cli(["apply", "-f", dir])
        #expect(flat.output == "namespace/team-a created\njob.batch/hello created\n", "\(flat.output)")
        let deep = try up.cli(["apply", "-f", dir, "-R"])
        #expect(deep.output == "namespace/team-a unchanged\njob.batch/hello unchanged\njob.batch/deep created\n", "\(deep.output)")

        let done = try waitFor(up, ["get", "job", "hello", "-o", "jsonpath={.status.succeeded}"]) { $0 == "1" }
        #expect(done, "hello did not complete:\n\(up.logText)")
        _ = try waitFor(up, ["get", "pods", "-n", "team-a", "-o", "jsonpath={.items[*].status.phase}"]) { $0 == "Running" }

        let table = try up.cli(["get", "jobs"]).output
        #expect(table.hasPrefix("NAME    STATUS     COMPLETIONS   DURATION   AGE\nhello   Complete   1/1 "), "\(table)")
        let pod = try up.cli(["get", "pods", "-l", "job-name=hello", "-o", "jsonpath={.items[0].metadata.name}"]).output
        #expect(pod.hasPrefix("hello-"))
        let node = try up.cli(["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"]).output

        let job = try up.cli(["describe", "job", "hello"]).output
        for line in ["Name:             hello\n", "Namespace:        default\n", "Completion Mode:  NonIndexed\n",
                     "Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\n", "Completed At:     ",
                     "  Complete            True    CompletionsReached  Reached expected number of succeeded pods\n",
                     "  \(pod)  Succeeded  \(node)", "Created pod: \(pod)\n", "Pod Template:\n", "      echo hello\n"] {
            #expect(job.contains(line), "describe job lacks \(line.debugDescription):\n\(job)")
        }
        let podText = try up.cli(["describe", "pod", pod]).output
        for line in ["Name:         \(pod)\n", "Node:         \(node)/", "Status:       Succeeded\n", "Controlled By:  Job/hello\n",
                     "    State:          Terminated\n      Reason:       Completed\n      Exit Code:    0\n",
                     "    Requests:\n      cpu:        100m\n      memory:     16Mi\n", "QoS Class:         Burstable\n", "Events:\n"] {
            #expect(podText.contains(line), "describe pod lacks \(line.debugDescription):\n\(podText)")
        }
        let nodeText = try up.cli(["describe", "node", node]).output
        for line in ["Name:               \(node)\n", "Capacity:\n", "Allocatable:\n", "Non-terminated Pods:          (1 in total)\n",
                     "team-a", "Allocated resources:\n", "  Ready  ", "Kubelet Version:"] {
            #expect(nodeText.contains(line), "describe node lacks \(line.debugDescription):\n\(nodeText)")
        }

        // get -w: the list, then one row per change, from the server's Table events.
        let watched = try watchOutput(up, ["get", "jobs", "-A", "-w"], until: { $0.contains("later   Running") }) {
            try String(format: Self.sleeper, "later").write(toFile: "\(dir)/later.json", atomically: true, encoding: .utf8)
            _ = try up.cli(["create", "-f", "\(dir)/later.json"])
        }
        #expect(watched.hasPrefix("NAMESPACE   NAME    STATUS     COMPLETIONS   DURATION   AGE\ndefault     hello   Complete   1/1 "), "\(watched)")
        #expect(watched.contains("\nteam-a      later   Running    0/1 "), "\(watched)")
        // Foreground: the pod is gone too when delete returns, so the listings below do not see it.
        #expect(try up.cli(["delete", "job", "later", "-n", "team-a", "--cascade=foreground"]).status == 0)

        let columns = try up.cli(["get", "pods", "-A", "-o", "custom-columns=NS:.metadata.namespace,PHASE:.status.phase", "--sort-by=.status.phase"])
        #expect(columns.output == "NS        PHASE\nteam-a    Running\ndefault   Succeeded\n", "\(columns.output)")
        let sorted = try up.cli(["get", "pods", "-A", "--sort-by=.spec.containers[0].command[0]", "--no-headers", "-o", "wide"]).output
        #expect(sorted.hasPrefix("default   hello-") && sorted.contains("\nteam-a    deep-"), "\(sorted)")

        // Orphan: the Job goes, its pod stays without an owner reference.
        #expect(try up.cli(["delete", "job", "hello", "--cascade=orphan"]).output == "job.batch \"hello\" deleted\n")
        let owners = try up.cli(["get", "pod", pod, "-o", "jsonpath={.metadata.ownerReferences}"]).output
        #expect(owners.isEmpty || owners == "[]", "the orphan kept its owner: \(owners)")
        // Foreground with the default --wait: when delete returns, the pods are gone and then the Job.
        let foreground = try up.cli(["delete", "job/deep", "-n", "team-a", "--cascade=foreground"])
        #expect(foreground.output == "job.batch \"deep\" deleted\n", "\(foreground.output)")
        #expect(try up.cli(["get", "pods", "-n", "team-a", "-o", "name"]).output == "No resources found in team-a namespace.\n")
        #expect(try up.cli(["get", "job", "deep", "-n", "team-a"]).status == 1)
        // Background: the Job is gone at once; the collector removes the pods after.
        try String(format: Self.sleeper, "bg").write(toFile: "\(dir)/bg.json", atomically: true, encoding: .utf8)
        #expect(try up.cli(["create", "-f", "\(dir)/bg.json"]).output == "job.batch/bg created\n")
        _ = try waitFor(up, ["get", "pods", "-n", "team-a", "-o", "name"]) { $0.hasPrefix("pod/bg-") }
        #expect(try up.cli(["delete", "-f", "\(dir)/bg.json"]).output == "job.batch \"bg\" deleted\n")
        #expect(try up.cli(["get", "job", "bg", "-n", "team-a"]).output == "Error from server (NotFound): jobs.batch \"bg\" not found\n")
        #expect(try waitFor(up, ["get", "pods", "-n", "team-a", "-o", "name"]) { $0.hasPrefix("No resources found") }, "\(up.logText)")
    }

    /// Starts a long-running `drover` command (a watch), runs `action` once it printed something,
    /// and stops it when its output satisfies `done` (or after 60 s); returns the output.
    func watchOutput(_ up: DroverUp, _ arguments: [String], until done: @escaping (String) -> Bool,
                     _ action: () throws -> Void) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DroverBinary.path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["DROVER_CONFIG": up.configPath]) { $1 }
        let output = CollectedOutput(of: process)
        try process.run()
        output.startReading()
        defer { if process.isRunning { process.terminate() } }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, output.text.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        try action()
        while Date() < deadline, !done(output.text) { Thread.sleep(forTimeInterval: 0.05) }
        return output.text
    }

    /// Runs a command until its output satisfies `done` (60 s at most); true when it did.
    func waitFor(_ up: DroverUp, _ arguments: [String], _ done: (String) -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if done(try up.cli(arguments).output) { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }
}

/// The CLI's error paths, through the real binary (no server needed).
@Suite struct CLIErrorTests {
    func drover(_ arguments: [String], config: String = "/nonexistent/drover-config") throws -> (status: Int32, output: String) {
        try DroverBinary.run(DroverBinary.path, arguments, environment: ["DROVER_CONFIG": config])
    }

    @Test func errorsSayWhatWasWrongAndExitNonZero() throws {
        let verb = try drover(["gte", "pods"])
        #expect(verb.status == 2)
        #expect(verb.output.contains("Did you mean this?\n\tget\n"), "\(verb.output)")
        let flag = try drover(["get", "pods", "--selectr", "a=b"])
        #expect(flag.status == 2 && flag.output.contains("\t--selector\n"), "\(flag.output)")
        let config = try drover(["get", "pods"])
        #expect(config.status == 1)
        #expect(config.output.contains("/nonexistent/drover-config") && config.output.contains("drover up"), "\(config.output)")
        let server = try drover(["get", "pods", "--server", "http://127.0.0.1:1"])
        #expect(server.status == 1)
        #expect(server.output.contains("http://127.0.0.1:1"), "\(server.output)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("drover-bad-\(UUID().uuidString).yaml").path
        try "kind: Namespace\napiVersion: v1\nmetadata: {name: a}\n---\nkind: [\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let manifest = try drover(["apply", "-f", file])
        #expect(manifest.status == 1)
        #expect(manifest.output.contains("error parsing \(file) (document 2)") && manifest.output.contains("line 6"), "\(manifest.output)")
        #expect(!manifest.output.contains("Fatal error"), "no stack traces")
    }
}
