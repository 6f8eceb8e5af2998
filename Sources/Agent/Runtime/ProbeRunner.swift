import CSupport
import Foundation

/// What a probe checks (the three handlers of a Kubernetes probe).
public enum ProbeAction: Sendable, Equatable {
    /// Runs the command in the container's environment and working directory; success = exit 0.
    case exec(command: [String])
    /// GET `scheme://host:port/path`; success = a status from 200 to 399. host nil = 127.0.0.1.
    case httpGet(host: String?, port: Int, path: String, scheme: String = "HTTP", headers: [String: String] = [:])
    /// Success = a TCP connection can be opened. host nil = 127.0.0.1.
    case tcpSocket(host: String?, port: Int)
}

/// The outcome of one probe execution; `message` says what was seen (kubelet-like wording).
public struct ProbeResult: Sendable, Equatable {
    public var success: Bool
    public var message: String

    public init(success: Bool, message: String) {
        self.success = success
        self.message = message
    }
}

/// Runs one probe with a timeout. Stateless: the sync loop schedules probes (delays, periods,
/// thresholds) and calls `run` for each execution. The blocking work runs on a dedicated queue.
public struct ProbeRunner: Sendable {
    /// Output of exec probes kept in the message (the kubelet keeps 10 KiB).
    static let outputLimit = 10 * 1024
    private static let queue = DispatchQueue(label: "drover.probes", attributes: .concurrent)

    public init() {}

    /// `mounts`: the container's volume mounts, set up again for an exec probe's command (it sees
    /// the volumes where the container does).
    public func run(_ action: ProbeAction, timeout: TimeInterval, environment: [String: String] = [:],
                    workingDirectory: String = "/", mounts: [VolumeMount] = []) async -> ProbeResult {
        await withCheckedContinuation { continuation in
            Self.queue.async {
                continuation.resume(returning: Self.runBlocking(action, timeout: timeout, environment: environment,
                                                                workingDirectory: workingDirectory, mounts: mounts))
            }
        }
    }

    static func runBlocking(_ action: ProbeAction, timeout: TimeInterval, environment: [String: String],
                            workingDirectory: String, mounts: [VolumeMount] = []) -> ProbeResult {
        let deadline = Date().addingTimeInterval(max(0.001, timeout))
        switch action {
        case .exec(let command):
            return runCommand(command, environment: environment, workingDirectory: workingDirectory, mounts: mounts,
                              deadline: deadline)
        case .httpGet(let host, let port, let path, let scheme, let headers):
            return ProbeConnection.httpGet(host: host ?? "127.0.0.1", port: port, path: path, scheme: scheme,
                                           headers: headers, deadline: deadline)
        case .tcpSocket(let host, let port):
            return ProbeConnection.tcpConnect(host: host ?? "127.0.0.1", port: port, deadline: deadline)
        }
    }

    /// Spawns the command with its output on a pipe, collects up to `outputLimit` bytes and waits
    /// for its end through a pidfd; on timeout its process group is killed.
    private static func runCommand(_ command: [String], environment: [String: String], workingDirectory: String,
                                   mounts: [VolumeMount], deadline: Date) -> ProbeResult {
        var fds: [Int32] = [0, 0]
        guard drover_pipe_cloexec(&fds) == 0 else { return ProbeResult(success: false, message: "pipe: \(PosixSpawner.errnoText(errno))") }
        let (readFD, writeFD) = (fds[0], fds[1])
        defer { close(readFD) }
        let pid: Int32
        do throws(StartFailure) {
            guard let program = command.first else { throw StartFailure("exec: no command") }
            if mounts.isEmpty {
                try PosixSpawner.checkWorkingDirectory(workingDirectory)
                let path = try PosixSpawner.resolveExecutable(program, searchPath: environment["PATH"],
                                                                 workingDirectory: workingDirectory)
                pid = try PosixSpawner.spawn(path: path, argv: command, environment: environment,
                                             workingDirectory: workingDirectory, outputFD: writeFD)
            } else {
                pid = try MountingSpawner.spawn(program: program, argv: command, environment: environment,
                                                workingDirectory: workingDirectory, outputFD: writeFD, mounts: mounts)
            }
        } catch {
            close(writeFD)
            return ProbeResult(success: false, message: error.message)
        }
        close(writeFD)
        let pidFD = drover_pidfd_open(pid)
        defer { if pidFD >= 0 { close(pidFD) } }
        var output = [UInt8]()
        var exited = pidFD < 0
        var pipeOpen = true
        while !exited {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                kill(-pid, SIGKILL)
                var status: Int32 = 0
                _ = waitpid(pid, &status, 0)
                return ProbeResult(success: false, message: "command \(command) timed out")
            }
            var polls = [pollfd(fd: pidFD, events: Int16(POLLIN), revents: 0),
                         pollfd(fd: pipeOpen ? readFD : -1, events: Int16(POLLIN), revents: 0)]
            _ = poll(&polls, 2, Int32(min(remaining * 1000 + 1, 1000)))
            if polls[1].revents != 0 { pipeOpen = drain(readFD, into: &output) }
            exited = polls[0].revents != 0
        }
        // The process ended; take what is left without waiting for grandchildren holding the pipe.
        _ = fcntl(readFD, F_SETFL, O_NONBLOCK)
        _ = drain(readFD, into: &output)
        kill(-pid, SIGKILL)   // its leftover background processes, as after a container's pid 1
        var status: Int32 = 0
        var result: Int32
        repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
        let text = String(decoding: output, as: UTF8.self)
        let exit = LinuxProcessRuntime.decode(status: status, oomKilled: false)
        if exit.exitCode == 0 { return ProbeResult(success: true, message: text) }
        return ProbeResult(success: false, message: "command \(command) exited with \(exit.exitCode): \(text)")
    }

    /// Reads what is available into `output` (kept up to the limit); false at end of file or error.
    private static func drain(_ fd: Int32, into output: inout [UInt8]) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return count < 0 && errno == EAGAIN }
            output.append(contentsOf: buffer[0..<min(count, max(0, outputLimit - output.count))])
            if count < buffer.count { return true }
        }
    }
}
