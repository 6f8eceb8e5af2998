import Model
import Testing

/// A selector text and the requirements it parses to.
struct LabelParseCase: Sendable, CustomStringConvertible {
    var text: String
    var requirements: [LabelSelector.Requirement]
    var description: String { "\"\(text)\"" }
}

/// A label set, a selector and whether the set matches.
struct LabelMatchCase: Sendable, CustomStringConvertible {
    var selector: String
    var labels: [String: String]
    var matches: Bool
    var description: String { "\"\(selector)\" on \(labels)" }
}

@Suite struct LabelSelectorTests {
    typealias R = LabelSelector.Requirement

    static let parseCases: [LabelParseCase] = [
        LabelParseCase(text: "", requirements: []),
        LabelParseCase(text: "  ", requirements: []),
        LabelParseCase(text: "app=web", requirements: [R(key: "app", op: .equals, values: ["web"])]),
        LabelParseCase(text: "app==web", requirements: [R(key: "app", op: .equals, values: ["web"])]),
        LabelParseCase(text: "app!=web", requirements: [R(key: "app", op: .notEquals, values: ["web"])]),
        LabelParseCase(text: "app=", requirements: [R(key: "app", op: .equals, values: [""])]),
        LabelParseCase(text: "tier in (a,b)", requirements: [R(key: "tier", op: .in, values: ["a", "b"])]),
        LabelParseCase(text: "tier in ( a , b )", requirements: [R(key: "tier", op: .in, values: ["a", "b"])]),
        LabelParseCase(text: "tier notin (a)", requirements: [R(key: "tier", op: .notIn, values: ["a"])]),
        LabelParseCase(text: "tier notin(a,b)", requirements: [R(key: "tier", op: .notIn, values: ["a", "b"])]),
        LabelParseCase(text: "canary", requirements: [R(key: "canary", op: .exists)]),
        LabelParseCase(text: "!canary", requirements: [R(key: "canary", op: .doesNotExist)]),
        LabelParseCase(text: "example.com/app=web", requirements: [R(key: "example.com/app", op: .equals, values: ["web"])]),
        LabelParseCase(text: " app = web , !canary , tier in (a,b) ", requirements: [
            R(key: "app", op: .equals, values: ["web"]), R(key: "canary", op: .doesNotExist),
            R(key: "tier", op: .in, values: ["a", "b"]),
        ]),
    ]

    @Test(arguments: parseCases)
    func parsesEveryOperator(_ parseCase: LabelParseCase) throws {
        #expect(try LabelSelector.parse(parseCase.text).requirements == parseCase.requirements)
    }

    @Test(arguments: [
        "tier in (a,b", "tier in a,b)", "tier in (a,(b)", "tier in ()", "tier notin ( )", "tier in a",
        "-app=web", "app-=web", "Bad_Prefix/app=x", "a/b/c=x", "app=-web", "app=web,,tier=a", "app=web,",
        "app web", "!", "=web", String(repeating: "k", count: 64) + "=v", "app=" + String(repeating: "v", count: 64),
    ])
    func rejectsMalformedSelectors(_ text: String) {
        #expect(throws: SelectorError.self) { try LabelSelector.parse(text) }
    }

    @Test func errorsNameTheProblem() {
        #expect(throws: SelectorError("unbalanced parentheses in \"tier in (a\"")) { try LabelSelector.parse("tier in (a") }
        #expect(throws: SelectorError("\"tier in ()\": at least one value is required")) { try LabelSelector.parse("tier in ()") }
        #expect(throws: SelectorError("\"-x=1\": invalid label key \"-x\"")) { try LabelSelector.parse("-x=1") }
    }

    static let matchCases: [LabelMatchCase] = [
        LabelMatchCase(selector: "", labels: [:], matches: true),
        LabelMatchCase(selector: "app=web", labels: ["app": "web"], matches: true),
        LabelMatchCase(selector: "app=web", labels: ["app": "db"], matches: false),
        LabelMatchCase(selector: "app=web", labels: [:], matches: false),
        LabelMatchCase(selector: "app!=web", labels: ["app": "web"], matches: false),
        LabelMatchCase(selector: "app!=web", labels: ["app": "db"], matches: true),
        LabelMatchCase(selector: "app!=web", labels: [:], matches: true),
        LabelMatchCase(selector: "app in (web,db)", labels: ["app": "db"], matches: true),
        LabelMatchCase(selector: "app in (web,db)", labels: ["app": "cache"], matches: false),
        LabelMatchCase(selector: "app in (web,db)", labels: [:], matches: false),
        LabelMatchCase(selector: "app notin (web)", labels: ["app": "web"], matches: false),
        LabelMatchCase(selector: "app notin (web)", labels: ["app": "db"], matches: true),
        LabelMatchCase(selector: "app notin (web)", labels: [:], matches: true),
        LabelMatchCase(selector: "app", labels: ["app": ""], matches: true),
        LabelMatchCase(selector: "app", labels: [:], matches: false),
        LabelMatchCase(selector: "!app", labels: [:], matches: true),
        LabelMatchCase(selector: "!app", labels: ["app": "web"], matches: false),
        LabelMatchCase(selector: "app=", labels: ["app": ""], matches: true),
        LabelMatchCase(selector: "app=web,tier=a", labels: ["app": "web", "tier": "b"], matches: false),
        LabelMatchCase(selector: "app=web,tier=a", labels: ["app": "web", "tier": "a", "x": "y"], matches: true),
    ]

    @Test(arguments: matchCases)
    func matchesWithKubernetesSemantics(_ matchCase: LabelMatchCase) throws {
        #expect(try LabelSelector.parse(matchCase.selector).matches(matchCase.labels) == matchCase.matches)
    }

    @Test func descriptionParsesBackToTheSameSelector() throws {
        let selector = try LabelSelector.parse("app=web,tier!=a,x in (a,b),y notin (c),canary,!legacy")
        #expect(selector.description == "app=web,tier!=a,x in (a,b),y notin (c),canary,!legacy")
        #expect(try LabelSelector.parse(selector.description) == selector)
    }

    @Test func buildsFromAnObjectSelector() throws {
        let json: JSONValue = [
            "matchLabels": ["app": "web"],
            "matchExpressions": [
                ["key": "tier", "operator": "In", "values": ["a", "b"]],
                ["key": "env", "operator": "NotIn", "values": ["prod"]],
                ["key": "canary", "operator": "Exists"],
                ["key": "legacy", "operator": "DoesNotExist"],
            ],
        ]
        #expect(try LabelSelector.from(json) == LabelSelector.parse("app=web,tier in (a,b),env notin (prod),canary,!legacy"))
        #expect(try LabelSelector.from(.emptyObject).isEmpty)
    }

    @Test func rejectsMalformedObjectSelectors() {
        #expect(throws: SelectorError.self) { try LabelSelector.from(["matchLabels": ["app": 1]]) }
        #expect(throws: SelectorError.self) { try LabelSelector.from(["matchExpressions": [["key": "a"]]]) }
        #expect(throws: SelectorError.self) {
            try LabelSelector.from(["matchExpressions": [["key": "a", "operator": "Gt", "values": ["1"]]]])
        }
    }
}
