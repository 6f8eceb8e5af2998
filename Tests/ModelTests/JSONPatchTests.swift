import Testing
@testable import Model

private func json(_ text: String) -> JSONValue {
    do { return try JSONValue.parse(text) } catch { fatalError("bad test JSON \(text): \(error)") }
}

@Suite struct JSONPatchTests {
    static let deployment = #"{"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"3","kubernetes.io/change-cause":"v3","a~b":"x"}},"spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"web:3"}]}}}}"#

    /// (description, patch, expected result) applied to `deployment`.
    static let cases: [(String, String, String)] = [
        ("rollout undo, exactly as kubectl sends it",
         #"[{"op":"replace","path":"/spec/template","value":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"web:2"}]}}},{"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"2"}}]"#,
         #"{"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"2"}},"spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"web:2"}]}}}}"#),
        ("add a new field",
         #"[{"op":"add","path":"/spec/paused","value":true}]"#,
         #"{"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"3","kubernetes.io/change-cause":"v3","a~b":"x"}},"spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"web:3"}]}},"paused":true}}"#),
        ("insert at an index and append with -",
         #"[{"op":"add","path":"/spec/template/spec/containers/0","value":{"name":"init"}},{"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"tail"}}]"#,
         #"{"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"3","kubernetes.io/change-cause":"v3","a~b":"x"}},"spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"init"},{"name":"main","image":"web:3"},{"name":"tail"}]}}}}"#),
        ("remove with ~1 and ~0 escapes",
         #"[{"op":"remove","path":"/metadata/annotations/kubernetes.io~1change-cause"},{"op":"remove","path":"/metadata/annotations/a~0b"}]"#,
         #"{"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"3"}},"spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"web:3"}]}}}}"#),
        ("test then replace an array element's field",
         #"[{"op":"test","path":"/spec/replicas","value":2.0},{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"web:4"}]"#,
         #"{"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"3","kubernetes.io/change-cause":"v3","a~b":"x"}},"spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"web:4"}]}}}}"#),
        ("move and copy",
         #"[{"op":"move","from":"/spec/replicas","path":"/metadata/replicas"},{"op":"copy","from":"/metadata/name","path":"/spec/name"}]"#,
         #"{"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"3","kubernetes.io/change-cause":"v3","a~b":"x"},"replicas":2},"spec":{"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"web:3"}]}},"name":"web"}}"#),
        ("replace the whole document with the empty pointer",
         #"[{"op":"replace","path":"","value":{"kind":"Other"}}]"#,
         #"{"kind":"Other"}"#),
        ("an empty patch changes nothing", "[]", deployment),
    ]

    @Test(arguments: cases)
    func appliesOperationsInOrder(_ description: String, _ patch: String, _ expected: String) throws {
        let result = try JSONPatch(parsing: json(patch)).applied(to: json(Self.deployment))
        #expect(result == json(expected), "\(description)")
    }

    /// (patch, status code, message fragment)
    static let failures: [(String, Int, String)] = [
        (#"{"op":"add"}"#, 400, "must be a JSON array"),
        (#"[1]"#, 400, "must be an object"),
        (#"[{"path":"/a"}]"#, 400, "no \"op\""),
        (#"[{"op":"add","value":1}]"#, 400, "no \"path\""),
        (#"[{"op":"add","path":"/a"}]"#, 400, "no \"value\""),
        (#"[{"op":"move","path":"/a"}]"#, 400, "no \"from\""),
        (#"[{"op":"frobnicate","path":"/a"}]"#, 400, "unknown op \"frobnicate\""),
        (#"[{"op":"test","path":"/spec/replicas","value":3}]"#, 422, "test of \"/spec/replicas\" failed"),
        (#"[{"op":"remove","path":"/spec/nope"}]"#, 422, "\"/spec/nope\" does not exist"),
        (#"[{"op":"replace","path":"/spec/nope","value":1}]"#, 422, "\"/spec/nope\" does not exist"),
        (#"[{"op":"add","path":"/nope/deeper","value":1}]"#, 422, "parent of \"/nope/deeper\""),
        (#"[{"op":"add","path":"/spec/template/spec/containers/2","value":{}}]"#, 422, "out of bounds for an array of 1"),
        (#"[{"op":"remove","path":"/spec/template/spec/containers/1"}]"#, 422, "out of bounds"),
        (#"[{"op":"remove","path":"/spec/template/spec/containers/-"}]"#, 422, "not a valid array index"),
        (#"[{"op":"replace","path":"/spec/template/spec/containers/00","value":{}}]"#, 422, "not a valid array index"),
        (#"[{"op":"remove","path":"spec"}]"#, 422, "must be empty or start with \"/\""),
        (#"[{"op":"remove","path":"/metadata/a~2b"}]"#, 422, "invalid escape \"~2\""),
        (#"[{"op":"move","from":"/spec","path":"/spec/inner"}]"#, 422, "into its own child"),
        (#"[{"op":"remove","path":""}]"#, 422, "whole object cannot be removed"),
    ]

    @Test(arguments: failures)
    func rejectsBadPatchesWithTheUpstreamStatus(_ patch: String, _ code: Int, _ fragment: String) {
        #expect {
            _ = try JSONPatch(parsing: json(patch)).applied(to: json(Self.deployment))
        } throws: { error in
            guard let error = error as? StatusError else { return false }
            let reason = code == 400 ? "BadRequest" : "Invalid"
            return error.code == code && error.reason == reason && error.message.contains(fragment)
        }
    }

    @Test func parsesPointerEscapesInOrder() throws {
        #expect(try JSONPointer("/a~01/b~10/").tokens == ["a~1", "b/0", ""])
        #expect(try JSONPointer("").tokens == [])
    }
}
