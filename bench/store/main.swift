// Store benchmark: creates/s from 16 threads with p99 latency, and GET-by-key rates, on an
// embedded PostgreSQL with fsync ON. Run (release): see bench/store/README.md.
import Foundation
import Store

let root = "/tmp/drover-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
chmod(root, 0o755)
defer { try? FileManager.default.removeItem(atPath: root) }
let server = EmbeddedPostgres(.init(dataDirectory: root + "/data", fsync: true))
try server.start()
defer { server.stop() }
let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("migrations").path
try Migrator(directory: migrations).migrate(conninfo: server.conninfo())
let store = try PostgresStore(conninfo: server.conninfo(), readConnections: 4)
defer { store.close() }

/// A ~1 KB pod body.
func pod(_ name: String) -> [UInt8] {
    let text = """
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)","namespace":"bench","uid":"\(UUID().uuidString)",\
    "labels":{"app":"bench","tier":"batch"},"annotations":{"note":"\(String(repeating: "x", count: 400))"}},\
    "spec":{"containers":[{"name":"main","command":["/bin/sleep","1"],"resources":{"requests":{"cpu":"100m",\
    "memory":"64Mi"}}}],"restartPolicy":"Never"},"status":{"phase":"Pending"}}
    """
    return Array(text.utf8)
}

/// Runs `body(i)` on `count` dedicated threads at once (concurrentPerform would cap at the core count).
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        Thread { body(i); group.leave() }.start()
    }
    group.wait()
}

final class Samples: @unchecked Sendable {
    let lock = NSLock()
    var values: [Double] = []
    func add(_ v: [Double]) { lock.lock(); values += v; lock.unlock() }
}

func createRun(threads: Int, perThread: Int, tag: String) {
    let samples = Samples()
    let start = Date()
    onThreads(threads) { t in
        var local: [Double] = []
        for i in 0..<perThread {
            let name = "\(tag)-\(t)-\(i)"
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try? store.create(ObjectKey(resource: "pods", namespace: "bench", name: name), uid: name, json: pod(name))
            local.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        samples.add(local)
    }
    let elapsed = Date().timeIntervalSince(start)
    let sorted = samples.values.sorted()
    let p = { (q: Double) in sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
    print(String(format: "creates, %d threads: %.0f/s  p50 %.1f ms  p99 %.1f ms  max %.1f ms",
                 threads, Double(sorted.count) / elapsed, p(0.5), p(0.99), sorted.last ?? 0))
}

func getRun(threads: Int, perThread: Int, names: Int) {
    let start = Date()
    onThreads(threads) { t in
        for i in 0..<perThread {
            _ = try? store.get(ObjectKey(resource: "pods", namespace: "bench", name: "warm-\(t % 16)-\((i * 7) % names)"))
        }
    }
    let elapsed = Date().timeIntervalSince(start)
    print(String(format: "GET by key, %d thread(s): %.0f/s", threads, Double(threads * perThread) / elapsed))
}

createRun(threads: 16, perThread: 100, tag: "warm")
for round in 1...3 { createRun(threads: 16, perThread: 500, tag: "r\(round)") }
createRun(threads: 1, perThread: 500, tag: "single")
for _ in 0..<2 {
    getRun(threads: 1, perThread: 20_000, names: 100)
    getRun(threads: 2, perThread: 20_000, names: 100)
}
