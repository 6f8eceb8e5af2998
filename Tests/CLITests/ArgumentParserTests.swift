@testable import CLI
import Model
import TestSupport
import Testing

@Suite struct ArgumentParserTests {
    let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: ""),
        OptionSpec("output", short: "o", value: "FORMAT", help: ""),
        OptionSpec("all-namespaces", short: "A", help: ""),
        OptionSpec("filename", short: "f", value: "FILE", help: ""),
    ]

    @Test func readsShortLongAndInlineValues() throws {
        let parsed = try ArgumentParser.parse(["pods", "-n", "a", "--output=json", "-A", "web"], options: options)
        #expect(parsed.positionals == ["pods", "web"])
        #expect(parsed.value("namespace") == "a")
        #expect(parsed.value("output") == "json")
        #expect(parsed.flag("all-namespaces"))
        #expect(try ArgumentParser.parse(["-nprod"], options: options).value("namespace") == "prod")
        #expect(try ArgumentParser.parse(["-n=prod"], options: options).value("namespace") == "prod")
        #expect(try ArgumentParser.parse(["--namespace", "x"], options: options).value("namespace") == "x")
    }

    @Test func repeatedValuesAreKeptInOrderAndDashIsAValue() throws {
        let parsed = try ArgumentParser.parse(["-f", "a.yaml", "-f", "-"], options: options)
        #expect(parsed.allValues("filename") == ["a.yaml", "-"])
    }

    @Test func doubleDashEndsFlags() throws {
        let parsed = try ArgumentParser.parse(["-n", "x", "--", "-A", "--output"], options: options)
        #expect(parsed.positionals == ["-A", "--output"])
        #expect(!parsed.flag("all-namespaces"))
    }

    @Test func booleansAcceptExplicitValues() throws {
        #expect(try !ArgumentParser.parse(["-A", "--all-namespaces=false"], options: options).flag("all-namespaces"))
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["--all-namespaces=maybe"], options: options) }
    }

    @Test func helpIsAlwaysKnown() throws {
        #expect(try ArgumentParser.parse(["-h"], options: []).flag("help"))
        #expect(try ArgumentParser.parse(["--help"], options: []).flag("help"))
    }

    @Test func unknownFlagsAndMissingValuesAreUsageErrors() {
        #expect(throws: UsageError("unknown flag: --bogus")) { try ArgumentParser.parse(["--bogus"], options: options) }
        #expect(throws: UsageError("unknown shorthand flag: 'z' in -z")) { try ArgumentParser.parse(["-z"], options: options) }
        #expect(throws: UsageError("flag needs an argument: -n")) { try ArgumentParser.parse(["-n"], options: options) }
    }

    @Test func unknownFlagExitsWithStatusTwo() async {
        let result = await runCLI(["get", "pods", "--bogus"])
        #expect(result.status == 2)
        #expect(result.err.contains("unknown flag: --bogus"))
        #expect(result.err.contains("drover get --help"))
    }

    @Test func flagsMayPrecedeTheVerb() async throws {
        #expect(DroverCLI.findVerb(["-n", "team", "get", "pods"]) == 2)
        #expect(DroverCLI.findVerb(["--server", "http://h:1", "version"]) == 2)
        #expect(DroverCLI.findVerb(["--server=http://h:1", "-A", "get"]) == 2)
        #expect(DroverCLI.findVerb(["-h"]) == nil)
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("a", namespace: "team"))
        #expect(await runCLI(["-n", "team", "get", "jobs", "-o", "name"], client: client).out == "job.batch/a\n")
        #expect(await runCLI(["help", "apply"]).out.contains("drover apply -f FILE"))
    }

    @Test func helpTextsMentionEveryVerb() async {
        let result = await runCLI(["help"])
        #expect(result.status == 0)
        for verb in ["up", "server", "agent", "get", "apply", "delete", "version"] {
            #expect(result.out.contains("  \(verb) "), "missing \(verb)")
        }
        let getHelp = await runCLI(["get", "--help"])
        #expect(getHelp.status == 0)
        #expect(getHelp.out.contains("--field-selector"))
        #expect(await runCLI(["frobnicate"]).status == 2)
    }
}
