import Client
import Foundation
import Model

/// `drover watch job/NAME`: follows a Job to its end with live progress. Exits 0 when it completes,
/// 1 when it fails (with the reason, and the last failed pod's exit code and log tail), 2 on timeout.
struct WatchCommand: Command {
    static let name = "watch"
    static let summary = "Follow a job to its end: progress, pod changes, logs; exit 0 complete, 1 failed, 2 timeout."
    static let usage = """
      drover watch job/NAME [--logs] [--timeout DURATION] [-n NS]

    On a terminal the progress line is redrawn in place; piped, every change is a plain line.

    Examples:
      drover watch job/sweep
      drover watch job/train --logs
      drover watch job/nightly --timeout 30m || echo "did not finish"
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("logs", help: "Print the pods' output as it arrives, prefixed by pod name."),
        OptionSpec("timeout", value: "DURATION", help: "Give up after this long (exit 2), e.g. 30m."),
    ]

    var name: String
    var namespace: String
    var logs: Bool
    var timeout: TimeInterval?

    init(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1, let target = arguments.positionals.first else {
            throw UsageError("expected one job: drover watch job/NAME")
        }
        name = try JobArgument.name(target)
        namespace = arguments.value("namespace") ?? "default"
        logs = arguments.flag("logs")
        timeout = try arguments.value("timeout").map { v throws(UsageError) in TimeInterval(try JobManifest.seconds(v, flag: "timeout")) }
    }

    func validate() throws(UsageError) {}

    func run(_ context: CommandContext) async throws -> Int32 {
        try await JobWatch(namespace: namespace, name: name, mode: context.isTerminal ? .live : .plain, logs: logs,
                           timeout: timeout).run(context)
    }
}

/// A Job named on the command line: `job/NAME`, `jobs/NAME`, `job.batch/NAME`, or a bare NAME.
enum JobArgument {
    /// How a Job's kind may be spelled before the slash.
    static let kinds: Set<Substring> = ["job", "jobs", "job.batch", "jobs.batch"]

    static func name(_ text: String) throws(UsageError) -> String {
        guard let slash = text.firstIndex(of: "/") else { return text }
        let kind = text[..<slash]
        guard kinds.contains(kind) else { throw UsageError("only jobs can be followed, not \(String(kind).goQuoted)") }
        guard let name = prefixed(text) else { throw UsageError("a job name is required after \(kind)/") }
        return name
    }

    /// `job/NAME` when `text` names a Job that way; nil otherwise (a pod name, say).
    static func prefixed(_ text: String) -> String? {
        guard let slash = text.firstIndex(of: "/"), kinds.contains(text[..<slash]) else { return nil }
        let name = String(text[text.index(after: slash)...])
        return name.isEmpty ? nil : name
    }
}
