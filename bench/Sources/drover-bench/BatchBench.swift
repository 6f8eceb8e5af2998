import Foundation
import Model

/// The Job controller end to end against a running `drover up` (its local agent, or hollow nodes):
/// - `big`: one Job of `completions` `true` pods, `parallelism` at a time: creation → Complete as
///   completions per second;
/// - `many`: `jobs` one-pod Jobs created by `clients` keep-alive clients: first create → last
///   Complete as jobs per second;
/// - `latency`: `jobs` one-pod Jobs one after another: create (201) → Complete seen on a watch;
/// - `wide`: `jobs` Jobs of `completions` pods, `parallelism` each, created together (for hollow
///   nodes): pods per second through the controller.
/// Every run's Jobs carry a `run` label and are deleted (with their pods) afterwards.
struct BatchBench {
    var port: UInt16
    var token: String
    var scenario: String
    var jobs: Int
    var completions: Int
    var parallelism: Int
    var clients: Int
    var timeout: Double

    static let path = "/apis/batch/v1/namespaces/default/jobs"

    func run() throws {
        switch scenario {
        case "big": try big()
        case "many": try many()
        case "latency": try latency()
        case "wide": try wide()
        default: throw BenchError("unknown scenario \(scenario): big, many, latency or wide")
        }
    }

    private func big() throws {
        let run = Self.runID()
        let watch = try JobWatch(port: port, token: token, run: run, count: 1)
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        let began = Date().timeIntervalSince1970
        try http.send("POST", Self.path, token: token, body: Self.job(name: "big-\(run)-0", run: run, completions: completions,
                                                                       parallelism: parallelism))
        let (status, body) = try http.readResponse()
        guard status == 201 else { throw BenchError("create answered \(status): \(String(decoding: body, as: UTF8.self))") }
        let done = watch.wait(for: 0, until: Date().addingTimeInterval(timeout))
        try cleanUp(run: run)
        guard let done else { throw BenchError("the Job did not finish within \(timeout) s") }
        print(String(format: "big: one Job, %d completions of `true`, parallelism %d: %@ after %.2f s, %.0f completions/s",
                     completions, parallelism, watch.outcome(0), done - began, Double(completions) / (done - began)))
    }

    private func many() throws {
        let run = Self.runID()
        let watch = try JobWatch(port: port, token: token, run: run, count: jobs)
        let created = Stamps(count: jobs)
        let began = Date().timeIntervalSince1970
        let failed = createPodsConcurrently(port: port, token: token, count: jobs, clients: clients, created: created, path: Self.path) { i in
            Self.job(name: "many-\(run)-\(i)", run: run, completions: 1, parallelism: 1)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while watch.finished < created.filled && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let lastDone = watch.stamps.values.compactMap { $0 }.max() ?? began
        let lifetimes = Self.durations(from: created, to: watch.stamps)
        try cleanUp(run: run)
        print(String(format: "many: %d one-pod Jobs from %d clients (%d create failures): first create → last Complete %.2f s, %.0f jobs/s; %d unfinished",
                     jobs, clients, failed, lastDone - began, Double(watch.finished) / max(0.001, lastDone - began), created.filled - watch.finished))
        print(String(format: "  create → Complete ms: p50 %.0f p99 %.0f max %.0f", percentile(lifetimes, 50), percentile(lifetimes, 99),
                     lifetimes.last ?? .nan))
    }

    private func latency() throws {
        let run = Self.runID()
        let watch = try JobWatch(port: port, token: token, run: run, count: jobs)
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        var samples: [Double] = []
        for i in 0..<jobs {
            try http.send("POST", Self.path, token: token, body: Self.job(name: "lat-\(run)-\(i)", run: run, completions: 1, parallelism: 1))
            let (status, body) = try http.readResponse()
            let created = Date().timeIntervalSince1970
            guard status == 201 else { throw BenchError("create answered \(status): \(String(decoding: body, as: UTF8.self))") }
            guard let done = watch.wait(for: i, until: Date().addingTimeInterval(timeout)) else {
                throw BenchError("job \(i) did not finish within \(timeout) s")
            }
            samples.append((done - created) * 1000)
        }
        try cleanUp(run: run)
        samples.sort()
        print(String(format: "latency: %d one-pod Jobs one after another, create (201) → Complete on a watch ms: p50 %.0f p90 %.0f p99 %.0f max %.0f",
                     jobs, percentile(samples, 50), percentile(samples, 90), percentile(samples, 99), samples.last ?? .nan))
    }

    private func wide() throws {
        let run = Self.runID()
        let watch = try JobWatch(port: port, token: token, run: run, count: jobs)
        let created = Stamps(count: jobs)
        let began = Date().timeIntervalSince1970
        let failed = createPodsConcurrently(port: port, token: token, count: jobs, clients: clients, created: created, path: Self.path) { [self] i in
            Self.job(name: "wide-\(run)-\(i)", run: run, completions: completions, parallelism: parallelism)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while watch.finished < created.filled && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let lastDone = watch.stamps.values.compactMap { $0 }.max() ?? began
        try cleanUp(run: run)
        let pods = watch.finished * completions
        print(String(format: "wide: %d Jobs × %d completions, parallelism %d (%d create failures): %.2f s, %.0f pods/s; %d Jobs unfinished",
                     jobs, completions, parallelism, failed, lastDone - began, Double(pods) / max(0.001, lastDone - began),
                     created.filled - watch.finished))
    }

    private func cleanUp(run: String) throws {
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        try http.send("DELETE", "\(Self.path)?labelSelector=run%3D\(run)", token: token, body: Array(#"{"propagationPolicy":"Background"}"#.utf8))
        _ = try http.readResponse()
    }

    static func runID() -> String { String(UUID().uuidString.prefix(8).lowercased()) }

    static func durations(from start: Stamps, to end: Stamps) -> [Double] {
        zip(start.values, end.values).compactMap { pair -> Double? in
            guard let a = pair.0, let b = pair.1 else { return nil }
            return (b - a) * 1000
        }.sorted()
    }

    static func job(name: String, run: String, completions: Int, parallelism: Int) -> [UInt8] {
        let job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job",
                              "metadata": ["name": .string(name), "labels": ["run": .string(run)]],
                              "spec": ["completions": .int(Int64(completions)), "parallelism": .int(Int64(parallelism)),
                                       "template": ["metadata": ["labels": ["run": .string(run)]],
                                                    "spec": ["restartPolicy": "Never",
                                                             "containers": [["name": "main", "image": "busybox", "command": ["true"],
                                                                             "resources": ["requests": ["cpu": "10m", "memory": "8Mi"]]]]]]]]
        return job.serialized()
    }
}

/// A watch of one run's Jobs (named `…-<index>`) recording when each is first seen finished:
/// condition Complete or Failed True.
final class JobWatch: @unchecked Sendable {
    let stamps: Stamps
    private let lock = NSLock()
    private var outcomes: [Int: String] = [:]

    init(port: UInt16, token: String, run: String, count: Int) throws {
        stamps = Stamps(count: count)
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        try http.send("GET", "\(BatchBench.path)?watch=true&labelSelector=run%3D\(run)", token: token)
        let (status, _) = try http.readHead()
        guard status == 200 else { throw BenchError("the watch answered \(status)") }
        Thread.detachNewThread { [self] in
            try? http.readEvents(while: { self.finished < count }) { event, time in
                guard let object = event["object"], let name = object.value(at: ["metadata", "name"])?.string,
                      let index = name.split(separator: "-").last.flatMap({ Int($0) }) else { return }
                let conditions = object.value(at: ["status", "conditions"])?.array ?? []
                for type in ["Complete", "Failed"] where conditions.contains(where: { $0["type"]?.string == type && $0["status"]?.string == "True" }) {
                    self.lock.withLock { if self.outcomes[index] == nil { self.outcomes[index] = type } }
                    self.stamps.set(index, time)
                }
            }
        }
    }

    var finished: Int { stamps.filled }

    func outcome(_ index: Int) -> String { lock.withLock { outcomes[index] ?? "unfinished" } }

    func wait(for index: Int, until deadline: Date) -> Double? {
        while Date() < deadline {
            if let stamp = stamps.value(index) { return stamp }
            Thread.sleep(forTimeInterval: 0.001)
        }
        return stamps.value(index)
    }
}
