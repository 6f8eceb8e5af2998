import CLI
import Client
import Foundation
import Model
import Testing
import TestSupport

@Suite struct LogsCommandTests {
    final class Seen: @unchecked Sendable {
        let lock = NSLock()
        var requests: [RawRequest] = []
    }

    static func client(status: Int = 200, body: String = "hello\nworld\n", seen: Seen) -> FakeAPIClient {
        let client = FakeAPIClient()
        client.setRawHandler { request in
            seen.lock.withLock { seen.requests.append(request) }
            if status == 200 { return RawResponse(status: 200, body: Array(body.utf8)) }
            return RawResponse(status: status, json: StatusError.badRequest(body).statusObject)
        }
        return client
    }

    @Test func printsTheLogReadThroughPodsLogWithItsParameters() async throws {
        let seen = Seen()
        let result = await runCLI(["logs", "web", "-c", "main", "--tail", "5", "--previous", "-n", "team"], client: Self.client(seen: seen))
        #expect(result.status == 0)
        #expect(result.out == "hello\nworld\n")
        let request = try #require(seen.requests.first)
        #expect(request.path == "/api/v1/namespaces/team/pods/web/log")
        #expect(request.queryValue("container") == "main")
        #expect(request.queryValue("tailLines") == "5")
        #expect(request.queryValue("previous") == "true")
    }

    @Test func aServerRefusalIsReportedAndExitsOne() async {
        let seen = Seen()
        let result = await runCLI(["logs", "web"], client: Self.client(status: 400, body: "a container name must be specified", seen: seen))
        #expect(result.status == 1)
        #expect(result.err.contains("a container name must be specified"))
    }

    @Test func badUsageExitsTwo() async {
        #expect(await runCLI(["logs"]).status == 2)
        #expect(await runCLI(["logs", "web", "-f", "--previous"]).status == 2)
        #expect(await runCLI(["logs", "web", "--tail", "x"]).status == 2)
    }
}
