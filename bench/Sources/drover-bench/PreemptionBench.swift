import Foundation
import Model

/// Preemption at scale (issue 13): `low` pods of PriorityClass `bench-low` fill the hollow nodes
/// (each a quarter of a node's CPU), then `high` pods of `bench-high`, each needing one victim, are
/// created together; prints how many preemptors were bound per second and how long each waited.
struct PreemptionBench {
    var port: UInt16
    var token: String
    var low: Int
    var high: Int
    var podMilliCPU: Int
    var clients: Int
    var timeout: Double

    func run() throws {
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        for (name, value) in [("bench-low", 10), ("bench-high", 1000)] {
            let pc: JSONValue = ["apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": .string(name)],
                                 "value": .int(Int64(value))]
            try http.send("POST", "/apis/scheduling.k8s.io/v1/priorityclasses", token: token, body: pc.serialized())
            _ = try http.readResponse()
        }
        let run = String(UUID().uuidString.prefix(8).lowercased())
        let lowBound = try boundWatch(run: run, tier: "low", count: low)
        let lowCreated = Stamps(count: low)
        let lowFailed = createPodsConcurrently(port: port, token: token, count: low, clients: clients, created: lowCreated) { i in
            Self.pod("low-\(run)-\(i)", run: run, tier: "low", milliCPU: podMilliCPU)
        }
        var deadline = Date().addingTimeInterval(timeout)
        while lowBound.filled < low && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        print(String(format: "preemption: %d low-priority pods (%d create failures) bound: %d", low, lowFailed, lowBound.filled))

        let highBound = try boundWatch(run: run, tier: "high", count: high)
        let highCreated = Stamps(count: high)
        let highFailed = createPodsConcurrently(port: port, token: token, count: high, clients: clients, created: highCreated) { i in
            Self.pod("high-\(run)-\(i)", run: run, tier: "high", milliCPU: podMilliCPU)
        }
        deadline = Date().addingTimeInterval(timeout)
        while highBound.filled < high && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let first = highCreated.values.compactMap { $0 }.min() ?? 0
        let last = highBound.values.compactMap { $0 }.max() ?? first
        let waits = zip(highCreated.values, highBound.values).compactMap { pair -> Double? in
            guard let made = pair.0, let placed = pair.1 else { return nil }
            return max(0, placed - made) * 1000
        }.sorted()
        print(String(format: "  %d high-priority preemptors (%d create failures): %d bound in %.2f s, %.0f preemptors/s; "
                     + "created → bound ms p50 %.0f p99 %.0f max %.0f", high, highFailed, highBound.filled, last - first,
                     Double(highBound.filled) / max(0.001, last - first), percentile(waits, 50), percentile(waits, 99), waits.last ?? .nan))
    }

    static func pod(_ name: String, run: String, tier: String, milliCPU: Int) -> [UInt8] {
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                              "metadata": ["name": .string(name), "labels": ["run": .string(run), "tier": .string(tier)]],
                              "spec": ["restartPolicy": "Always", "priorityClassName": .string("bench-\(tier)"),
                                       "containers": [["name": "main", "image": "busybox",
                                                       "resources": ["requests": ["cpu": .string("\(milliCPU)m"), "memory": "64Mi"]]]]]]
        return pod.serialized()
    }

    /// Records when each pod of `tier` (named `…-<index>`) is first seen bound.
    private func boundWatch(run: String, tier: String, count: Int) throws -> Stamps {
        try watchBound(port: port, token: token, labelSelector: "run%3D\(run),tier%3D\(tier)", count: count)
    }
}

/// Watches the pods `labelSelector` (URL-encoded) selects and records when each (named
/// `…-<index>`, index < `count`) is first seen bound.
func watchBound(port: UInt16, token: String, labelSelector: String, count: Int) throws -> Stamps {
    let bound = Stamps(count: count)
    let watcher = try RawHTTP(host: "127.0.0.1", port: port)
    try watcher.send("GET", "/api/v1/namespaces/default/pods?watch=true&labelSelector=\(labelSelector)", token: token)
    _ = try watcher.readHead()
    Thread.detachNewThread {
        try? watcher.readEvents(while: { bound.filled < count }) { event, now in
            guard let node = event.value(at: ["object", "spec", "nodeName"])?.string, !node.isEmpty,
                  let name = event.value(at: ["object", "metadata", "name"])?.string,
                  let index = Int(name.split(separator: "-").last ?? ""), index < count else { return }
            bound.set(index, now)
        }
    }
    return bound
}
