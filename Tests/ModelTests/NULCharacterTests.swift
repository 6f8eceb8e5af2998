import Foundation
import Model
import Testing

/// `\u0000` in a body: the parser notes it, admission refuses it with field paths (PostgreSQL's
/// jsonb cannot store it, so it must never reach the store).
@Suite struct NULCharacterTests {
    // (document, whether the parser notes a NUL)
    @Test(arguments: [
        (#"{"a":"plain"}"#, false),
        (#"{"a":"x\u0000y"}"#, true),          // in a value
        (#"{"a\u0000":"x"}"#, true),            // in a key
        (#"{"a":["ok",{"b":"\u0000"}]}"#, true), // deep in a list
        (#"{"a":"\\u0000"}"#, false),           // an escaped backslash then "u0000": six plain characters
        (#"{"a":"\u0001\u00e9"}"#, false),      // other escapes are not NULs
    ])
    func parserNotesNULEscapes(_ text: String, _ expected: Bool) throws {
        var containsNUL = !expected
        let value = try JSONValue.parse(Array(text.utf8), containsNUL: &containsNUL)
        #expect(containsNUL == expected)
        #expect(value == (try JSONValue.parse(text)))
    }

    @Test func aRawNULByteIsUndecodable() {
        let bytes: [UInt8] = Array(#"{"a":"x"#.utf8) + [0] + Array(#""}"#.utf8)
        var containsNUL = false
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes, containsNUL: &containsNUL) }
    }

    @Test func admissionNamesEveryNULWithItsPath() throws {
        let pod = try JSONValue.parse(#"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","uid":"u-1",
          "annotations":{"x":"a\u0000b","k\u0000":"v"}},
         "spec":{"containers":[{"name":"main","image":"busybox","args":["ok","ok","\u0000"]}],"foo":["a","b","c\u0000"]}}
        """#)
        var object = pod
        do {
            try Admission.admit(&object, resource: ResourceCatalog.pods, operation: .create, now: Date(), mayContainNUL: true)
            Issue.record("a NUL was admitted")
        } catch {
            #expect(error.code == 422)
            #expect(error.reason == "Invalid")
            #expect(error.causes.map(\.field) == ["metadata.annotations.x", #"metadata.annotations.k\u0000"#,
                                                  "spec.containers[0].args[2]", "spec.foo[2]"])
            #expect(error.causes.allSatisfy { $0.reason == "FieldValueInvalid" })
            #expect(error.causes[0].message == #"Invalid value: "a\x00b": NUL characters (\u0000) are not allowed"#)
            #expect(error.causes[1].message == #"Invalid value: "k\x00": NUL characters (\u0000) are not allowed in field names or map keys"#)
            #expect(error.message.hasPrefix(#"Pod "web" is invalid: [metadata.annotations.x: Invalid value: "a\x00b""#))
        }
    }

    @Test func aLongValueIsCutInTheMessage() throws {
        let long = String(repeating: "y", count: 500) + "\u{0}"
        var object: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "n", "labels": ["l": .string(long)]]]
        #expect(throws: StatusError.self) {
            try Admission.admit(&object, resource: ResourceCatalog.namespaces, operation: .create, now: Date())
        }
        do {
            try Admission.admit(&object, resource: ResourceCatalog.namespaces, operation: .create, now: Date())
        } catch {
            #expect(error.causes.count == 1)
            #expect(error.causes[0].field == "metadata.labels.l")
            // `Invalid value: "` (16) + 64 shown + `..."` (4) + `: NUL characters (\u0000) are not allowed` (41) = 125
            #expect(error.causes[0].message.count == 125)
        }
    }

    @Test func withoutTheParsersNoteTheTreeIsNotWalked() throws {
        // The API server passes the parser's flag; false means "no NUL was decoded", so admission
        // trusts it (the object here is built in code and would otherwise be refused).
        var object: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "n", "annotations": ["a": "\u{0}"]]]
        try Admission.admit(&object, resource: ResourceCatalog.namespaces, operation: .create, now: Date(), mayContainNUL: false)
        #expect(object.value(at: ["metadata", "annotations", "a"]) == "\u{0}")
    }
}
