import Foundation
import Model

/// N clients, each on its own keep-alive connection, create jobs back to back; prints throughput
/// and latency percentiles.
struct CreateBench {
    var port: UInt16
    var token: String
    var clients: Int
    var seconds: Double

    func run() throws {
        let collector = Collector()
        let run = UUID().uuidString.prefix(8).lowercased()
        let start = Date()
        let deadline = start.addingTimeInterval(seconds)
        let group = DispatchGroup()
        for client in 0..<clients {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                guard let http = try? RawHTTP(host: "127.0.0.1", port: port) else { return }
                var mine: [Double] = []
                var bad = 0
                var n = 0
                while Date() < deadline {
                    let job = BenchObjects.job(name: "c-\(run)-\(client)-\(n)")
                    n += 1
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    do {
                        try http.send("POST", "/apis/batch/v1/namespaces/default/jobs", token: token, body: job)
                        let (status, _) = try http.readResponse()
                        if status != 201 { bad += 1 }
                    } catch {
                        bad += 1
                        break
                    }
                    mine.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                }
                collector.add(mine)
                collector.count("failed", bad)
            }
        }
        group.wait()
        let elapsed = Date().timeIntervalSince(start)
        let sorted = collector.sorted
        let failures = collector.counter("failed")
        print(String(format: "creates: %d clients, %.1f s: %d created (%.0f/s), %d failed; latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f",
                     clients, elapsed, sorted.count - failures, Double(sorted.count - failures) / elapsed, failures,
                     percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.last ?? .nan))
    }
}

/// Request bodies used by the benchmarks.
enum BenchObjects {
    static func job(name: String, annotations: [String: String] = [:]) -> [UInt8] {
        let job: JSONValue = [
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": ["name": .string(name), "labels": ["bench": "api"], "annotations": JSONValue.stringMap(annotations)],
            "spec": ["template": ["spec": ["restartPolicy": "Never",
                                           "containers": [["name": "main", "image": "busybox", "command": ["true"]]]]]],
        ]
        return job.serialized()
    }
}
