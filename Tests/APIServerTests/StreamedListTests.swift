import Foundation
import HTTP
import Model
import Store
import Testing
@testable import APIServer

/// Unpaginated JSON lists are streamed page by page at one resourceVersion; paginated lists and
/// Tables are answered whole as before.
@Suite struct StreamedListTests {
    static func seed(_ store: MemoryStore, count: Int) throws {
        for i in 0..<count {
            let name = String(format: "lease-%05d", i)
            let lease: JSONValue = ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                    "metadata": ["name": .string(name), "namespace": "default", "uid": .string("u\(i)")]]
            _ = try store.create(ObjectKey(resource: "leases.coordination.k8s.io", namespace: "default", name: name),
                                 uid: "u\(i)", json: lease.serialized())
        }
    }

    @Test func aListLongerThanAPageIsStreamedWholeInOrderAtOneVersion() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let count = APIServer.streamedListPageSize * 2 + 345
        try Self.seed(api.store, count: count)
        let responder = CapturingResponder()
        api.server.handle(HTTPRequest(method: "GET", path: "/apis/coordination.k8s.io/v1/leases", query: [:], headers: [:]),
                          responder: responder)
        let (whole, stream) = responder.wait()
        #expect(whole == nil, "answered as a stream")
        let body = try #require(stream.map { $0.waitClosed() ? $0.rawText : "" })
        let list = try JSONValue.parse(body)
        #expect(list["kind"] == "LeaseList")
        let names = list["items"]?.array?.compactMap { $0.value(at: ["metadata", "name"])?.string } ?? []
        #expect(names.count == count)
        #expect(names == names.sorted())
        #expect(Set(names).count == count)
        #expect(list.value(at: ["metadata", "continue"]) == nil)
        #expect(Int64(list.value(at: ["metadata", "resourceVersion"])?.string ?? "") ?? 0 >= Int64(count))
    }

    @Test func pagedListsAndTablesAreNotStreamed() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        try Self.seed(api.store, count: 30)
        for (query, headers) in [(["limit": "10"], [String: String]()),
                                 ([:], ["accept": "application/json;as=Table;v=v1;g=meta.k8s.io"])] {
            let responder = CapturingResponder()
            api.server.handle(HTTPRequest(method: "GET", path: "/apis/coordination.k8s.io/v1/leases", query: query, headers: headers),
                              responder: responder)
            #expect(responder.wait().0?.status == 200)
        }
    }

    @Test func aBadSelectorIsStillAStatusBeforeAnyByte() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let answer = api.call("GET", "/apis/coordination.k8s.io/v1/leases", query: ["labelSelector": "a in (b"])
        #expect(answer.status == 400)
        #expect(answer.body["kind"] == "Status")
    }
}
