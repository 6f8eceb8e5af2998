import Foundation
import Model

/// Opens N watches on jobs, then creates jobs stamped with their send time; each watcher records
/// how long every event took to reach it. Prints percentiles over all (watcher, event) pairs.
struct WatchLatencyBench {
    var port: UInt16
    var token: String
    var watchers: Int
    var events: Int

    func run() throws {
        let run = UUID().uuidString.prefix(8).lowercased()
        let collector = Collector()
        let group = DispatchGroup()
        for _ in 0..<watchers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let http = try RawHTTP(host: "127.0.0.1", port: port)
                    try http.send("GET", "/apis/batch/v1/namespaces/default/jobs?watch=true&labelSelector=run%3D\(run)", token: token)
                    _ = try http.readHead()
                    collector.count("ready")
                    var seen = 0
                    try http.readEvents(while: { seen < events }) { event, now in
                        guard let sent = event.value(at: ["object", "metadata", "annotations", "bench/sent"])?.string,
                              let t = Double(sent) else { return }
                        seen += 1
                        collector.add((now - t) * 1000)
                    }
                } catch {
                    print("watcher: \(error)")
                }
            }
        }
        while collector.counter("ready") < watchers { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.2)
        let writer = try RawHTTP(host: "127.0.0.1", port: port)
        let writes = Collector()
        for n in 0..<events {
            var job = try JSONValue.parse(BenchObjects.job(name: "w-\(run)-\(n)", annotations: ["bench/sent": String(Date().timeIntervalSince1970)]))
            job.setValue(.string(run), at: ["metadata", "labels", "run"])
            let t0 = DispatchTime.now().uptimeNanoseconds
            try writer.send("POST", "/apis/batch/v1/namespaces/default/jobs", token: token, body: job.serialized())
            _ = try writer.readResponse()
            writes.add(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            Thread.sleep(forTimeInterval: 0.01)
        }
        group.wait()
        let sorted = collector.sorted
        let writeLatencies = writes.sorted
        print(String(format: "watch fan-out: %d watchers × %d events = %d deliveries; latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f",
                     watchers, events, sorted.count, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.last ?? .nan))
        print(String(format: "  (the creates themselves, sent to commit: p50 %.2f p99 %.2f max %.2f ms; delivery is measured from before the create)",
                     percentile(writeLatencies, 50), percentile(writeLatencies, 99), writeLatencies.last ?? .nan))
    }
}
