import Client
import Foundation
import Model

/// `drover logs POD | job/NAME [-c CONTAINER] [-f] [--tail N] [--previous] [-n NS]`: a container's
/// output, read through the API server's pods/log (which proxies to the agent on the pod's node).
/// For a Job: every pod's output, each line prefixed with its pod; `-f` follows new pods as they
/// start and ends when the Job finishes.
struct LogsCommand: Command {
    static let name = "logs"
    static let summary = "Print the logs of a container in a pod."
    static let usage = """
      drover logs POD [-c CONTAINER] [-f] [--tail N] [--previous] [--timestamps] [-n NS]
      drover logs job/NAME [-f] [-c CONTAINER] [--tail N] [--timestamps] [-n NS]

    Examples:
      drover logs hello-x7k2p
      drover logs web -c sidecar --tail 20
      drover logs -f web
      drover logs job/sweep -f
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
    /// The Job whose pods' logs are wanted (`job/NAME`).
    var job: String?
    var namespace: String
    var container: String?
    var follow: Bool
    var tail: Int?
    var previous: Bool
    var timestamps: Bool

    init(_ arguments: ParsedArguments) throws {
        guard let pod = arguments.positionals.first else { throw UsageError("a pod name is required: drover logs POD") }
        if arguments.positionals.count > 2 { throw UsageError("expected POD [CONTAINER], got \(arguments.positionals.count) arguments") }
        job = JobArgument.prefixed(pod)
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

    /// The query of a log request, without the container.
    var options: [(String, String)] {
        var query: [(String, String)] = []
        if follow { query.append(("follow", "true")) }
        if let tail { query.append(("tailLines", String(tail))) }
        if previous { query.append(("previous", "true")) }
        if timestamps { query.append(("timestamps", "true")) }
        return query
    }

    var request: RawRequest {
        LogsCommand.request(namespace: namespace, pod: pod, container: container, options: options)
    }

    static func request(namespace: String, pod: String, container: String?, options: [(String, String)]) -> RawRequest {
        RawRequest(method: "GET", path: "/api/v1/namespaces/\(namespace)/pods/\(pod)/log",
                   query: (container.map { [("container", $0)] } ?? []) + options, headers: ["Accept": "text/plain"])
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        if let job { return try await jobLogs(job, client, context) }
        if follow {
            for try await chunk in client.stream(request) { context.out(String(decoding: chunk, as: UTF8.self)) }
            return 0
        }
        let response = try await client.raw(request).checked()
        context.out(response.text)
        return 0
    }

    /// Every pod of the Job, oldest first, each line prefixed; `-f` follows until the Job finishes.
    private func jobLogs(_ name: String, _ client: any APIClient, _ context: CommandContext) async throws -> Int32 {
        if follow {
            let watch = JobWatch(namespace: namespace, name: name, mode: .logsOnly, logs: true, logContainer: container,
                                 logOptions: options.filter { $0.0 != "follow" })
            _ = try await watch.run(context)
            return 0
        }
        let job = JobView(try await client.get(ResourceCatalog.jobs, namespace: namespace, name: name))
        let pods = try await client.list(ResourceCatalog.pods, namespace: namespace,
                                         options: ListOptions(labelSelector: "\(JobView.controllerUIDLabel)=\(job.uid)"))
            .items.map(PodView.init)
            .sorted { ($0.creationTimestamp ?? .distantPast, $0.name) < ($1.creationTimestamp ?? .distantPast, $1.name) }
        for pod in pods {
            let started = pod.containerStatuses.filter { $0.isRunning || $0.terminated != nil }.map(\.name)
            for containerName in started where container == nil || container == containerName {
                let prefix = pod.containerNames.count > 1 ? "[\(pod.name)/\(containerName)] " : "[\(pod.name)] "
                let text = try await client.raw(Self.request(namespace: namespace, pod: pod.name, container: containerName,
                                                             options: options)).checked().text
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                if text.hasSuffix("\n") { lines.removeLast() }
                if !lines.isEmpty { context.out(lines.map { prefix + $0 }.joined(separator: "\n") + "\n") }
            }
        }
        return 0
    }
}
