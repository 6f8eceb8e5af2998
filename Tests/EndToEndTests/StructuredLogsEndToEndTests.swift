import Client
import Foundation
import Model
import Testing
import TestSupport

/// `drover up --log-format json --log-level apiserver=debug`: every log line is one JSON object
/// with ts, level, component and msg, and each request is logged once with its status and latency.
@Suite(.serialized) struct StructuredLogsEndToEndTests {
    @Test func requestsAreLoggedOnceAsJSONWithStatusAndLatency() async throws {
        try await offCooperativePool {
            let up = try DroverUp(arguments: ["--log-format", "json", "--log-level", "info,apiserver=debug"])
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            _ = try? await client.get(ResourceCatalog.jobs, namespace: "default", name: "no-such-job")
            let lines = await eventually(within: 20) { () -> [[String: Any]]? in
                let objects = up.logText.split(separator: "\n").filter { $0.hasPrefix("{") }
                    .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                return objects.contains { ($0["path"] as? String) == "/apis/batch/v1/namespaces/default/jobs/no-such-job" } ? objects : nil
            }
            let objects = try #require(lines, "\(up.logText)")
            // Every line that looks like JSON is JSON with the four keys.
            let jsonish = up.logText.split(separator: "\n").filter { $0.hasPrefix("{") }
            #expect(jsonish.count <= objects.count + 1)  // the last line may still be being written
            #expect(objects.allSatisfy { $0["ts"] is String && $0["level"] is String && $0["component"] is String && $0["msg"] is String })
            let mine = objects.filter { ($0["path"] as? String) == "/apis/batch/v1/namespaces/default/jobs/no-such-job" }
            #expect(mine.count == 1)
            #expect(mine.first?["component"] as? String == "apiserver")
            #expect(mine.first?["level"] as? String == "debug")
            #expect(mine.first?["verb"] as? String == "GET")
            #expect(mine.first?["status"] as? String == "404")
            #expect((mine.first?["latency"] as? String)?.hasSuffix("ms") == true)
            // The token never appears in a line.
            #expect(!up.logText.split(separator: "\n").filter { $0.hasPrefix("{") }.contains { $0.contains(up.token) })
        }
    }
}
