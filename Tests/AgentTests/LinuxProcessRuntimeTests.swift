import Foundation
import Testing
@testable import Agent

@Suite struct LinuxProcessRuntimeTests {
    @Test func reportsExitCodes() async throws {
        let fixture = try RuntimeFixture()
        #expect(try await fixture.run(fixture.spec(["true"]))?.exitCode == 0)
        #expect(try await fixture.run(fixture.spec(["sh", "-c", "exit 3"]))?.exitCode == 3)
        let killed = try await fixture.run(fixture.spec(["sh", "-c", "kill -USR1 $$"]))
        #expect(killed?.exitCode == 128 + SIGUSR1)
        #expect(killed?.signal == SIGUSR1)
        #expect(killed?.oomKilled == false)
    }

    @Test func givesTheProcessExactlyItsEnvironment() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["env"], environment: ["PATH": "/usr/bin:/bin", "POD_NAME": "web-1", "EMPTY": ""])
        #expect(try await fixture.run(spec)?.exitCode == 0)
        #expect(fixture.log(spec).split(separator: "\n").sorted() == ["EMPTY=", "PATH=/usr/bin:/bin", "POD_NAME=web-1"])
    }

    @Test func runsInTheWorkingDirectory() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["pwd"], workingDirectory: "/usr/share")
        #expect(try await fixture.run(spec)?.exitCode == 0)
        #expect(fixture.log(spec) == "/usr/share\n")
    }

    @Test func missingProgramFailsTheStart() throws {
        let fixture = try RuntimeFixture()
        #expect(throws: StartFailure("exec: \"no-such-program\": executable file not found in $PATH")) {
            try fixture.start(fixture.spec(["no-such-program", "x"]))
        }
        #expect(throws: StartFailure("exec: \"/nope/prog\": stat /nope/prog: no such file or directory")) {
            try fixture.start(fixture.spec(["/nope/prog"]))
        }
        #expect(throws: StartFailure("exec: no command")) { try fixture.start(fixture.spec([])) }
    }

    @Test func relativeProgramsAreFoundFromTheWorkingDirectory() async throws {
        let fixture = try RuntimeFixture()
        let script = fixture.directory + "/bin/hello"
        try FileManager.default.createDirectory(atPath: fixture.directory + "/bin", withIntermediateDirectories: true)
        try "#!/bin/sh\necho hello\n".write(toFile: script, atomically: false, encoding: .utf8)
        chmod(script, 0o755)
        let direct = fixture.spec(["./bin/hello"])
        #expect(try await fixture.run(direct)?.exitCode == 0)
        #expect(fixture.log(direct) == "hello\n")
        let onPath = fixture.spec(["hello"], environment: ["PATH": "bin:/usr/bin:/bin"], memoryLimit: 64 << 20)
        #expect(try await fixture.run(onPath)?.exitCode == 0)
        #expect(fixture.log(onPath) == "hello\n")
    }

    @Test func missingWorkingDirectoryFailsTheStart() throws {
        let fixture = try RuntimeFixture()
        #expect(throws: StartFailure("chdir /nope: no such file or directory")) {
            try fixture.start(fixture.spec(["true"], workingDirectory: "/nope"))
        }
        #expect(throws: StartFailure("chdir /etc/passwd: not a directory")) {
            try fixture.start(fixture.spec(["true"], workingDirectory: "/etc/passwd"))
        }
    }

    @Test func theSameIdCannotRunTwice() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["sleep", "30"])
        let waiter = try fixture.start(spec)
        #expect(throws: StartFailure("a process with id \(spec.id) is already running")) { try fixture.start(spec) }
        fixture.runtime.stop(id: spec.id, grace: 0)
        #expect(await waiter.exit()?.exitCode == 137)
    }

    @Test func stdoutAndStderrAreAppendedToTheLog() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["sh", "-c", "echo out; echo err >&2"])
        try "earlier\n".write(toFile: spec.logPath, atomically: false, encoding: .utf8)
        #expect(try await fixture.run(spec)?.exitCode == 0)
        #expect(fixture.log(spec) == "earlier\nout\nerr\n")
    }

    @Test func rotatesTheLogAtItsSizeLimit() async throws {
        let fixture = try RuntimeFixture(logCheckInterval: 0.05)
        let spec = fixture.spec(["sh", "-c", "head -c 3000 /dev/zero | tr '\\0' a; sleep 0.3; echo tail"], logMaxBytes: 1000)
        #expect(try await fixture.run(spec)?.exitCode == 0)
        let rotated = try String(contentsOfFile: spec.logPath + ".1", encoding: .utf8)
        let current = fixture.log(spec)
        #expect(rotated.hasPrefix(String(repeating: "a", count: 3000)))
        #expect(current.utf8.count <= 1000)
        #expect((rotated + current).hasSuffix("tail\n"))
    }

    @Test func onExitIsCalledOnce() async throws {
        let fixture = try RuntimeFixture()
        let waiter = try fixture.start(fixture.spec(["true"]))
        #expect(await waiter.exit() != nil)
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(waiter.callCount == 1)
    }
}
