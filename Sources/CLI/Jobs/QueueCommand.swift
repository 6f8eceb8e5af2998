import Client
import Foundation
import Model

/// `drover queue` — the queues and what waits in them, for Kueue's API. Without a name: every
/// ClusterQueue (cohort, strategy, usage against nominal quota, pending and admitted counts, fair
/// share) and the LocalQueues of the namespace (`-A`: of all). With a name: that queue's pending
/// Jobs in order, squeue-like (position, job, priority, requested, waiting, why), positions from
/// the visibility API (visibility.kueue.x-k8s.io/v1beta1 pendingworkloads).
struct QueueCommand: Command {
    static let name = "queue"
    static let summary = "Show queues, their quota usage, and the pending Jobs of one queue with positions."
    static let usage = """
      drover queue [-n NS | -A]
      drover queue QUEUE [-n NS]
      drover queue clusterqueue/NAME | localqueue/NAME [-n NS]

    QUEUE is a LocalQueue of the namespace, else a ClusterQueue of that name.

    Examples:
      drover queue
      drover queue research
      drover queue cq/shared
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace of the LocalQueues (default \"default\")."),
        OptionSpec("all-namespaces", short: "A", help: "LocalQueues of every namespace."),
        OptionSpec("no-headers", help: "Leave out the header lines."),
    ]

    enum Target: Equatable {
        case summary
        case named(String)
        case clusterQueue(String)
        case localQueue(String)
    }

    var target: Target
    var namespace: String
    var allNamespaces: Bool
    var noHeaders: Bool

    init(_ arguments: ParsedArguments) throws {
        namespace = arguments.value("namespace") ?? "default"
        allNamespaces = arguments.flag("all-namespaces")
        noHeaders = arguments.flag("no-headers")
        guard arguments.positionals.count <= 1 else { throw UsageError("drover queue takes at most one QUEUE") }
        guard let argument = arguments.positionals.first else {
            target = .summary
            return
        }
        let parts = argument.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            target = .named(argument)
            return
        }
        switch ResourceCatalog.resolve(parts[0])?.kind {
        case "ClusterQueue"?: target = .clusterQueue(parts[1])
        case "LocalQueue"?: target = .localQueue(parts[1])
        default: throw UsageError("drover queue takes a ClusterQueue or LocalQueue, not \(parts[0].goQuoted)")
        }
    }

    func validate() throws(UsageError) {
        if allNamespaces && target != .summary { throw UsageError("-A lists every namespace's queues; it takes no QUEUE") }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        switch target {
        case .summary:
            let clusterQueues = try await client.list(ResourceCatalog.clusterQueues, namespace: nil).items
            let localQueues = try await client.list(ResourceCatalog.localQueues, namespace: allNamespaces ? nil : namespace).items
            if clusterQueues.isEmpty && localQueues.isEmpty {
                context.printError("No queues found")
                return 0
            }
            print(QueueTables.clusterQueueRows(clusterQueues), context)
            if !localQueues.isEmpty {
                if !noHeaders { context.print("") }
                print(QueueTables.localQueueRows(localQueues, showNamespace: allNamespaces), context)
            }
            return 0
        case .named(let name):
            if try await client.getIfPresent(ResourceCatalog.localQueues, namespace: namespace, name: name) != nil {
                return try await pending(localQueue: name, client, context)
            }
            guard try await client.getIfPresent(ResourceCatalog.clusterQueues, namespace: nil, name: name) != nil else {
                throw CLIError("no LocalQueue \(name.goQuoted) in namespace \(namespace.goQuoted) and no ClusterQueue \(name.goQuoted)")
            }
            return try await pending(clusterQueue: name, client, context)
        case .clusterQueue(let name): return try await pending(clusterQueue: name, client, context)
        case .localQueue(let name): return try await pending(localQueue: name, client, context)
        }
    }

    private func pending(clusterQueue name: String, _ client: any APIClient, _ context: CommandContext) async throws -> Int32 {
        let summary = try await client.raw(RawRequest(path: "/apis/\(PendingWorkloads.apiVersion)/clusterqueues/\(name)/pendingworkloads",
                                                      headers: ["Accept": "application/json"])).checked().json()
        let workloads = try await client.list(ResourceCatalog.workloads, namespace: nil).items
        return show(summary, workloads: workloads, inLocalQueue: false, title: "ClusterQueue \(name)", context)
    }

    private func pending(localQueue name: String, _ client: any APIClient, _ context: CommandContext) async throws -> Int32 {
        let path = "/apis/\(PendingWorkloads.apiVersion)/namespaces/\(namespace)/localqueues/\(name)/pendingworkloads"
        let summary = try await client.raw(RawRequest(path: path, headers: ["Accept": "application/json"])).checked().json()
        let workloads = try await client.list(ResourceCatalog.workloads, namespace: namespace).items
        return show(summary, workloads: workloads, inLocalQueue: true, title: "LocalQueue \(namespace)/\(name)", context)
    }

    private func show(_ summary: JSONValue, workloads: [JSONValue], inLocalQueue: Bool, title: String, _ context: CommandContext) -> Int32 {
        let rows = QueueTables.pendingRows(summary: summary, workloads: workloads, inLocalQueue: inLocalQueue,
                                           showNamespace: !inLocalQueue, now: context.now())
        guard rows.count > 1 else {
            context.printError("No pending Jobs in \(title)")
            return 0
        }
        if !noHeaders { context.print("\(title): \(rows.count - 1) pending") }
        print(rows, context)
        return 0
    }

    private func print(_ rows: [[String]], _ context: CommandContext) {
        let lines = TablePrinter.align(noHeaders ? Array(rows.dropFirst()) : rows)
        if !lines.isEmpty { context.out(lines.joined(separator: "\n") + "\n") }
    }
}
