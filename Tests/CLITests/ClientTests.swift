@testable import Client
import CLI
import TestSupport
import Foundation
import Model
import Testing

@Suite struct ClientUnitTests {
    @Test func statusBodiesDecodeIntoStatusErrors() {
        let original = StatusError.invalid(kind: "Job", group: "batch", name: "bad", causes: [
            StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.template"),
        ])
        #expect(StatusError.decode(body: original.statusObject.serialized(), httpStatus: 422) == original)
        let plain = StatusError.decode(body: Array("upstream broke".utf8), httpStatus: 502)
        #expect(plain.code == 502 && plain.reason == "InternalError" && plain.message == "upstream broke")
        #expect(StatusError.decode(body: [], httpStatus: 404).reason == "NotFound")
    }

    @Test func pathsFollowTheKubernetesLayout() throws {
        #expect(ResourcePath.collection(ResourceCatalog.pods, namespace: "ns") == "/api/v1/namespaces/ns/pods")
        #expect(ResourcePath.collection(ResourceCatalog.pods, namespace: nil) == "/api/v1/pods")
        #expect(ResourcePath.collection(ResourceCatalog.nodes, namespace: "ignored") == "/api/v1/nodes")
        #expect(try ResourcePath.object(ResourceCatalog.jobs, namespace: "d", name: "j", subresource: "status")
            == "/apis/batch/v1/namespaces/d/jobs/j/status")
        #expect(throws: ClientError.self) { try ResourcePath.object(ResourceCatalog.jobs, namespace: nil, name: "j") }
        #expect(throws: ClientError.self) { try ResourcePath.object(ResourceCatalog.nodes, namespace: nil, name: "") }
    }

    @Test func queryValuesArePercentEncoded() {
        let request = RawRequest(path: "/api/v1/pods", query: [("labelSelector", "app in (a,b),x!=y"), ("limit", "5")])
        #expect(request.pathWithQuery == "/api/v1/pods?labelSelector=app%20in%20%28a%2Cb%29%2Cx%21%3Dy&limit=5")
    }

    @Test func lineSplitterHandlesArbitraryChunks() {
        var splitter = LineSplitter()
        #expect(splitter.append(Array("{\"a\"".utf8)).isEmpty)
        #expect(splitter.append(Array(":1}\r\n\n{\"b\":2}\n{\"c\"".utf8)) == [Array("{\"a\":1}".utf8), Array("{\"b\":2}".utf8)])
        #expect(splitter.finish() == Array("{\"c\"".utf8))
        #expect(splitter.finish() == nil)
    }

    @Test func watchErrorEventsBecomeTypedErrors() throws {
        let expired = try WatchEvent.decode(line: Array(#"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old"}}"#.utf8))
        #expect(expired.error as? ClientError == .watchExpired(StatusError(code: 410, reason: "Expired", message: "too old")))
        let added = try WatchEvent.decode(line: Array(#"{"type":"ADDED","object":{"metadata":{"resourceVersion":"7"}}}"#.utf8))
        #expect(added.type == .added && added.resourceVersion == "7" && added.error == nil)
        #expect(throws: ClientError.self) { try WatchEvent.decode(line: Array(#"{"type":"NOPE"}"#.utf8)) }
    }

    @Test func deleteOptionsBodyMatchesKubectl() {
        #expect(DeleteOptions().body.jsonString() == #"{"propagationPolicy":"Background"}"#)
        #expect(DeleteOptions(propagationPolicy: nil, gracePeriodSeconds: 0).body == ["gracePeriodSeconds": 0])
    }
}

@Suite struct HTTPAPIClientTests {
    static func response(_ status: String, _ body: String) -> [String] {
        ["HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"]
    }

    @Test func getSendsTokenAndDecodesObjectsAndStatusErrors() async throws {
        let notFound = StatusError.notFound(resource: "jobs", group: "batch", name: "x").statusObject.jsonString()
        let server = try ScriptedHTTPServer(replies: [
            Self.response("200 OK", #"{"kind":"Job","metadata":{"name":"j"}}"#),
            Self.response("404 Not Found", notFound),
        ])
        let client = try HTTPAPIClient(server: server.url + "/", token: "tok")
        let job = try await client.get(ResourceCatalog.jobs, namespace: "default", name: "j")
        #expect(job["kind"] == "Job")
        await #expect(throws: StatusError.notFound(resource: "jobs", group: "batch", name: "x")) {
            try await client.get(ResourceCatalog.jobs, namespace: "default", name: "x")
        }
        let head = try #require(server.requests.first)
        #expect(head.hasPrefix("GET /apis/batch/v1/namespaces/default/jobs/j HTTP/1.1\r\n"))
        #expect(head.lowercased().contains("authorization: bearer tok\r\n"))
    }

    @Test func listFollowsContinueTokens() async throws {
        let server = try ScriptedHTTPServer(replies: [
            Self.response("200 OK", #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"10","continue":"c1"},"items":[{"metadata":{"name":"a"}}]}"#),
            Self.response("200 OK", #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"10"},"items":[{"metadata":{"name":"b"}}]}"#),
        ])
        let client = try HTTPAPIClient(server: server.url, token: nil)
        let list = try await client.list(ResourceCatalog.pods, namespace: nil, options: ListOptions(labelSelector: "app=web", limit: 1))
        #expect(list.items.map(\.metadataName) == ["a", "b"])
        #expect(list.resourceVersion == "10" && list.continueToken == nil)
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.hasPrefix("GET /api/v1/pods?labelSelector=app%3Dweb&limit=1&continue=c1 ") == true)
    }

    @Test func watchStreamsChunkedEventsAndEndsWithExpiry() async throws {
        let line1 = #"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}"# + "\n"
        let line2 = #"{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"6"}}}"# + "\n"
        let expired = #"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 1 (5)"}}"# + "\n"
        let server = try ScriptedHTTPServer(replies: [[
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            ScriptedHTTPServer.chunk(String(line1.prefix(20))), "SLEEP",
            ScriptedHTTPServer.chunk(String(line1.dropFirst(20)) + line2), "SLEEP",
            ScriptedHTTPServer.chunk(expired), "0\r\n\r\n",
        ]])
        let client = try HTTPAPIClient(server: server.url, token: nil)
        var events: [WatchEvent] = []
        do {
            for try await event in client.watch(ResourceCatalog.pods, namespace: "default",
                                                options: WatchOptions(resourceVersion: "4", timeoutSeconds: 30, allowBookmarks: true)) {
                events.append(event)
            }
            Issue.record("the stream should end with an error")
        } catch let error as ClientError {
            guard case .watchExpired(let status) = error else { Issue.record("unexpected \(error)"); return }
            #expect(status.code == 410)
        }
        #expect(events.map(\.type) == [.added, .modified])
        #expect(events.map(\.resourceVersion) == ["5", "6"])
        #expect(server.requests.first?.hasPrefix("GET /api/v1/namespaces/default/pods?watch=true&resourceVersion=4&timeoutSeconds=30&allowWatchBookmarks=true ") == true)
    }

    @Test func watchThatEndsNormallyFinishesTheStream() async throws {
        let server = try ScriptedHTTPServer(replies: [[
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            ScriptedHTTPServer.chunk(#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}"#), "0\r\n\r\n",
        ]])
        let client = try HTTPAPIClient(server: server.url, token: nil)
        var types: [WatchEvent.EventType] = []
        for try await event in client.watch(ResourceCatalog.jobs, namespace: nil, options: WatchOptions()) { types.append(event.type) }
        #expect(types == [.bookmark])
    }

    @Test func unreachableServerNamesTheURL() async throws {
        // Bind and close a port so nothing listens on it.
        let port = try ScriptedHTTPServer(replies: []).port
        let client = try HTTPAPIClient(server: "http://127.0.0.1:\(port)", token: nil)
        do {
            _ = try await client.get(ResourceCatalog.nodes, namespace: nil, name: "n")
            Issue.record("expected a connection error")
        } catch let error as ClientError {
            #expect(error.description.contains("http://127.0.0.1:\(port)"))
        }
        #expect(throws: ClientError.self) { try HTTPAPIClient(server: "localhost:8080", token: nil) }
    }
}

@Suite struct CLIOverHTTPTests {
    @Test func getRequestsATableOverHTTPAndPrintsIt() async throws {
        let table = #"{"kind":"Table","apiVersion":"meta.k8s.io/v1","columnDefinitions":[{"name":"Name","priority":0},{"name":"Status","priority":0}],"rows":[{"cells":["hello","Complete"],"object":{"metadata":{"name":"hello","namespace":"default"}}}]}"#
        let server = try ScriptedHTTPServer(replies: [HTTPAPIClientTests.response("200 OK", table)])
        let output = CapturedOutput()
        var context = output.context(client: FakeAPIClient())
        context.makeClient = { options in try HTTPAPIClient(config: try options.resolve(environment: [:])) }
        let status = await DroverCLI.run(["get", "jobs", "--server", server.url, "--token", "t"], context: context)
        #expect(status == 0)
        #expect(output.out == "NAME    STATUS\nhello   Complete\n")
        let head = try #require(server.requests.first).lowercased()
        #expect(head.hasPrefix("get /apis/batch/v1/namespaces/default/jobs?limit=500 http/1.1"), "lists go in pages of 500, as kubectl's")
        #expect(head.contains("accept: application/json;as=table;v=v1;g=meta.k8s.io,application/json\r\n"))
    }
}

@Suite struct PagedGetTests {
    @Test func aLongListIsPrintedPageByPageWithOneHeaderAndColumnsThatOnlyWiden() async throws {
        let client = FakeAPIClient()
        client.setRawHandler { request in
            let token = request.query.first { $0.0 == "continue" }?.1
            #expect(request.query.contains { $0 == ("limit", token == nil ? "500" : "5000") })
            let (rows, next): ([String], String) = token == nil ? (["a", "bb"], "page2") : (["a-much-longer-name"], "")
            let table: JSONValue = ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": ["continue": .string(next), "resourceVersion": "7"],
                                    "columnDefinitions": [["name": "Name", "priority": 0], ["name": "Status", "priority": 0]],
                                    "rows": .array(rows.map { ["cells": [.string($0), "Running"], "object": ["metadata": ["name": .string($0)]]] })]
            return RawResponse(status: 200, json: table)
        }
        let result = await runCLI(["get", "pods"], client: client)
        #expect(result.status == 0)
        #expect(result.out == "NAME   STATUS\na      Running\nbb     Running\na-much-longer-name   Running\n")
    }
}
