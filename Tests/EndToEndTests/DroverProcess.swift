import Foundation

/// The real `drover` binary, run as a child process in a temporary directory.
enum DroverBinary {
    /// `.build/debug/drover` next to this test bundle's package.
    static var path: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for config in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(config)/drover").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return root.appendingPathComponent(".build/debug/drover").path
    }

    /// Runs a command to completion; returns exit status and combined output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        if let input {
            let stdin = Pipe()
            process.standardInput = stdin
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Finds an executable on PATH.
    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// `drover up` running in a temporary data directory on a free port.
final class DroverUp: @unchecked Sendable {
    let dataDir: String
    let process = Process()
    private let output: CollectedOutput
    private(set) var server = ""

    /// `arguments` are more `drover up` flags.
    init(dataDir: String? = nil, heartbeatSeconds: Double? = nil, arguments: [String] = []) throws {
        output = CollectedOutput(of: process)
        self.dataDir = dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("drover-e2e-\(UUID().uuidString.prefix(8))").path
        try start(extra: (heartbeatSeconds.map { ["--watch-heartbeat", String($0)] } ?? []) + arguments)
    }

    private func start(extra: [String]) throws {
        process.executableURL = URL(fileURLWithPath: DroverBinary.path)
        process.arguments = ["up", "--data-dir", dataDir, "--port", "0", "--secure-port", "0"] + extra
        try process.run()
        output.startReading()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = output.text
            if let line = text.split(separator: "\n").first(where: { $0.contains("Dashboard:") }),
               let range = line.range(of: "http://") {
                let url = line[range.lowerBound...].split(separator: "/").prefix(2).joined(separator: "/")
                server = url.replacingOccurrences(of: "http:/", with: "http://")
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw E2EError("drover up did not come up:\n\(output.text)")
    }

    var logText: String { output.text }
    var configPath: String { "\(dataDir)/config" }
    var kubeconfigPath: String { "\(dataDir)/kubeconfig" }
    var token: String { ((try? String(contentsOfFile: "\(dataDir)/admin-token", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Runs `drover <arguments>` as a client against this instance.
    func cli(_ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        try DroverBinary.run(DroverBinary.path, arguments, environment: ["DROVER_CONFIG": configPath], input: input)
    }

    /// Starts another `drover agent` against this instance, registering node `name` with its own
    /// data directory; the caller interrupts it and waits for its exit.
    func startAgent(name: String) throws -> Process {
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: DroverBinary.path)
        agent.arguments = ["agent", "--server", server, "--token", token, "--name", name,
                           "--data-dir", "\(dataDir)/agent-\(name)", "--log-listen", "127.0.0.1:0", "--heartbeat", "2s"]
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        return agent
    }

    /// Sends `signal` and waits for exit; returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func removeData() { try? FileManager.default.removeItem(atPath: dataDir) }
}

/// A child process's stdout and stderr, collected as they come on a blocking read loop of its own
/// thread, not `readabilityHandler`: tearing down that handler's dispatch read source races
/// libdispatch's epoll bookkeeping on Linux and crashed the test process (SIGSEGV in
/// _dispatch_event_loop_drain, swift-corelibs-libdispatch #949).
final class CollectedOutput: @unchecked Sendable {
    private let pipe = Pipe()
    private let lock = NSLock()
    private var collected = ""

    /// Routes `process`'s stdout and stderr here; call before `run()`.
    init(of process: Process) {
        process.standardOutput = pipe
        process.standardError = pipe
    }

    /// Starts reading; call after `run()`.
    func startReading() {
        let reader = pipe.fileHandleForReading
        Thread.detachNewThread { [weak self] in
            while true {
                let data = reader.availableData
                guard !data.isEmpty, let self else { return }
                lock.withLock { collected += String(decoding: data, as: UTF8.self) }
            }
        }
    }

    /// Everything so far.
    var text: String { lock.withLock { collected } }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
