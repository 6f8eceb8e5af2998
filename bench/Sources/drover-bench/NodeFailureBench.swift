import Foundation
import Model
#if canImport(Glibc)
import Glibc
#endif

/// Node failure (issue 10): a Deployment of `replicas` pods spread over hollow nodes; once every
/// pod runs, the `failing` hollow nodes stop heartbeating (SIGUSR1 to `drover sim nodes`, whose
/// pid is `simPID`). Prints, from those nodes' last Lease renewal, when they became Unknown, when
/// they got the unreachable NoExecute taint (rate-limited per zone), and when every lost pod's
/// replacement was running on another node.
struct NodeFailureBench {
    var port: UInt16
    var token: String
    var replicas: Int
    var failing: [String]
    var simPID: Int32
    var tolerationSeconds: Int
    var timeout: Double

    /// What the watch has shown of each pod of the Deployment.
    final class Pods: @unchecked Sendable {
        struct State {
            var node: String
            var live: Bool
            var runningSince: Double?
        }
        private let lock = NSLock()
        private var states: [String: State] = [:]

        func apply(_ event: JSONValue, at time: Double) {
            guard let object = event["object"], let name = object.value(at: ["metadata", "name"])?.string else { return }
            lock.withLock {
                if event["type"] == "DELETED" { states[name] = nil; return }
                let live = object.value(at: ["metadata", "deletionTimestamp"]) == nil
                let running = object.value(at: ["status", "phase"])?.string == "Running"
                var state = states[name] ?? State(node: "", live: live, runningSince: nil)
                state.node = object.value(at: ["spec", "nodeName"])?.string ?? ""
                state.live = live
                if running && state.runningSince == nil { state.runningSince = time }
                states[name] = state
            }
        }

        var snapshot: [String: State] { lock.withLock { states } }
    }

    func run() throws {
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        let pods = Pods()
        let watcher = try RawHTTP(host: "127.0.0.1", port: port)
        try watcher.send("GET", "/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dbench-web", token: token)
        _ = try watcher.readHead()
        Thread.detachNewThread { try? watcher.readEvents(while: { true }) { pods.apply($0, at: $1) } }
        try http.send("POST", "/apis/apps/v1/namespaces/default/deployments", token: token, body: deployment().serialized())
        let (status, body) = try http.readResponse()
        guard status == 201 else { throw BenchError("create deployment: \(status) \(String(decoding: body, as: UTF8.self))") }

        let created = Date()
        guard wait(timeout, { pods.snapshot.values.filter { $0.live && $0.runningSince != nil }.count >= replicas }) else {
            throw BenchError("only \(pods.snapshot.values.filter { $0.runningSince != nil }.count) of \(replicas) pods running")
        }
        let before = pods.snapshot
        let dark = Set(failing)
        let lost = before.filter { dark.contains($0.value.node) }.count
        print(String(format: "node-failure: %d pods running on hollow nodes after %.1f s; %d of them on the %d failing nodes",
                     replicas, Date().timeIntervalSince(created), lost, failing.count))
        kill(simPID, SIGUSR1)
        let replaced = { () -> [Double] in
            pods.snapshot.filter { before[$0.key] == nil && $0.value.live && !dark.contains($0.value.node) }.compactMap(\.value.runningSince)
        }
        let done = wait(timeout) { replaced().count >= lost }

        // The nodes' side, from the API: last renewals, Unknown transitions, taint times.
        var lastRenewal = 0.0, unknown: [Double] = [], taintedAt: [Double] = []
        for name in failing {
            let lease = try get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/\(name)")
            lastRenewal = max(lastRenewal, lease.value(at: ["spec", "renewTime"])?.string.flatMap(Timestamp.parse)?.timeIntervalSince1970 ?? 0)
            let node = try get("/api/v1/nodes/\(name)")
            let ready = node.value(at: ["status", "conditions"])?.array?.first { $0["type"] == "Ready" }
            if ready?["status"] == "Unknown", let time = ready?["lastTransitionTime"]?.string.flatMap(Timestamp.parse) {
                unknown.append(time.timeIntervalSince1970)
            }
            let taint = node.value(at: ["spec", "taints"])?.array?.first {
                $0["key"] == "node.kubernetes.io/unreachable" && $0["effect"] == "NoExecute"
            }
            if let time = taint?["timeAdded"]?.string.flatMap(Timestamp.parse) { taintedAt.append(time.timeIntervalSince1970) }
        }
        func span(_ times: [Double]) -> String {
            guard let first = times.min(), let last = times.max() else { return "none" }
            return String(format: "+%.0f … +%.0f s", first - lastRenewal, last - lastRenewal)
        }
        let times = replaced().sorted().prefix(lost).map { $0 - lastRenewal }
        print("  from the last heartbeat (Lease renewal) of the failing nodes (node times have whole-second resolution):")
        print("    Ready=Unknown:               \(span(unknown)) (\(unknown.count) of \(failing.count) nodes)")
        print("    unreachable:NoExecute taint: \(span(taintedAt)) (\(taintedAt.count) nodes; tolerationSeconds \(tolerationSeconds))")
        print(String(format: "    replacements running elsewhere: %d of %d: first +%.1f s, p50 +%.1f s, p90 +%.1f s, last +%.1f s%@",
                     times.count, lost, times.first ?? .nan, percentile(Array(times), 50), percentile(Array(times), 90),
                     times.last ?? .nan, done ? "" : " (timed out)"))
    }

    private func deployment() -> JSONValue {
        let tolerations: JSONValue = .array(["node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"].map { key -> JSONValue in
            ["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": .int(Int64(tolerationSeconds))]
        })
        return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "bench-web"],
                "spec": ["replicas": .int(Int64(replicas)), "selector": ["matchLabels": ["app": "bench-web"]],
                         "template": ["metadata": ["labels": ["app": "bench-web"]],
                                      "spec": ["tolerations": tolerations,
                                               "containers": [["name": "main", "image": "busybox",
                                                               "resources": ["requests": ["cpu": "100m", "memory": "64Mi"]]]]]]]]
    }

    /// A GET on a connection of its own (the first may have idled out meanwhile).
    private func get(_ path: String) throws -> JSONValue {
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        try http.send("GET", path, token: token)
        let (status, body) = try http.readResponse()
        guard status == 200 else { throw BenchError("GET \(path): \(status)") }
        return try JSONValue.parse(body)
    }

    private func wait(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return true
    }
}
