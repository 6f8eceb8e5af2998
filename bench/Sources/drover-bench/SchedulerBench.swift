import Foundation
import Model

/// Creates `pods` pods up front over `clients` keep-alive connections while one watch records when
/// each pod is first seen bound; prints the throughput from the first pod created to the last pod
/// bound and percentiles of the time from a pod's creation (its create answered) to its binding.
struct SchedulerBench {
    var port: UInt16
    var token: String
    var pods: Int
    var clients: Int
    var timeout: Double
    /// Capacity of each hollow node, for the packing ratio.
    var nodeMilliCPU: Int
    var nodeMemoryMi: Int

    func run() throws {
        let run = UUID().uuidString.prefix(8).lowercased()
        let created = Stamps(count: pods), bound = Stamps(count: pods)
        let placements = Placements()
        let ready = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [port, token, pods] in
            guard let watcher = try? RawHTTP(host: "127.0.0.1", port: port),
                  (try? watcher.send("GET", "/api/v1/namespaces/default/pods?watch=true&labelSelector=run%3D\(run)", token: token)) != nil,
                  (try? watcher.readHead()) != nil else {
                print("scheduler bench: the watch could not be opened")
                ready.signal()
                return
            }
            ready.signal()
            try? watcher.readEvents(while: { bound.filled < pods }) { event, now in
                guard let node = event.value(at: ["object", "spec", "nodeName"])?.string, !node.isEmpty,
                      let name = event.value(at: ["object", "metadata", "name"])?.string,
                      let index = Int(name.split(separator: "-").last ?? "") else { return }
                bound.set(index, now)
                placements.record(node)
            }
        }
        ready.wait()
        let failed = createPodsConcurrently(port: port, token: token, count: pods, clients: clients, created: created) { i in
            let (cpu, memory) = Self.requests(ofPod: i)
            let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                                  "metadata": ["name": .string("s-\(run)-\(i)"), "labels": ["run": .string(run)]],
                                  "spec": ["restartPolicy": "Never",
                                           "containers": [["name": "main", "image": "busybox",
                                                           "resources": ["requests": ["cpu": .string("\(cpu)m"), "memory": .string("\(memory)Mi")]]]]]]
            return pod.serialized()
        }
        let deadline = Date().addingTimeInterval(timeout)
        while bound.filled < pods && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let c = created.values, b = bound.values
        let firstCreated = c.compactMap { $0 }.min() ?? 0
        let lastCreated = c.compactMap { $0 }.max() ?? 0
        let lastBound = b.compactMap { $0 }.max() ?? 0
        let latencies = zip(c, b).compactMap { pair -> Double? in
            guard let made = pair.0, let placed = pair.1 else { return nil }
            return max(0, placed - made) * 1000
        }.sorted()
        let boundCount = b.compactMap { $0 }.count
        print(String(format: "scheduler: %d pods (%d create failures) created in %.2f s (%.0f/s); %d bound",
                     pods, failed, lastCreated - firstCreated, Double(pods) / max(0.001, lastCreated - firstCreated), boundCount))
        print(String(format: "  throughput first created → last bound: %.2f s, %.0f pods/s", lastBound - firstCreated,
                     Double(boundCount) / max(0.001, lastBound - firstCreated)))
        print(String(format: "  creation → binding ms: p50 %.0f p90 %.0f p99 %.0f max %.0f", percentile(latencies, 50),
                     percentile(latencies, 90), percentile(latencies, 99), latencies.last ?? .nan))
        // Packing: nodes used against ⌈Σ requests ÷ node capacity⌉ (the larger over CPU and memory).
        let (cpu, memory) = (0..<pods).map(Self.requests(ofPod:)).reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        let lowerBound = max((cpu + nodeMilliCPU - 1) / nodeMilliCPU, (memory + nodeMemoryMi - 1) / nodeMemoryMi)
        print(String(format: "  packing: %d nodes used, lower bound %d (Σ %d cpu, %d Gi), ratio %.3f", placements.count, lowerBound,
                     cpu / 1000, memory / 1024, Double(placements.count) / Double(max(1, lowerBound))))
    }

    /// A mixed trace in random order: small, medium and large requests (millicores, MiB), chosen by
    /// a hash of the pod's index so every run creates the same pods.
    static func requests(ofPod i: Int) -> (Int, Int) {
        let sizes = [(100, 128), (250, 512), (500, 1024), (1000, 2048), (2000, 4096), (4000, 8192)]
        return sizes[SplitMix(seed: UInt64(i)).next(below: sizes.count)]
    }
}

/// The distinct nodes pods were bound to.
final class Placements: @unchecked Sendable {
    private let lock = NSLock()
    private var nodes: Set<String> = []

    func record(_ node: String) { lock.withLock { _ = nodes.insert(node) } }
    var count: Int { lock.withLock { nodes.count } }
}

/// One timestamp slot per pod, filled once, thread-safe.
final class Stamps: @unchecked Sendable {
    private let lock = NSLock()
    private var stamps: [Double?]
    private var count = 0

    init(count: Int) { stamps = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ time: Double) {
        lock.withLock {
            guard stamps.indices.contains(index), stamps[index] == nil else { return }
            stamps[index] = time
            count += 1
        }
    }

    var filled: Int { lock.withLock { count } }
    func value(_ index: Int) -> Double? { lock.withLock { stamps.indices.contains(index) ? stamps[index] : nil } }
    var values: [Double?] { lock.withLock { stamps } }
}

/// Creates `count` pods over `clients` keep-alive connections (client k creates k, k+clients, …),
/// stamping each in `created` when its 201 arrives; returns how many creates failed. Blocks until done.
func createPodsConcurrently(port: UInt16, token: String, count: Int, clients: Int, created: Stamps,
                            path: String = "/api/v1/namespaces/default/pods",
                            body: @escaping @Sendable (Int) -> [UInt8]) -> Int {
    let failures = Collector()
    let group = DispatchGroup()
    for client in 0..<clients {
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            guard let http = try? RawHTTP(host: "127.0.0.1", port: port) else { failures.count("failed"); return }
            for i in stride(from: client, to: count, by: clients) {
                do {
                    try http.send("POST", path, token: token, body: body(i))
                    let (status, _) = try http.readResponse()
                    if status == 201 { created.set(i, Date().timeIntervalSince1970) } else { failures.count("failed") }
                } catch {
                    failures.count("failed")
                    return
                }
            }
        }
    }
    group.wait()
    return failures.counter("failed")
}
