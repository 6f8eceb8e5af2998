import Client
import Foundation
import Model
import Testing
import TestSupport

/// `/metrics` of a real `drover up` (server, controllers, scheduler and local agent in one
/// process) and of a second `drover agent`, parsed by Prometheus' own Python parser
/// (`prometheus_client`), with the families moving as a Job runs to completion.
@Suite(.serialized) struct MetricsEndToEndTests {
    static let parserAvailable: Bool = {
        guard let python = DroverBinary.which("python3") else { return false }
        return (try? DroverBinary.run(python, ["-c", "import prometheus_client"]).status) == 0
    }()

    /// Prints `family sample{labels} value` for every sample the parser reads (it fails on bad text).
    static let parser = """
    import sys
    from prometheus_client.parser import text_string_to_metric_families
    for family in text_string_to_metric_families(open(sys.argv[1]).read()):
        for s in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
            print(f"{family.type} {s.name}{{{labels}}} {s.value}")
    """

    @Test(.enabled(if: parserAvailable, "python3 with prometheus_client is not installed"))
    func metricsParseAndMoveWhileAJobRuns() async throws {
        try await offCooperativePool {
            let up = try DroverUp()
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            try await run(up, client)
        }
    }

    @Test func noMetricsRecordsNothingAndServesAnEmptyExposition() async throws {
        try await offCooperativePool {
            let up = try DroverUp(arguments: ["--no-metrics"])
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            _ = try await client.list(ResourceCatalog.pods, namespace: "default")
            let response = try await client.raw(RawRequest(path: "/metrics"))
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
    }

    func run(_ up: DroverUp, _ client: HTTPAPIClient) async throws {
        _ = try await client.create(ResourceCatalog.jobs, namespace: "default", object: try JSONValue.parse(Array(DroverUpTests.job.utf8)))
        let done = try await eventually(within: 60) { () -> Bool? in
            JobView(try await client.get(ResourceCatalog.jobs, namespace: "default", name: "hello")).isFinished ? true : nil
        }
        #expect(done == true, "\(up.logText)")
        let samples = try await parsed(client, path: "/metrics", dir: up.dataDir)
        func value(_ prefix: String) -> Double {
            samples.filter { $0.hasPrefix(prefix) }.compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
        }
        #expect(value("counter apiserver_request_total{code=201,component=apiserver,group=batch,resource=jobs") >= 1)
        #expect(value("histogram apiserver_request_duration_seconds_count{") >= 1)
        #expect(value("counter workqueue_adds_total{name=job}") >= 1)
        #expect(value("counter job_controller_jobs_finished_total{completion_mode=NonIndexed,reason=,result=succeeded}") >= 1)
        #expect(value("counter scheduler_schedule_attempts_total{profile=default-scheduler,result=scheduled}") >= 1)
        #expect(value("histogram kubelet_pod_start_duration_seconds_count{") >= 1)
        #expect(samples.contains { $0.hasPrefix("gauge scheduler_pending_pods{queue=active}") })
        #expect(samples.contains { $0.hasPrefix("gauge workqueue_depth{name=daemonset}") })
        // The store: group commits, the read pool, and writes that skipped their read.
        #expect(value("histogram drover_store_commit_batch_size_count{") >= 1)
        #expect(value("histogram drover_store_commit_duration_seconds_count{") >= 1)
        #expect(value("gauge drover_store_read_connections{state=capacity}") >= 1)
        #expect(value("counter drover_store_recent_objects_lookups_total{outcome=hit}") >= 1)
        // Readiness names the control plane's informers, as kube-apiserver's informer-sync.
        let ready = try await client.raw(RawRequest(path: "/readyz", query: [("verbose", "")]))
        #expect(ready.status == 200)
        #expect(String(decoding: ready.body, as: UTF8.self).contains("[+]informer-sync ok"))

        // A second agent serves its own /metrics on its log port (no token configured there).
        let agent = try up.startAgent(name: "metrics-second")
        defer {
            agent.interrupt()
            agent.waitUntilExit()
        }
        let port = await eventually(within: 60) { () -> Int64? in
            let node = try? await client.get(ResourceCatalog.nodes, namespace: nil, name: "metrics-second")
            return node?.value(at: ["status", "daemonEndpoints", "kubeletEndpoint", "Port"])?.int
        }
        let agentPort = try #require(port)
        let agentClient = try HTTPAPIClient(server: "http://127.0.0.1:\(agentPort)", token: "")
        let agentSamples = try await parsed(agentClient, path: "/metrics", dir: up.dataDir)
        #expect(agentSamples.contains { $0.hasPrefix("gauge kubelet_running_pods{}") })
    }

    /// GETs `path`, writes it to a file and returns the parser's lines.
    func parsed(_ client: HTTPAPIClient, path: String, dir: String) async throws -> [String] {
        let response = try await client.raw(RawRequest(path: path))
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let file = "\(dir)/metrics-\(UUID().uuidString.prefix(6)).txt", script = "\(dir)/parse.py"
        try Data(response.body).write(to: URL(fileURLWithPath: file))
        try Self.parser.write(toFile: script, atomically: true, encoding: .utf8)
        let result = try DroverBinary.run(DroverBinary.which("python3")!, [script, file])
        #expect(result.status == 0, "the parser refused the exposition: \(result.output)")
        return result.output.split(separator: "\n").map(String.init)
    }
}
