import Foundation

/// The flags that follow a Job to its end, shared by `submit`, `rerun` and `create job`:
/// `--watch` (live display), `--wait` (final line only), `--logs`, `--timeout`.
struct FollowOptions: Sendable, Equatable {
    /// Watch mode: nil when the command just creates and returns.
    enum Mode: Sendable, Equatable { case watch, quiet }

    /// The flags, for the commands that take them.
    static let specs = [
        OptionSpec("watch", short: "w", help: "Then follow it to the end (see drover watch)."),
        OptionSpec("wait", help: "Then wait for the end and print only the final line."),
        OptionSpec("logs", help: "With --watch: print the pods' output as it arrives."),
        OptionSpec("timeout", value: "DURATION", help: "With --watch/--wait: give up after this long (exit 2)."),
    ]

    var mode: Mode?
    var logs: Bool
    var timeout: TimeInterval?
    private var both: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        both = arguments.flag("watch") && arguments.flag("wait")
        mode = arguments.flag("wait") ? .quiet : arguments.flag("watch") ? .watch : nil
        logs = arguments.flag("logs")
        timeout = try arguments.value("timeout").map { v throws(UsageError) in TimeInterval(try JobManifest.seconds(v, flag: "timeout")) }
    }

    func validate() throws(UsageError) {
        if both { throw UsageError("--watch and --wait cannot be used together") }
        if logs && mode != .watch { throw UsageError("--logs needs --watch") }
        if timeout != nil && mode == nil { throw UsageError("--timeout needs --watch or --wait") }
    }

    /// Follows job `name` as the flags say; 0 when not following.
    func run(namespace: String, name: String, _ context: CommandContext) async throws -> Int32 {
        guard let mode else { return 0 }
        let display: JobWatch.Mode = mode == .quiet ? .quiet : context.isTerminal ? .live : .plain
        return try await JobWatch(namespace: namespace, name: name, mode: display, logs: logs, timeout: timeout).run(context)
    }
}
