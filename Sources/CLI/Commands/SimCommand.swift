import Client
import Dispatch
import Foundation
import Model

/// `drover sim nodes --count N …`: registers hollow nodes that heartbeat and report the pods bound
/// to them as running, without running anything (like kubemark), until Ctrl-C.
struct SimCommand: Command {
    static let name = "sim"
    static let summary = "Simulate hollow nodes for scale tests (sim nodes --count N)."
    static let usage = """
      drover sim nodes --count N [--cpu 32] [--memory 128Gi] [--pods 110] [--labels k=v,...] [--prefix sim-]
                       [--run-seconds S] [--fail-nodes K [--fail-after S]] [--cleanup]

    Registers N Ready nodes with the given capacity, heartbeats for them as the agent does (each
    node's Lease in kube-node-lease renewed every 10 s, its status reported every 5 min, spread
    out), and reports every pod bound to them Running and Ready; with --run-seconds, pods with
    restartPolicy Never or OnFailure are reported Succeeded that many seconds later. Nothing runs.
    With --fail-nodes, the last K nodes go dark --fail-after seconds after the start, or when the
    process gets SIGUSR1 if --fail-after is not given (no more heartbeats or pod reports, deletions
    left unfinished), as nodes whose agent died.
    Ctrl-C stops; the nodes stay registered unless --cleanup is given.

    Examples:
      drover sim nodes --count 5000 --cpu 32 --memory 128Gi
      drover sim nodes --count 10 --labels pool=batch --run-seconds 30
      drover sim nodes --count 100 --fail-nodes 10 --fail-after 60
    """
    static let options = [
        OptionSpec("count", value: "N", help: "Number of nodes to simulate."),
        OptionSpec("cpu", value: "QUANTITY", help: "CPU capacity of each node (default 32)."),
        OptionSpec("memory", value: "QUANTITY", help: "Memory capacity of each node (default 128Gi)."),
        OptionSpec("pods", value: "N", help: "Pod capacity of each node (default 110)."),
        OptionSpec("labels", value: "K=V,...", help: "Labels put on every node."),
        OptionSpec("prefix", value: "PREFIX", help: "Node name prefix (default sim-)."),
        OptionSpec("run-seconds", value: "S", help: "Report Never/OnFailure pods Succeeded after S seconds."),
        OptionSpec("fail-nodes", value: "K", help: "The last K nodes stop heartbeating (after --fail-after)."),
        OptionSpec("fail-after", value: "S", help: "Seconds after the start at which --fail-nodes go dark (default: on SIGUSR1)."),
        OptionSpec("cleanup", help: "Delete the nodes on exit."),
    ]

    var settings: HollowNodes.Settings
    var cleanup: Bool

    init(_ arguments: ParsedArguments) throws {
        guard arguments.positionals == ["nodes"] else {
            throw UsageError("sim takes one subcommand, \"nodes\"")
        }
        guard let countText = arguments.value("count"), let count = Int(countText), count > 0 else {
            throw UsageError("--count must be a positive number of nodes")
        }
        var labels: [String: String] = [:]
        for pair in (arguments.value("labels") ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw UsageError("--labels must be k=v pairs, not \"\(pair)\"") }
            labels[parts[0]] = parts[1]
        }
        let cpu = arguments.value("cpu") ?? "32", memory = arguments.value("memory") ?? "128Gi"
        for (flag, text) in [("cpu", cpu), ("memory", memory)] where (try? Quantity(parsing: text)) == nil {
            throw UsageError("--\(flag) must be a quantity such as 32 or 128Gi, not \"\(text)\"")
        }
        guard let pods = Int(arguments.value("pods") ?? "110"), pods > 0 else { throw UsageError("--pods must be a positive number") }
        var runSeconds: Double?
        if let text = arguments.value("run-seconds") {
            guard let seconds = Double(text), seconds >= 0 else { throw UsageError("--run-seconds must be a number of seconds") }
            runSeconds = seconds
        }
        guard let failing = Int(arguments.value("fail-nodes") ?? "0"), (0...count).contains(failing) else {
            throw UsageError("--fail-nodes must be a number of nodes between 0 and --count")
        }
        var failAfter: Double?
        if let text = arguments.value("fail-after") {
            guard let seconds = Double(text), seconds >= 0 else { throw UsageError("--fail-after must be a number of seconds") }
            failAfter = seconds
        }
        settings = HollowNodes.Settings(count: count, prefix: arguments.value("prefix") ?? "sim-", cpu: cpu, memory: memory,
                                        pods: pods, labels: labels, runSeconds: runSeconds, failing: failing, failAfter: failAfter)
        cleanup = arguments.flag("cleanup")
    }

    func validate() throws(UsageError) {}

    func run(_ context: CommandContext) async throws -> Int32 {
        let nodes = HollowNodes(client: try context.client(), settings: settings)
        try await nodes.register()
        context.print("registered \(settings.count) hollow nodes \(settings.prefix)0…\(settings.prefix)\(settings.count - 1); Ctrl-C to stop")
        nodes.start()
        let trigger = settings.failing > 0 && settings.failAfter == nil ? Self.onSignal(SIGUSR1) { nodes.failNow() } : nil
        defer { trigger?.cancel() }
        let announce = Task { [settings] in
            guard let last = nodes.failingNames.last, let first = nodes.failingNames.first else { return }
            while !nodes.isDark(last) {
                do { try await Task.sleep(nanoseconds: 100_000_000) } catch { return }
            }
            context.print("\(settings.failing) hollow nodes \(first)…\(last) stopped heartbeating at \(Timestamp.formatMicro(Date()))")
        }
        await Self.waitForInterrupt()
        announce.cancel()
        nodes.stop()
        context.print("reported \(nodes.reported) pods running, \(nodes.succeeded) succeeded")
        if cleanup {
            try await nodes.deleteAll()
            context.print("deleted \(settings.count) nodes")
        }
        return 0
    }

    /// Runs `action` on every `signal` until the returned source is cancelled.
    static func onSignal(_ sig: Int32, _ action: @escaping @Sendable () -> Void) -> DispatchSourceSignal {
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler(handler: action)
        source.resume()
        return source
    }

    /// Suspends until SIGINT or SIGTERM.
    static func waitForInterrupt() async {
        let box = SignalBox()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            box.arm(continuation)
        }
    }
}

/// Holds the signal sources until the first signal resumes the waiter once.
private final class SignalBox: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []
    private var continuation: CheckedContinuation<Void, Never>?

    func arm(_ continuation: CheckedContinuation<Void, Never>) {
        lock.withLock { self.continuation = continuation }
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in fire() }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }

    private func fire() {
        let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            defer { continuation = nil; sources.forEach { $0.cancel() } }
            return continuation
        }
        waiting?.resume()
    }
}
