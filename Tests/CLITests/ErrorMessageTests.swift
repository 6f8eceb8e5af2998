@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

@Suite struct ErrorMessageTests {
    @Test(arguments: [
        ("gt", ["get"]), ("describ", ["describe"]), ("dlete", ["delete"]), ("sumbit", ["submit"]),
        ("lo", ["logs"]), ("xyzzy", []), ("get", []),
    ])
    func suggestionsAreWithinTwoEditsOrPrefixes(typed: String, expected: [String]) {
        let verbs = ["get", "describe", "delete", "logs", "submit", "label", "watch"]
        #expect(Suggestions.nearest(typed, among: verbs) == expected)
    }

    @Test(arguments: [("kitten", "sitting", 3), ("", "abc", 3), ("flaw", "lawn", 2), ("same", "same", 0)])
    func levenshteinDistance(a: String, b: String, distance: Int) {
        #expect(Suggestions.distance(a, b) == distance)
    }

    @Test func unknownVerbsAndFlagsSuggestTheNearest() async {
        let verb = await runCLI(["gte", "pods"])
        #expect(verb.status == 2)
        #expect(verb.err == "error: unknown command \"gte\" for \"drover\"\n\nDid you mean this?\n\tget\n\nRun 'drover help' for usage.\n")
        let flag = await runCLI(["get", "pods", "--namspace", "x"])
        #expect(flag.status == 2)
        #expect(flag.err.hasPrefix("error: unknown flag: --namspace\n\nDid you mean this?\n\t--namespace\n"), "\(flag.err)")
        let nothing = await runCLI(["frobnicate"])
        #expect(nothing.err == "error: unknown command \"frobnicate\" for \"drover\"\n\nRun 'drover help' for usage.\n")
    }

    @Test func missingConfigNamesTheFileAndDroverUp() async {
        let output = CapturedOutput()
        var context = output.context(client: FakeAPIClient())
        context.makeClient = { options in try HTTPAPIClient(config: try options.resolve(environment: ["DROVER_CONFIG": "/nonexistent/cfg"])) }
        let status = await DroverCLI.run(["get", "pods"], context: context)
        #expect(status == 1)
        #expect(output.err.contains("/nonexistent/cfg") && output.err.contains("drover up"), "\(output.err)")
    }

    @Test func unreachableServerNamesTheAddress() async {
        let output = CapturedOutput()
        var context = output.context(client: FakeAPIClient())
        context.makeClient = { options in try HTTPAPIClient(config: try options.resolve(environment: [:])) }
        let status = await DroverCLI.run(["get", "pods", "--server", "http://127.0.0.1:1"], context: context)
        #expect(status == 1)
        #expect(output.err.hasPrefix("error: The connection to the server http://127.0.0.1:1 failed"), "\(output.err)")
    }
}
