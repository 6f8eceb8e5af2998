import Foundation
import Testing
@testable import Agent

@Suite struct RuntimeInternalsTests {
    @Test func procStatCountsFieldsFromTheLastParenthesis() throws {
        let line = "4242 (we ird) (name) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 18446744073709551615\n"
        let stat = try #require(ProcStat.parse(Array(line.utf8), pid: 4242))
        #expect(stat == ProcStat(pid: 4242, state: "S", parentPid: 17, processGroup: 4242, startTime: 987654))
        #expect(ProcStat.parse(Array("1 (x) S 1 2".utf8), pid: 1) == nil)
    }

    @Test func procStatOfThisProcess() throws {
        let stat = try #require(ProcStat.read(pid: getpid()))
        #expect(stat.parentPid == getppid())
        #expect(stat.startTime > 0)
    }

    @Test func theJournalReplaysStartsAndEndsAndSkipsATornLine() throws {
        let directory = NSTemporaryDirectory() + "drover-journal-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try RuntimeStateStore(directory: directory)
        func record(_ id: String, _ pid: Int32) -> RuntimeStateStore.Record {
            RuntimeStateStore.Record(id: id, pid: pid, startTime: 7, cgroup: nil, logPath: "/l/\(id)", logMaxBytes: 10)
        }
        store.save(record("a", 1))
        store.save(record("b", 2))
        store.save(record("c", 3))
        store.remove(id: "b", pid: 2)
        store.remove(id: "c", pid: 99)   // another process under that id: not an end of this one
        let handle = try #require(FileHandle(forWritingAtPath: directory + "/processes.journal"))
        handle.seekToEndOfFile()
        handle.write(Data("S {\"id\":\"torn\",\"pi".utf8))
        handle.closeFile()
        let reopened = try RuntimeStateStore(directory: directory)
        #expect(Set(reopened.all().map(\.id)) == ["a", "c"])
        #expect(reopened.all().first { $0.id == "a" } == record("a", 1))
    }

    @Test func theJournalIsCompactedWhenMostlyHistory() throws {
        let directory = NSTemporaryDirectory() + "drover-journal-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try RuntimeStateStore(directory: directory)
        for n in 0..<3000 {
            store.save(RuntimeStateStore.Record(id: "p\(n)", pid: Int32(n), startTime: 1, cgroup: nil, logPath: "/l", logMaxBytes: 1))
            if n != 5 { store.remove(id: "p\(n)", pid: Int32(n)) }
        }
        let lines = try String(contentsOfFile: directory + "/processes.journal", encoding: .utf8).split(separator: "\n")
        #expect(lines.count < 2100)
        #expect(try RuntimeStateStore(directory: directory).all().map(\.id) == ["p5"])
    }

    @Test func wrapperScriptsQuoteAndKeepTheEnvironmentExact() {
        let plan = LaunchPlan(executable: "/bin/echo", argv: ["echo", "a b"], environment: [:],
                              cgroupProcsFiles: ["/sys/fs/cgroup/x/it's/cgroup.procs"], rlimits: FallbackLimits(processes: 5))
        #expect(plan.path == "/bin/sh")
        #expect(plan.argv == ["sh", "-c", "echo $$ > '/sys/fs/cgroup/x/it'\\''s/cgroup.procs' && ulimit -p 5 && unset PWD && exec \"$@\"",
                              "sh", "/bin/echo", "a b"])
        let direct = LaunchPlan(executable: "/bin/echo", argv: ["echo"], environment: [:], cgroupProcsFiles: [], rlimits: .none)
        #expect(direct == LaunchPlan(executable: "/bin/echo", argv: ["echo"], environment: ["PWD": "/"], cgroupProcsFiles: [], rlimits: .none))
        #expect(direct.path == "/bin/echo" && direct.argv == ["echo"])
    }

    @Test func cgroupNamesCannotEscapeTheirParent() {
        #expect(ContainerCgroup.name(for: "uid-1/main/0") == "c-uid-1_main_0")
        #expect(ContainerCgroup.name(for: "..") == "c-__")
    }

    @Test func aV2HierarchyGetsOneParentWithItsControllersEnabled() throws {
        let root = NSTemporaryDirectory() + "drover-fake-cgroup2-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/agent.slice/drover", withIntermediateDirectories: true)
        try "cpuset cpu io memory pids\n".write(toFile: root + "/agent.slice/cgroup.controllers", atomically: false, encoding: .utf8)
        for file in ["agent.slice/cgroup.subtree_control", "agent.slice/drover/cgroup.subtree_control"] {
            _ = FileManager.default.createFile(atPath: root + "/" + file, contents: nil)
        }
        _ = FileManager.default.createFile(atPath: root + "/cgroup.controllers", contents: nil)
        let layout = try CgroupLayout.detect(name: "drover", root: root, mountsText: "cgroup2 \(root) cgroup2 rw 0 0\n",
                                             selfCgroupText: "0::/agent.slice\n").get()
        #expect(layout == CgroupLayout(version: .v2, parents: ["": root + "/agent.slice/drover"]))
        #expect(SmallFile.read(root + "/agent.slice/drover/cgroup.subtree_control") == "+memory +cpu +pids")
    }

    @Test func aV2HierarchyWithoutTheMemoryControllerIsAProblem() throws {
        let root = NSTemporaryDirectory() + "drover-fake-cgroup2-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "cpu pids\n".write(toFile: root + "/cgroup.controllers", atomically: false, encoding: .utf8)
        let result = CgroupLayout.detect(name: "drover", root: root, mountsText: "cgroup2 \(root) cgroup2 rw 0 0\n",
                                         selfCgroupText: "0::/\n")
        #expect(result == .failure(CgroupProblem("the cgroup v2 memory controller is not available in \(root)")))
    }

    @Test func v1WithoutAControllerMountIsAProblem() {
        let result = CgroupLayout.detect(name: "drover", root: "/nonexistent",
                                         mountsText: "cgroup /x/cpu cgroup rw,cpu 0 0\n", selfCgroupText: "1:cpu:/\n")
        #expect(result == .failure(CgroupProblem("the cgroup v1 memory controller is not mounted")))
    }

    @Test func selfCgroupLinesMapControllersToPaths() {
        let paths = CgroupLayout.parseSelfCgroup("4:memory:/process_api/x\n3:cpu,cpuacct:/\n0::/user.slice\n")
        #expect(paths == ["memory": "/process_api/x", "cpu": "/", "cpuacct": "/", "": "/user.slice"])
    }

    @Test func journalRecordsWrittenWithTheJSONWriterReadBackWithTheirCodableForm() throws {
        let cgroup = ContainerCgroup(version: .v1, directories: ["memory": "/sys/fs/cgroup/memory/drover/c-\"x\"", "pids": "/sys/fs/cgroup/pids/drover/c-x"])
        let records = [
            RuntimeStateStore.Record(id: "uid-1/main/0", pid: 4242, startTime: 987_654, cgroup: cgroup,
                                     logPath: "/data/pods/uid-1/main.0.log", logMaxBytes: 10_485_760),
            RuntimeStateStore.Record(id: "uid-2/side/3", pid: 7, startTime: 1, cgroup: nil, logPath: "/l\\og\n", logMaxBytes: 0),
        ]
        for record in records {
            let decoded = try JSONDecoder().decode(RuntimeStateStore.Record.self, from: Data(record.json.serialized()))
            #expect(decoded == record)
        }
    }
}
