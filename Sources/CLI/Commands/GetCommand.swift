import Client
import Foundation
import Model

/// `drover get KIND [NAME...]`: a kubectl-style table by default, or the objects as JSON, YAML,
/// names, a JSONPath template or custom columns; `-w` keeps printing changes.
struct GetCommand: Command {
    static let name = "get"
    static let summary = "Display one or many resources."
    static let usage = """
      drover get KIND [NAME...] [-n NS | -A] [-o FORMAT] [-l SELECTOR] [--field-selector S] [--sort-by PATH] [-w]
      drover get KIND/NAME...

    FORMAT is wide, json, yaml, name, jsonpath=TEMPLATE or custom-columns=HEADER:PATH,...

    Examples:
      drover get pods
      drover get jobs -A -o wide
      drover get job.batch hello -o yaml
      drover get po -l app=web --field-selector status.phase=Running
      drover get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.spec.nodeName}{"\\n"}{end}'
      drover get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName --sort-by=.metadata.creationTimestamp
      drover get jobs -w
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("all-namespaces", short: "A", help: "List across all namespaces."),
        OptionSpec("output", short: "o", value: "FORMAT", help: "wide, json, yaml, name, jsonpath=…, custom-columns=…"),
        OptionSpec("selector", short: "l", value: "SELECTOR", help: "Label selector, e.g. app=web,tier!=db."),
        OptionSpec("field-selector", value: "SELECTOR", help: "Field selector, e.g. status.phase=Running."),
        OptionSpec("sort-by", value: "PATH", help: "Sort by a JSONPath field, e.g. .metadata.creationTimestamp."),
        OptionSpec("no-headers", help: "Leave out the header line of tables and custom columns."),
        OptionSpec("watch", short: "w", help: "After listing, print a line for every change."),
        OptionSpec("watch-only", help: "Print changes only, without the initial list."),
        OptionSpec("output-watch-events", help: "With --watch, add an EVENT column (ADDED, MODIFIED, DELETED)."),
    ]

    /// What `-o` asked for.
    enum Output: Equatable {
        case table, wide, json, yaml, name
        case jsonpath(JSONPath)
        case customColumns(CustomColumns)

        init(_ format: String) throws(UsageError) {
            switch format {
            case "": self = .table
            case "wide": self = .wide
            case "json": self = .json
            case "yaml": self = .yaml
            case "name": self = .name
            default:
                if format.hasPrefix("jsonpath=") || format.hasPrefix("jsonpath-as-text=") {
                    let template = String(format.drop { $0 != "=" }.dropFirst())
                    do {
                        self = .jsonpath(try JSONPath(template))
                    } catch {
                        throw UsageError("error parsing jsonpath \(template), \(error.message)")
                    }
                } else if format.hasPrefix("custom-columns=") {
                    self = .customColumns(try CustomColumns(String(format.dropFirst("custom-columns=".count))))
                } else {
                    throw UsageError("unable to match a printer suitable for the output format \"\(format)\", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml")
                }
            }
        }

        /// Table and wide come from the server's Table; everything else from the objects.
        var isTable: Bool { self == .table || self == .wide }
    }

    var resource: ResourceInfo
    var names: [String]
    var namespace: String?
    var allNamespaces: Bool
    var output: Output
    var labelSelector: String?
    var fieldSelector: String?
    var sortBy: JSONPath?
    var noHeaders: Bool
    var watch: Bool
    var watchOnly: Bool
    var watchEvents: Bool

    init(_ arguments: ParsedArguments) throws {
        var positionals = arguments.positionals
        guard !positionals.isEmpty else {
            throw UsageError("you must specify the type of resource to get, e.g. \"drover get pods\"")
        }
        if positionals[0].contains("/") {
            // `get job/a job/b`: every argument in kind/name form, one kind at a time.
            let kinds = try positionals.map { try KindArgument($0) }
            guard kinds.allSatisfy({ $0.name != nil }) else {
                throw UsageError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form")
            }
            guard Set(kinds.map(\.resource)).count == 1 else {
                throw UsageError("drover get takes one kind at a time; run it once per kind")
            }
            resource = kinds[0].resource
            names = kinds.compactMap(\.name)
        } else {
            resource = try KindArgument(positionals.removeFirst()).resource
            names = positionals
        }
        namespace = arguments.value("namespace")
        allNamespaces = arguments.flag("all-namespaces")
        output = try Output(arguments.value("output") ?? "")
        labelSelector = arguments.value("selector")
        fieldSelector = arguments.value("field-selector")
        if let expression = arguments.value("sort-by") {
            do {
                sortBy = try JSONPath(relaxed: expression)
            } catch {
                throw UsageError("error parsing --sort-by \(expression): \(error.message)")
            }
        }
        noHeaders = arguments.flag("no-headers")
        watchOnly = arguments.flag("watch-only")
        watch = arguments.flag("watch") || watchOnly
        watchEvents = arguments.flag("output-watch-events")
    }

    func validate() throws(UsageError) {
        if allNamespaces && !names.isEmpty {
            throw UsageError("a resource cannot be retrieved by name across all namespaces")
        }
        if !names.isEmpty && (labelSelector != nil || fieldSelector != nil) {
            throw UsageError("name cannot be provided when a selector is specified")
        }
        if watch && names.count > 1 {
            throw UsageError("watch is only supported on individual resources and resource collections, but \(names.count) resources were found")
        }
    }

    /// The namespace requests go to: nil for cluster-wide lists and cluster-scoped kinds.
    var effectiveNamespace: String? {
        guard resource.namespaced, !allNamespaces else { return nil }
        return namespace ?? "default"
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        var listed = ListResult(status: 0)
        // With an EVENT column the current objects come from the watch itself (replayed as ADDED).
        if !watchOnly && !(watchEvents && watch && output.isTable) {
            listed = output.isTable ? try await printTable(client, context) : try await printObjects(client, context)
        }
        // As kubectl: a named object that could not be read is not watched.
        if watch && !(listed.status != 0 && !names.isEmpty) { try await watchChanges(client, context, after: listed) }
        return listed.status
    }

    var listQuery: [(String, String)] {
        guard names.isEmpty else { return [] }
        var query: [(String, String)] = []
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        return query
    }

    func paths() throws -> [String] {
        if names.isEmpty { return [ResourcePath.collection(resource, namespace: effectiveNamespace)] }
        return try names.map { try ResourcePath.object(resource, namespace: effectiveNamespace, name: $0) }
    }

    /// Prints "No resources found …" as kubectl does for an empty list.
    func reportEmpty(_ context: CommandContext) {
        context.printError(effectiveNamespace.map { "No resources found in \($0) namespace." } ?? "No resources found")
    }
}

/// A resource argument: `pods`, `job.batch`, `deploy`, or `job/hello`.
struct KindArgument {
    var resource: ResourceInfo
    var name: String?

    init(_ text: String) throws {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        // `resolve` needs at least one character before any dot.
        guard !parts[0].isEmpty, !parts[0].hasPrefix("."), let resource = ResourceCatalog.resolve(parts[0]) else {
            // Kind names are short and alike (pod, node, po, no): only one edit away counts.
            let names = ResourceCatalog.all.flatMap { [$0.plural, $0.singular] }
            throw CLIError("the server doesn't have a resource type \"\(parts[0])\"" + Suggestions.hint(parts[0], among: names, maximumDistance: 1))
        }
        if parts.count == 2 && parts[1].isEmpty { throw UsageError("arguments in resource/name form must have a single resource and name") }
        self.resource = resource
        name = parts.count == 2 ? parts[1] : nil
    }
}
