@testable import Agent
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTP
import Testing

@Suite struct LogServerTests {
    /// A log server on 127.0.0.1:0 over a temporary data directory with pod default/web (uid u-1):
    /// container main at restart 1 (restart 0's log kept), running as `running` says.
    final class Fixture: @unchecked Sendable {
        let paths = AgentPaths(dataDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("logs-\(UUID().uuidString)").path)
        let index = LogIndex()
        let server: HTTPServer

        init(running: Bool = true) throws {
            server = try HTTPServer(configuration: HTTPServerConfiguration(port: 0, workerThreads: 4),
                                    handler: LogServer(index: index, paths: paths, token: "secret", pollInterval: 0.01), log: { _ in })
            setRunning(running)
            AgentPaths.makeDirectory(paths.pod("u-1") + "/main")
            try write("old 1\nold 2\n", restart: 0)
            try write("line 1\nline 2\nline 3\n", restart: 1)
        }

        func setRunning(_ running: Bool) {
            index.set(namespace: "default", name: "web", pod: LogIndex.Pod(uid: "u-1", containers: [
                (name: "main", state: LogIndex.Container(restart: 1, running: running, hasPrevious: true)),
            ]))
        }

        func write(_ text: String, restart: Int) throws {
            try text.write(toFile: paths.log("u-1", container: "main", restart: restart), atomically: false, encoding: .utf8)
        }

        func append(_ text: String) throws {
            let handle = try #require(FileHandle(forWritingAtPath: paths.log("u-1", container: "main", restart: 1)))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }

        func get(_ pathAndQuery: String, token: String? = "secret") async throws -> (Int, String) {
            var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(server.port)\(pathAndQuery)")))
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }

        deinit { server.stop() }
    }

    @Test func theWholeLogAndItsTail() async throws {
        let fixture = try Fixture()
        #expect(try await fixture.get("/logs/default/web/main") == (200, "line 1\nline 2\nline 3\n"))
        #expect(try await fixture.get("/logs/default/web/main?tailLines=2") == (200, "line 2\nline 3\n"))
        #expect(try await fixture.get("/logs/default/web?limitBytes=4") == (200, "line"))
    }

    @Test func previousReadsTheEarlierInstance() async throws {
        let fixture = try Fixture()
        #expect(try await fixture.get("/logs/default/web/main?previous=true") == (200, "old 1\nold 2\n"))
    }

    @Test func timestampsPrefixEachLine() async throws {
        let fixture = try Fixture()
        let (_, body) = try await fixture.get("/logs/default/web/main?timestamps=true&tailLines=1")
        #expect(body.hasSuffix("Z line 3\n"))
    }

    @Test func followStreamsAppendedOutputUntilTheContainerEnds() async throws {
        let fixture = try Fixture()
        // Whether line 4 arrives with the first read or while following, the body is the same.
        let reader = Task { try await fixture.get("/logs/default/web/main?follow=true") }
        try await Task.sleep(nanoseconds: 100_000_000)
        try fixture.append("line 4\n")
        try await Task.sleep(nanoseconds: 100_000_000)
        fixture.setRunning(false)
        #expect(try await reader.value == (200, "line 1\nline 2\nline 3\nline 4\n"))
    }

    @Test func requestsWithoutTheTokenOrForUnknownPodsAreRefused() async throws {
        let fixture = try Fixture()
        #expect(try await fixture.get("/logs/default/web/main", token: nil).0 == 401)
        #expect(try await fixture.get("/logs/default/other/main").0 == 404)
        #expect(try await fixture.get("/logs/default/web/sidecar").0 == 400)
        #expect(try await fixture.get("/logs/default/web/main?tailLines=many").0 == 400)
    }
}
