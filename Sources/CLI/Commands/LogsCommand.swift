import Client
import Foundation
import Model

/// `drover logs POD [-c CONTAINER] [-f] [--tail N] [--previous] [-n NS]`: a container's output,
/// read through the API server's pods/log (which proxies to the agent on the pod's node).
struct LogsCommand: Command {
    static let name = "logs"
    static let summary = "Print the logs of a container in a pod."
    static let usage = """
      drover logs POD [-c CONTAINER] [-f] [--tail N] [--previous] [--timestamps] [-n NS]

    Examples:
      drover logs hello-x7k2p
      drover logs web -c sidecar --tail 20
      drover logs -f web
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("container", short: "c", value: "NAME", help: "Container (needed when the pod has several)."),
        OptionSpec("follow", short: "f", help: "Keep streaming new output until the container ends."),
        OptionSpec("tail", value: "N", help: "Only the last N lines (-1: all)."),
        OptionSpec("previous", short: "p", help: "The previous instance of a restarted container."),
        OptionSpec("timestamps", help: "Prefix each line with its time."),
    ]

    var pod: String
    var namespace: String
    var container: String?
    var follow: Bool
    var tail: Int?
    var previous: Bool
    var timestamps: Bool

    init(_ arguments: ParsedArguments) throws {
        guard let pod = arguments.positionals.first else { throw UsageError("a pod name is required: drover logs POD") }
        if arguments.positionals.count > 2 { throw UsageError("expected POD [CONTAINER], got \(arguments.positionals.count) arguments") }
        self.pod = pod.hasPrefix("pod/") || pod.hasPrefix("pods/") ? String(pod.drop { $0 != "/" }.dropFirst()) : pod
        namespace = arguments.value("namespace") ?? "default"
        container = arguments.value("container") ?? arguments.positionals.dropFirst().first
        follow = arguments.flag("follow")
        previous = arguments.flag("previous")
        timestamps = arguments.flag("timestamps")
        if let text = arguments.value("tail") {
            guard let value = Int(text), value >= -1 else { throw UsageError("--tail must be an integer of -1 or more, not \"\(text)\"") }
            tail = value < 0 ? nil : value
        }
    }

    func validate() throws(UsageError) {
        if follow && previous { throw UsageError("--follow and --previous cannot be used together") }
    }

    var request: RawRequest {
        var query: [(String, String)] = []
        if let container { query.append(("container", container)) }
        if follow { query.append(("follow", "true")) }
        if let tail { query.append(("tailLines", String(tail))) }
        if previous { query.append(("previous", "true")) }
        if timestamps { query.append(("timestamps", "true")) }
        return RawRequest(method: "GET", path: "/api/v1/namespaces/\(namespace)/pods/\(pod)/log", query: query,
                          headers: ["Accept": "text/plain"])
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        if follow, let http = client as? HTTPAPIClient {
            try await LogStream.follow(request, server: http.server, token: http.token, out: context.out)
            return 0
        }
        let response = try await client.raw(request).checked()
        context.out(response.text)
        return 0
    }
}
