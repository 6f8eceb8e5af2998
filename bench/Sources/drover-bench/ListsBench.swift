import Foundation
import Model

/// Lists at scale (issue 16): optionally creates `pods` pods (no requests, labelled `shard=0…9`)
/// and waits until the scheduler has bound them all, then times pages of 500 — the first page
/// (JSON and kubectl's Table), every continue page of one walk over the whole list, and a label
/// selector matching a tenth — and prints p50/p99/max for each, with the rows seen.
struct ListsBench {
    var port: UInt16
    var token: String
    var pods: Int
    var clients: Int
    var rounds: Int
    /// Wait for the scheduler to bind every created pod (false when none runs).
    var waitBound = true

    static let table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

    func run() throws {
        if pods > 0 { try create() }
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        var first: [Double] = [], tables: [Double] = []
        for _ in 0..<rounds {
            first.append(try time(http, "/api/v1/pods?limit=500").ms)
            tables.append(try time(http, "/api/v1/pods?limit=500", accept: Self.table).ms)
        }
        report("first page (JSON)", first, rows: 500)
        report("first page (Table)", tables, rows: 500)
        let (pages, rows) = try walk(http, "/api/v1/pods?limit=500")
        report("continue pages (one walk)", Array(pages.dropFirst()), rows: rows)
        let (selected, selectedRows) = try walk(http, "/api/v1/pods?limit=500&labelSelector=shard%3D3")
        report("selector shard=3 pages", selected, rows: selectedRows)
        let (tablePages, tableRows) = try walk(http, "/api/v1/pods?limit=500", accept: Self.table)
        report("continue pages (Table walk)", Array(tablePages.dropFirst()), rows: tableRows)
    }

    /// Creates the pods and waits for every one to be bound.
    private func create() throws {
        let run = UUID().uuidString.prefix(8).lowercased()
        let created = Stamps(count: pods)
        let start = Date()
        let failed = createPodsConcurrently(port: port, token: token, count: pods, clients: clients, created: created) { i in
            let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                                  "metadata": ["name": .string("l-\(run)-\(i)"), "labels": ["run": .string(run), "shard": .string("\(i % 10)")]],
                                  "spec": ["restartPolicy": "Always", "containers": [["name": "main", "image": "busybox"]]]]
            return pod.serialized()
        }
        let made = Date().timeIntervalSince(start)
        print(String(format: "lists: %d pods created in %.1f s (%.0f/s, %d failures)", pods, made, Double(pods) / made, failed))
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        while waitBound {
            try http.send("GET", "/api/v1/pods?limit=1&fieldSelector=spec.nodeName%3D", token: token)
            let (_, body) = try http.readResponse()
            if (try? JSONValue.parse(body))?["items"]?.array?.isEmpty ?? false { break }
            Thread.sleep(forTimeInterval: 1)
        }
        print(String(format: "lists: all bound %.1f s after the first create", Date().timeIntervalSince(start)))
    }

    private func time(_ http: RawHTTP, _ path: String, accept: String? = nil) throws -> (ms: Double, body: JSONValue) {
        let start = Date()
        try http.send("GET", path, token: token, accept: accept)
        let (status, body) = try http.readResponse()
        let ms = Date().timeIntervalSince(start) * 1000
        guard status == 200 else { throw BenchError("GET \(path): \(status) \(String(decoding: body.prefix(300), as: UTF8.self))") }
        return (ms, (try? JSONValue.parse(body)) ?? .null)
    }

    /// Follows `continue` from the first page to the last; returns each page's time and the rows.
    private func walk(_ http: RawHTTP, _ path: String, accept: String? = nil) throws -> ([Double], Int) {
        var times: [Double] = [], rows = 0, token: String? = nil
        repeat {
            let next = token.map { path + "&continue=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? path
            let (ms, body) = try time(http, next, accept: accept)
            times.append(ms)
            rows += (body["items"] ?? body["rows"])?.array?.count ?? 0
            token = body["metadata"]?["continue"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return (times, rows)
    }

    private func report(_ name: String, _ times: [Double], rows: Int) {
        let sorted = times.sorted()
        print(String(format: "  %@: %d requests, %d rows, ms p50 %.1f p99 %.1f max %.1f", name, sorted.count, rows,
                     percentile(sorted, 50), percentile(sorted, 99), sorted.last ?? .nan))
    }
}
