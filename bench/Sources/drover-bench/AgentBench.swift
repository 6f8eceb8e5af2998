import Agent
import Foundation
import Model

/// The agent's pod start path against a running `drover up` with its local agent: pods are created
/// already bound to the agent's node (spec.nodeName), so no scheduler is involved.
/// 1. latency: `latencyPods` pods one at a time whose container prints its start time (`date +%s%N`);
///    start time − creation time (the create's 201 received) from each pod's log.
/// 2. throughput: `throughputPods` `true` pods created by `clients` keep-alive clients; from the first
///    create sent to the last pod seen Succeeded on a watch of the node's pods.
struct AgentBench {
    var port: UInt16
    var token: String
    var latencyPods: Int
    var throughputPods: Int
    var clients: Int
    var timeout: Double

    func run() throws {
        let node = try findNode()
        print("agent: node \(node)")
        if latencyPods > 0 { try latency(node: node) }
        if throughputPods > 0 { try throughput(node: node) }
    }

    /// The node named after this host (as `drover up`'s local agent names it), else the only node;
    /// waits for the agent to register it.
    private func findNode() throws -> String {
        let hostname = MachineFacts.read().hostname.lowercased()
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            try http.send("GET", "/api/v1/nodes", token: token)
            let (status, body) = try http.readResponse()
            guard status == 200 else { throw BenchError("GET /api/v1/nodes answered \(status)") }
            let names = (try JSONValue.parse(body))["items"]?.array?.compactMap { $0.value(at: ["metadata", "name"])?.string } ?? []
            if names.contains(hostname) { return hostname }
            if names.count == 1, let only = names.first { return only }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw BenchError("no node named \(hostname) registered within 30 s")
    }

    private func latency(node: String) throws {
        let run = UUID().uuidString.prefix(8).lowercased()
        let watch = try TerminalWatch(port: port, token: token, node: node, run: run, count: latencyPods)
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        var toStart: [Double] = [], toDone: [Double] = [], creates: [Double] = []
        for i in 0..<latencyPods {
            let name = "l-\(run)-\(i)"
            let sent = Date().timeIntervalSince1970
            try http.send("POST", "/api/v1/namespaces/default/pods", token: token,
                          body: Self.pod(name: name, run: run, node: node, command: ["date", "+%s%N"]))
            let (status, body) = try http.readResponse()
            let created = Date().timeIntervalSince1970
            guard status == 201 else { throw BenchError("create of \(name) answered \(status): \(String(decoding: body, as: UTF8.self))") }
            creates.append((created - sent) * 1000)
            guard let done = watch.wait(for: i, until: Date().addingTimeInterval(timeout)) else {
                throw BenchError("pod \(name) did not finish within \(timeout) s")
            }
            guard watch.succeeded(i) else { throw BenchError("pod \(name) failed") }
            try http.send("GET", "/api/v1/namespaces/default/pods/\(name)/log", token: token)
            let (logStatus, log) = try http.readResponse()
            let text = String(decoding: log, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard logStatus == 200, let nanos = Double(text) else {
                throw BenchError("log of \(name) answered \(logStatus): \(text)")
            }
            toStart.append((nanos / 1e9 - created) * 1000)
            toDone.append((done - created) * 1000)
        }
        try deleteAll(run: run)
        toStart.sort(); toDone.sort(); creates.sort()
        print(String(format: "latency: %d pods one at a time, bound at creation, `date +%%s%%N`", latencyPods))
        print(String(format: "  created (201) → process running ms: p50 %.1f p90 %.1f p99 %.1f max %.1f", percentile(toStart, 50),
                     percentile(toStart, 90), percentile(toStart, 99), toStart.last ?? .nan))
        print(String(format: "  created (201) → Succeeded seen on a watch ms: p50 %.1f p90 %.1f p99 %.1f max %.1f", percentile(toDone, 50),
                     percentile(toDone, 90), percentile(toDone, 99), toDone.last ?? .nan))
        print(String(format: "  (the create itself, sent → 201: p50 %.1f p99 %.1f ms)", percentile(creates, 50), percentile(creates, 99)))
    }

    private func throughput(node: String) throws {
        let run = UUID().uuidString.prefix(8).lowercased()
        let count = throughputPods
        let watch = try TerminalWatch(port: port, token: token, node: node, run: run, count: count)
        let created = Stamps(count: count)
        let began = Date().timeIntervalSince1970
        let failed = createPodsConcurrently(port: port, token: token, count: count, clients: clients, created: created) { [run] i in
            Self.pod(name: "t-\(run)-\(i)", run: run, node: node, command: ["true"])
        }
        let lastCreated = created.values.compactMap { $0 }.max() ?? began
        let deadline = Date().addingTimeInterval(timeout)
        while watch.finished < created.filled && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let done = watch.stamps.values.compactMap { $0 }
        let lastDone = done.max() ?? began
        let succeeded = (0..<count).filter { watch.succeeded($0) }.count
        let lifetimes = zip(created.values, watch.stamps.values).compactMap { pair -> Double? in
            guard let made = pair.0, let finished = pair.1 else { return nil }
            return (finished - made) * 1000
        }.sorted()
        try deleteAll(run: run)
        print(String(format: "throughput: %d `true` pods bound at creation, %d keep-alive clients", count, clients))
        print(String(format: "  created %d in %.2f s (%.0f/s), %d create failures", created.filled, lastCreated - began,
                     Double(created.filled) / max(0.001, lastCreated - began), failed))
        print(String(format: "  first create → last Succeeded: %.2f s, %.0f pods/s; %d Succeeded, %d Failed, %d unfinished",
                     lastDone - began, Double(succeeded) / max(0.001, lastDone - began), succeeded, done.count - succeeded,
                     created.filled - done.count))
        print(String(format: "  created (201) → Succeeded seen ms: p50 %.0f p90 %.0f p99 %.0f max %.0f", percentile(lifetimes, 50),
                     percentile(lifetimes, 90), percentile(lifetimes, 99), lifetimes.last ?? .nan))
    }

    private func deleteAll(run: String) throws {
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        try http.send("DELETE", "/api/v1/namespaces/default/pods?labelSelector=run%3D\(run)", token: token)
        _ = try http.readResponse()
    }

    static func pod(name: String, run: String, node: String, command: [String]) -> [UInt8] {
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                              "metadata": ["name": .string(name), "labels": ["run": .string(run)]],
                              "spec": ["nodeName": .string(node), "restartPolicy": "Never",
                                       "containers": [["name": "main", "image": "busybox",
                                                       "command": .array(command.map { .string($0) })]]]]
        return pod.serialized()
    }
}

/// A watch of one run's pods on the node (`spec.nodeName` and `run` label selectors) recording when
/// each pod (named `…-<index>`) is first seen Succeeded or Failed.
final class TerminalWatch: @unchecked Sendable {
    let stamps: Stamps
    private let lock = NSLock()
    private var failed: Set<Int> = []

    init(port: UInt16, token: String, node: String, run: String, count: Int) throws {
        stamps = Stamps(count: count)
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        try http.send("GET", "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3D\(node)&labelSelector=run%3D\(run)", token: token)
        let (status, _) = try http.readHead()
        guard status == 200 else { throw BenchError("the watch answered \(status)") }
        Thread.detachNewThread { [self] in
            try? http.readEvents(while: { stamps.filled < count }) { event, now in
                guard let phase = event.value(at: ["object", "status", "phase"])?.string,
                      phase == "Succeeded" || phase == "Failed",
                      let name = event.value(at: ["object", "metadata", "name"])?.string,
                      let index = Int(name.split(separator: "-").last ?? "") else { return }
                if phase == "Failed" { lock.withLock { _ = failed.insert(index) } }
                stamps.set(index, now)
            }
        }
    }

    var finished: Int { stamps.filled }
    func succeeded(_ index: Int) -> Bool { stamps.value(index) != nil && !lock.withLock { failed.contains(index) } }

    /// When pod `index` was seen finished, waiting for it until `deadline`.
    func wait(for index: Int, until deadline: Date) -> Double? {
        while Date() < deadline {
            if let stamp = stamps.value(index) { return stamp }
            Thread.sleep(forTimeInterval: 0.0005)
        }
        return nil
    }
}
