@testable import CLI
import Model
import Testing

@Suite struct YAMLReaderTests {
    func read(_ text: String) throws -> JSONValue {
        let documents = try YAMLReader.documents(Array(text.utf8))
        return try #require(documents.first)
    }

    @Test(arguments: [
        ("1", JSONValue.int(1)), ("-12", .int(-12)), ("+7", .int(7)), ("1_000", .int(1000)), ("0x1F", .int(31)),
        ("0o17", .int(15)), ("0755", .int(493)), ("0b101", .int(5)), ("1.5", .double(1.5)), ("1e3", .double(1000)),
        (".5", .double(0.5)), ("09", .double(9)), ("true", .bool(true)), ("True", .bool(true)), ("yes", .bool(true)),
        ("on", .bool(true)), ("Y", .bool(true)), ("NO", .bool(false)), ("off", .bool(false)), ("n", .bool(false)),
        ("null", .null), ("~", .null), ("", .null), ("hello", .string("hello")), ("1.2.3", .string("1.2.3")),
        ("-x", .string("-x")), ("0x", .string("0x")), ("10.0.0.1", .string("10.0.0.1")), ("nil", .string("nil")),
        ("9223372036854775807", .int(Int64.max)), ("-9223372036854775808", .int(Int64.min)),
    ])
    func plainScalarsAreTypedAsYAML11(text: String, expected: JSONValue) throws {
        #expect(try read("v: \(text)\n")["v"] == expected)
    }

    @Test func quotedAndTaggedScalarsStayStrings() throws {
        let value = try read("a: \"1\"\nb: 'true'\nc: !!str 12\nd: |\n  line\ne: >-\n  folded\n  text\n")
        #expect(value == ["a": "1", "b": "true", "c": "12", "d": "line\n", "e": "folded text"])
    }

    @Test func keysAreResolvedThenStringified() throws {
        #expect(try read("yes: 1\n2: two\n\"on\": x\n") == ["true": 1, "2": "two", "on": "x"])
    }

    @Test func multipleDocumentsAndEmptyOnes() throws {
        let documents = try YAMLReader.documents(Array("a: 1\n---\n---\nb: [x, 2]\n".utf8))
        #expect(documents == [["a": 1], .null, ["b": ["x", 2]]])
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let value = try read("base: &b {a: 1, b: 2}\nref: *b\nmerged:\n  <<: *b\n  b: 3\n")
        #expect(value["ref"] == ["a": 1, "b": 2])
        #expect(value["merged"] == ["b": 3, "a": 1])
    }

    @Test func errorsNameTheLine() {
        #expect(throws: YAMLError.self) { try YAMLReader.documents(Array("a: [1\nb: 2\n".utf8)) }
        #expect(throws: YAMLError.self) { try YAMLReader.documents(Array("a: *missing\n".utf8)) }
        #expect(throws: YAMLError.self) { try YAMLReader.documents(Array("a: .inf\n".utf8)) }
        do {
            _ = try YAMLReader.documents(Array("a: 1\n b: 2\n".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("line 2"))
        }
    }

    @Test func manifestsExpandListsAndSkipEmptyDocuments() throws {
        let text = "---\nkind: List\napiVersion: v1\nitems:\n- {kind: Job, metadata: {name: a}}\n- {kind: Job, metadata: {name: b}}\n---\nkind: Pod\n"
        let objects = try ManifestReader.objects(in: Array(text.utf8), source: "f")
        #expect(objects.map { $0["kind"] } == ["Job", "Job", "Pod"])
        let json = try ManifestReader.objects(in: Array("{\"kind\":\"Pod\",\"n\":12345678901234}".utf8), source: "f")
        #expect(json == [["kind": "Pod", "n": 12_345_678_901_234]])
        #expect(throws: CLIError.self) { try ManifestReader.objects(in: Array("- 1\n- 2\n".utf8), source: "f") }
    }
}

@Suite struct YAMLWriterTests {
    @Test func rendersBlockStyleLikeKubectl() {
        let value: JSONValue = ["apiVersion": "v1", "metadata": ["name": "x", "labels": .emptyObject],
                                "spec": ["containers": [["name": "a", "args": ["1", "true", "plain"]]], "list": []]]
        #expect(YAMLWriter.render(value) == """
        apiVersion: v1
        metadata:
          name: x
          labels: {}
        spec:
          containers:
          - name: a
            args:
            - '1'
            - 'true'
            - plain
          list: []

        """)
    }

    @Test(arguments: ["", "1", "0x10", "yes", "Null", "~", "- x", "a: b", "a #b", "#x", " lead", "trail ", "it's", "*ref",
                      "2024-01-02", "1:20", "line\nbreak\n", "two\n\n", "no end\nline", "tab\there", "bell\u{07}", "{x}",
                      "@at", "ünï", "10.0.0.1", "<<", "x:"])
    func stringsReadBackUnchanged(text: String) throws {
        var value: JSONValue = ["k": .string(text), "list": [.string(text)]]
        value[text] = 1
        let yaml = YAMLWriter.render(value)
        #expect(try YAMLReader.documents(Array(yaml.utf8)) == [value], "\(yaml)")
    }

    @Test func scalarsOfOtherTypesReadBack() throws {
        let value: JSONValue = ["i": -3, "d": 1.5, "b": false, "n": .null, "nested": [[1, 2], ["a": [:]]]]
        #expect(try YAMLReader.documents(Array(YAMLWriter.render(value).utf8)) == [value])
    }
}
