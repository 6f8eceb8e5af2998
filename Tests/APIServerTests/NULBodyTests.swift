import Foundation
import HTTP
import Model
import Store
import Testing
import TestSupport
@testable import APIServer

/// A `\u0000` anywhere in a written body is bad input (422 with the field path), on every write
/// path, and never reaches the store (PostgreSQL's jsonb refuses it, which used to surface as a 503).
@Suite struct NULBodyTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let mergePatch = ["Content-Type": "application/merge-patch+json"]

    /// An API server over `store`, called directly.
    struct Server {
        let store: any ObjectStore
        let server: APIServer

        init(store: any ObjectStore = MemoryStore()) throws {
            self.store = store
            server = try APIServer(configuration: APIServerConfiguration(store: store, authenticator: .allowAll))
        }

        @discardableResult
        func call(_ method: String, _ path: String, query: [String: String] = [:], _ body: String,
                  contentType: String = "application/json") -> (status: Int, body: JSONValue) {
            let request = HTTPRequest(method: method, path: path, query: query, headers: ["content-type": contentType],
                                      body: Array(body.utf8))
            let responder = CapturingResponder()
            server.handle(request, responder: responder)
            guard let response = responder.wait().0 else { return (0, .null) }
            return (response.status, (try? JSONValue.parse(response.body)) ?? .null)
        }

        func stored(_ name: String) -> JSONValue? {
            let key = ObjectKey(resource: ResourceCatalog.pods.storageName, namespace: "default", name: name)
            return (try? store.get(key)).flatMap { try? JSONValue.parse($0.json) }
        }

        func shutdown() { server.shutdown() }
    }

    static func pod(_ name: String, annotation: String = "ok", extra: String = "") -> String {
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","annotations":{"x":"\#(annotation)"}},"#
            + #""spec":{"containers":[{"name":"c","image":"busybox"}]\#(extra)}}"#
    }

    /// The answer is a 422 Invalid naming `field`, with the NUL message.
    static func expectNULRejected(_ reply: (status: Int, body: JSONValue), field: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == 422, "\(reply.body)", sourceLocation: sourceLocation)
        #expect(reply.body["reason"] == "Invalid", sourceLocation: sourceLocation)
        let causes = reply.body.value(at: ["details", "causes"])?.array ?? []
        #expect(causes.map { $0["field"]?.string ?? "" } == [field], sourceLocation: sourceLocation)
        #expect(causes.first?["message"]?.string?.contains(#"NUL characters (\u0000) are not allowed"#) == true,
                sourceLocation: sourceLocation)
    }

    @Test func createWithANULInAnAnnotationIsInvalidAndStoresNothing() throws {
        let api = try Server()
        defer { api.shutdown() }
        Self.expectNULRejected(api.call("POST", Self.pods, Self.pod("a", annotation: #"bad\u0000"#)), field: "metadata.annotations.x")
        #expect(api.stored("a") == nil)
    }

    @Test func createWithANULInAnUnknownFieldOrAKeyIsInvalid() throws {
        let api = try Server()
        defer { api.shutdown() }
        Self.expectNULRejected(api.call("POST", Self.pods, Self.pod("a", extra: #","foo":["a","b","\u0000"]"#)), field: "spec.foo[2]")
        Self.expectNULRejected(api.call("POST", Self.pods, Self.pod("a", extra: #","f\u0000o":1"#)), field: #"spec.f\u0000o"#)
        #expect(api.stored("a") == nil)
    }

    @Test func dryRunIsRefusedToo() throws {
        let api = try Server()
        defer { api.shutdown() }
        Self.expectNULRejected(api.call("POST", Self.pods, query: ["dryRun": "All"], Self.pod("a", annotation: #"\u0000"#)),
                               field: "metadata.annotations.x")
    }

    @Test func aRawNULByteIsABadRequest() throws {
        let api = try Server()
        defer { api.shutdown() }
        let reply = api.call("POST", Self.pods, Self.pod("a", annotation: "bad\u{0}"))
        #expect(reply.status == 400)
        #expect(reply.body["reason"] == "BadRequest")
        #expect(api.stored("a") == nil)
    }

    @Test func putAndStatusWritesWithANULAreInvalidAndLeaveTheObject() throws {
        let api = try Server()
        defer { api.shutdown() }
        #expect(api.call("POST", Self.pods, Self.pod("a")).status == 201)
        let before = api.stored("a")
        Self.expectNULRejected(api.call("PUT", "\(Self.pods)/a", Self.pod("a", annotation: #"\u0000"#)), field: "metadata.annotations.x")
        let status = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"status":{"message":"m\u0000"}}"#
        Self.expectNULRejected(api.call("PUT", "\(Self.pods)/a/status", status), field: "status.message")
        Self.expectNULRejected(api.call("PATCH", "\(Self.pods)/a/status", #"{"status":{"reason":"\u0000"}}"#,
                                        contentType: "application/merge-patch+json"), field: "status.reason")
        #expect(api.stored("a") == before)
    }

    // (content type, patch body, the field path of the NUL in the patched object)
    @Test(arguments: [
        ("application/merge-patch+json", #"{"metadata":{"annotations":{"x":"\u0000"}}}"#, "metadata.annotations.x"),
        ("application/strategic-merge-patch+json", #"{"spec":{"containers":[{"name":"c","args":["\u0000"]}]}}"#,
         "spec.containers[0].args[0]"),
        ("application/json-patch+json", #"[{"op":"add","path":"/metadata/annotations/y\u0000","value":"v"}]"#,
         #"metadata.annotations.y\u0000"#),
        ("application/json-patch+json", #"[{"op":"replace","path":"/metadata/annotations/x","value":"\u0000"}]"#,
         "metadata.annotations.x"),
        ("application/apply-patch+yaml", Self.pod("a", annotation: #"\u0000"#), "metadata.annotations.x"),
    ])
    func patchesThatLeaveANULAreInvalid(_ contentType: String, _ patch: String, _ field: String) throws {
        let api = try Server()
        defer { api.shutdown() }
        #expect(api.call("POST", Self.pods, Self.pod("a")).status == 201)
        let before = api.stored("a")
        Self.expectNULRejected(api.call("PATCH", "\(Self.pods)/a", patch, contentType: contentType), field: field)
        #expect(api.stored("a") == before)
    }

    @Test func aPatchWhoseNULDoesNotReachTheObjectIsAccepted() throws {
        let api = try Server()
        defer { api.shutdown() }
        #expect(api.call("POST", Self.pods, Self.pod("a")).status == 201)
        // A merge patch's null deletes the key: the NUL never reaches the store.
        let reply = api.call("PATCH", "\(Self.pods)/a", #"{"metadata":{"labels":{"k":null},"annotations":{"x":"fine"}},"spec":{"foo\u0000":null}}"#,
                             contentType: "application/merge-patch+json")
        #expect(reply.status == 200)
        #expect(api.stored("a")?.value(at: ["metadata", "annotations", "x"]) == "fine")
    }

    @Test func applyThatWouldCreateIsInvalidAndCreatesNothing() throws {
        let api = try Server()
        defer { api.shutdown() }
        let reply = api.call("PATCH", "\(Self.pods)/new", query: ["fieldManager": "kubectl"], Self.pod("new", annotation: #"\u0000"#),
                             contentType: "application/apply-patch+yaml")
        Self.expectNULRejected(reply, field: "metadata.annotations.x")
        #expect(api.stored("new") == nil)
    }

    @Test func bindingToANodeNameWithANULIsInvalid() throws {
        let api = try Server()
        defer { api.shutdown() }
        #expect(api.call("POST", Self.pods, Self.pod("a")).status == 201)
        let reply = api.call("POST", "\(Self.pods)/a/binding",
                             #"{"apiVersion":"v1","kind":"Binding","metadata":{"name":"a"},"target":{"kind":"Node","name":"n\u0000"}}"#)
        Self.expectNULRejected(reply, field: "target.name")
        #expect(api.stored("a")?.value(at: ["spec", "nodeName"]) == nil)
    }

    @Test func storeRejectionsAreBadRequestsNotOutages() throws {
        let api = try Server()
        defer { api.shutdown() }
        let error = api.server.statusError(.rejected("unsupported Unicode escape sequence (SQLSTATE 22P05)"),
                                           resource: ResourceCatalog.pods, name: "a")
        #expect(error.code == 400)
        #expect(error.reason == "BadRequest")
        #expect(api.server.statusError(.unavailable("connection refused"), resource: ResourceCatalog.pods, name: "a").code == 503)
    }

    @Test func onPostgreSQLANULBodyIsInvalidAndNothingIsStored() async throws {
        try await offCooperativePool {
            let store = try TemporaryPostgres.makeStore()
            defer { store.close() }
            let api = try Server(store: store)
            defer { api.shutdown() }
            Self.expectNULRejected(api.call("POST", Self.pods, Self.pod("a", annotation: #"\u0000"#)), field: "metadata.annotations.x")
            #expect(api.stored("a") == nil)
            #expect(api.call("POST", Self.pods, Self.pod("a")).status == 201)
            let before = api.stored("a")
            Self.expectNULRejected(api.call("PATCH", "\(Self.pods)/a", #"{"metadata":{"annotations":{"x":"\u0000"}}}"#,
                                            contentType: "application/merge-patch+json"), field: "metadata.annotations.x")
            #expect(api.stored("a") == before)
            // Should a NUL ever get past admission, the database's refusal (22P05) is still bad
            // input for the API, not an outage.
            let key = ObjectKey(resource: ResourceCatalog.pods.storageName, namespace: "default", name: "raw")
            do throws(StoreError) {
                _ = try store.create(key, uid: "u", json: Array(#"{"a":"\u0000"}"#.utf8))
                Issue.record("PostgreSQL stored a NUL")
            } catch {
                guard case .rejected(let why) = error else { Issue.record("expected .rejected, got \(error)"); return }
                #expect(why.contains("22P05"))
                #expect(api.server.statusError(error, resource: ResourceCatalog.pods, name: "raw").code == 400)
            }
            #expect(api.stored("raw") == nil)
            // libpq passes parameters as C strings: a NUL in a name from the URL must not be cut
            // off, or `a\0x` would address the pod `a`.
            let get = api.call("GET", "\(Self.pods)/a\u{0}x", "")
            #expect(get.status == 400)
            #expect(api.call("DELETE", "\(Self.pods)/a\u{0}x", "").status == 400)
            #expect(api.stored("a") == before)
        }
    }
}
