import Testing
@testable import Model

private func json(_ text: String) -> JSONValue {
    do { return try JSONValue.parse(text) } catch { fatalError("bad test JSON \(text): \(error)") }
}

@Suite struct MergePatchTests {
    /// RFC 7386 appendix A, plus the body `kubectl scale` sends.
    static let cases: [(String, String, String)] = [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        (#"{"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}}}}"#, #"{"spec":{"replicas":3}}"#,
         #"{"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}}}}"#),
    ]

    @Test(arguments: cases)
    func appliesRFC7386(_ original: String, _ patch: String, _ expected: String) {
        #expect(json(original).mergePatched(with: json(patch)) == json(expected))
    }

    @Test func keepsKeyOrderOfTheOriginal() {
        let patched = json(#"{"a":1,"b":2,"c":3}"#).mergePatched(with: json(#"{"b":20,"d":4}"#))
        #expect(patched.jsonString() == #"{"a":1,"b":20,"c":3,"d":4}"#)
    }
}

@Suite struct PatchTypeTests {
    @Test(arguments: [
        ("application/json-patch+json", PatchType.json),
        ("application/merge-patch+json", .merge),
        ("application/strategic-merge-patch+json", .strategicMerge),
        ("application/strategic-merge-patch+json; charset=utf-8", .strategicMerge),
        ("Application/Merge-Patch+JSON", .merge),
    ])
    func recognisesContentTypes(_ contentType: String, _ type: PatchType) {
        #expect(PatchType(contentType: contentType) == type)
    }

    @Test func rejectsUnknownContentTypes() {
        #expect(PatchType(contentType: "application/json") == nil)
        #expect(PatchType(contentType: "application/apply-patch+yaml") == nil)
    }

    @Test func appliesEachTypeFromABody() throws {
        let job = json(#"{"spec":{"backoffLimit":6,"parallelism":1}}"#)
        let merged = try PatchType.merge.apply(body: Array(#"{"spec":{"backoffLimit":3}}"#.utf8), to: job)
        #expect(merged == json(#"{"spec":{"backoffLimit":3,"parallelism":1}}"#))
        let jsonPatched = try PatchType.json.apply(body: Array(#"[{"op":"remove","path":"/spec/parallelism"}]"#.utf8), to: job)
        #expect(jsonPatched == json(#"{"spec":{"backoffLimit":6}}"#))
        let strategic = try PatchType.strategicMerge.apply(body: Array(#"{"spec":{"parallelism":null}}"#.utf8), to: job)
        #expect(strategic == json(#"{"spec":{"backoffLimit":6}}"#))
    }

    @Test(arguments: PatchType.allCases)
    func answersBadRequestForABodyThatIsNotJSON(_ type: PatchType) {
        #expect {
            _ = try type.apply(body: Array("{nope".utf8), to: .emptyObject)
        } throws: { error in
            let error = error as? StatusError
            return error?.code == 400 && error?.reason == "BadRequest" && error?.message.contains("not valid JSON") == true
        }
    }

    @Test func answersBadRequestForAMergePatchThatIsNotAnObject() {
        #expect(throws: StatusError.badRequest("a JSON merge patch must be a JSON object, not array.")) {
            _ = try PatchType.merge.apply(json("[1]"), to: .emptyObject)
        }
    }
}
