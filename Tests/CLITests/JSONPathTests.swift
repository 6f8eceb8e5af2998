@testable import CLI
import Model
import Testing

@Suite struct JSONPathTests {
    static let list: JSONValue = [
        "kind": "List",
        "items": [
            ["metadata": ["name": "a", "labels": ["app": "web", "tier": "x"]], "spec": ["nodeName": "n1"],
             "status": ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]], "restarts": 2]],
            ["metadata": ["name": "b"], "status": ["phase": "Pending", "conditions": [["type": "Ready", "status": "False"]], "restarts": 0]],
            ["metadata": ["name": "c", "labels": ["app.kubernetes.io/name": "z"]], "status": ["phase": "Running", "restarts": 10]],
        ],
    ]

    @Test(arguments: [
        ("{.items[*].metadata.name}", "a b c"),
        ("{.items[0].metadata.name}", "a"),
        ("{.items[-1].metadata.name}", "c"),
        ("{.items[0:2].metadata.name}", "a b"),
        ("{.items[0,2].metadata.name}", "a c"),
        ("{.kind}", "List"),
        ("name={.items[1].metadata.name}!", "name=b!"),
        (#"{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#, "a\tRunning\nb\tPending\nc\tRunning\n"),
        (#"{.items[?(@.status.phase=="Running")].metadata.name}"#, "a c"),
        (#"{.items[?(@.status.phase!='Running')].metadata.name}"#, "b"),
        ("{.items[?(@.status.restarts > 1)].metadata.name}", "a c"),
        ("{.items[?(@.metadata.labels)].metadata.name}", "a c"),
        (#"{.items[*].status.conditions[?(@.type=="Ready")].status}"#, "True False"),
        ("{.items[0].metadata.labels}", #"{"app":"web","tier":"x"}"#),
        (#"{.items[2].metadata.labels.app\.kubernetes\.io/name}"#, "z"),
        ("{.items[0].metadata['name']}", "a"),
        ("{..phase}", "Running Pending Running"),
        ("{.items[*].missing}", ""),
        ("{.items[0].status.restarts}", "2"),
        ("{.items[0].metadata.*}", #"a {"app":"web","tier":"x"}"#),
        ("{range .items[0:2]}{$.kind}:{.metadata.name} {end}", "List:a List:b "),
    ])
    func templatesRenderAsKubectl(template: String, expected: String) throws {
        #expect(try JSONPath(template).render(Self.list) == expected)
    }

    @Test(arguments: ["{.items[*]", "{range .items[*]}{.x}", "{end}", "{.items[x]}", "{.a[?(@.b == )]}"])
    func malformedTemplatesAreErrors(template: String) {
        #expect(throws: JSONPathError.self) { try JSONPath(template) }
    }

    @Test func relaxedPathsAcceptEveryKubectlSpelling() throws {
        for spelling in [".metadata.name", "metadata.name", "{.metadata.name}"] {
            #expect(try JSONPath(relaxed: spelling).values(["metadata": ["name": "x"]]) == ["x"])
        }
    }

    @Test func sortingFollowsKubectlOrder() throws {
        func names(_ items: [JSONValue]) -> [String] { items.map { $0.objectName } }
        func object(_ name: String, _ value: JSONValue?) -> JSONValue {
            var o: JSONValue = ["metadata": ["name": .string(name)]]
            if let value { o["v"] = value }
            return o
        }
        let path = try JSONPath(relaxed: ".v")
        #expect(names(ObjectSorter.sorted([object("a", 10), object("b", 9), object("c", nil)], by: path)) == ["c", "b", "a"])
        #expect(names(ObjectSorter.sorted([object("a", "1"), object("b", "500m"), object("c", "2Gi")], by: path)) == ["b", "a", "c"])
        #expect(names(ObjectSorter.sorted([object("a", "pod-10"), object("b", "pod-2"), object("c", "pod-1")], by: path)) == ["c", "b", "a"])
        #expect(names(ObjectSorter.sorted([object("a", "2026-12-03T13:00:00Z"), object("b", "2026-12-01T13:00:00Z")], by: path)) == ["b", "a"])
        #expect(names(ObjectSorter.sorted([object("a", 1), object("b", 1)], by: path)) == ["a", "b"], "stable")
    }

    @Test func customColumnsJoinValuesAndShowNone() throws {
        let columns = try CustomColumns("NAME:.metadata.name,APP:.metadata.labels.app,TYPES:.status.conditions[*].type")
        let lines = columns.render(Self.list["items"]?.array ?? [], headers: true)
        #expect(lines == ["NAME   APP      TYPES", "a      web      Ready", "b      <none>   Ready", "c      <none>   <none>"])
        #expect(throws: UsageError.self) { try CustomColumns("NAME") }
        #expect(throws: UsageError.self) { try CustomColumns("") }
    }

    @Test func arbitraryTemplatesParseOrFailButNeverCrash() {
        let alphabet = Array("{}[]().*@$'\"?=!<> ,:\\-0123abcrangend")
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        for _ in 0..<3000 {
            let template = String((0..<(next() % 14)).map { _ in alphabet[next() % alphabet.count] })
            if let path = try? JSONPath(template) { _ = path.render(Self.list) }
            _ = try? JSONPath(relaxed: template)
        }
    }
}
