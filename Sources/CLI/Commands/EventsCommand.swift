import Client
import Foundation
import Model

/// `drover events [-n NS | -A] [--for KIND/NAME] [--types Warning] [-w]`: the cluster's Events,
/// oldest first, as `kubectl events` prints them (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE).
struct EventsCommand: Command {
    static let name = "events"
    static let summary = "List events, optionally about one object, and follow new ones."
    static let usage = """
      drover events [-n NS | -A] [--for KIND/NAME] [--types Normal,Warning] [-w]

    Examples:
      drover events
      drover events --for job/hello
      drover events -A --types Warning -w
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("all-namespaces", short: "A", help: "Events of every namespace."),
        OptionSpec("for", value: "KIND/NAME", help: "Only events about this object."),
        OptionSpec("types", value: "TYPES", help: "Only these event types, comma-separated (Normal, Warning)."),
        OptionSpec("watch", short: "w", help: "After listing, print new events as they happen."),
        OptionSpec("no-headers", help: "Leave out the header line."),
    ]

    var namespace: String?
    var allNamespaces: Bool
    var involved: (resource: ResourceInfo, name: String)?
    var types: Set<String>
    var watch: Bool
    var noHeaders: Bool

    init(_ arguments: ParsedArguments) throws {
        if let extra = arguments.positionals.first { throw UsageError("unexpected argument \"\(extra)\"; use --for KIND/NAME") }
        namespace = arguments.value("namespace")
        allNamespaces = arguments.flag("all-namespaces")
        watch = arguments.flag("watch")
        noHeaders = arguments.flag("no-headers")
        types = Set((arguments.value("types") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).capitalized })
        if let text = arguments.value("for") {
            let kind = try KindArgument(text)
            guard let name = kind.name else { throw UsageError("--for must be KIND/NAME, e.g. job/hello") }
            involved = (kind.resource, name)
        }
    }

    func validate() throws(UsageError) {
        if involved != nil && allNamespaces { throw UsageError("--for cannot be used with --all-namespaces") }
    }

    var listNamespace: String? { allNamespaces ? nil : namespace ?? "default" }

    var fieldSelector: String? {
        guard let involved else { return nil }
        return "involvedObject.kind=\(involved.resource.kind),involvedObject.name=\(involved.name)"
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        let list = try await client.list(ResourceCatalog.events, namespace: listNamespace, options: ListOptions(fieldSelector: fieldSelector))
        let events = EventsSection.sorted(list.items.filter(wanted))
        var rows = events.map { row($0, now: context.now()) }
        let header = (allNamespaces ? ["NAMESPACE"] : []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
        if rows.isEmpty && !watch {
            context.printError(listNamespace.map { "No events found in \($0) namespace." } ?? "No events found.")
            return 0
        }
        if !noHeaders { rows.insert(header, at: 0) }
        if !rows.isEmpty { context.out(TablePrinter.align(rows).joined(separator: "\n") + "\n") }
        guard watch else { return 0 }
        var widths = (rows.first ?? header).indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        var headerPrinted = !rows.isEmpty && !noHeaders
        let options = WatchOptions(resourceVersion: list.resourceVersion, fieldSelector: fieldSelector)
        for try await event in client.watch(ResourceCatalog.events, namespace: listNamespace, options: options) {
            guard event.type == .added || event.type == .modified, wanted(event.object) else { continue }
            var lines = [row(event.object, now: context.now())]
            if !headerPrinted && !noHeaders { lines.insert(header, at: 0); headerPrinted = true }
            for line in lines { for (i, cell) in line.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
            context.out(lines.map { line in
                line.enumerated().map { i, cell in i < line.count - 1 ? cell + String(repeating: " ", count: widths[i] - cell.count + 3) : cell }.joined()
            }.joined(separator: "\n") + "\n")
        }
        return 0
    }

    func wanted(_ event: JSONValue) -> Bool {
        types.isEmpty || types.contains(event["type"]?.string ?? "")
    }

    /// `5s  Normal  Scheduled  pod/hello-x  Successfully assigned …`.
    func row(_ event: JSONValue, now: Date) -> [String] {
        let cells = EventsSection.row(event, now: now)  // type, reason, age, source, message
        let kind = (event.value(at: ["involvedObject", "kind"])?.string ?? "").lowercased()
        let object = "\(kind)/\(event.value(at: ["involvedObject", "name"])?.string ?? "")"
        let namespace = allNamespaces ? [event.objectNamespace] : []
        return namespace + [cells[2], cells[0], cells[1], object, cells[4]]
    }
}
