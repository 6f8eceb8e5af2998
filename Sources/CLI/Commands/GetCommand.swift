import Client
import Foundation
import Model

/// `drover get KIND [NAME...]`: a kubectl-style table by default, or the objects as JSON, YAML or names.
struct GetCommand: Command {
    static let name = "get"
    static let summary = "Display one or many resources."
    static let usage = """
      drover get KIND [NAME...] [-n NS | -A] [-o json|yaml|wide|name] [-l SELECTOR] [--field-selector S]
      drover get KIND/NAME

    Examples:
      drover get pods
      drover get jobs -A -o wide
      drover get job.batch hello -o yaml
      drover get po -l app=web --field-selector status.phase=Running
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("all-namespaces", short: "A", help: "List across all namespaces."),
        OptionSpec("output", short: "o", value: "FORMAT", help: "json, yaml, wide or name."),
        OptionSpec("selector", short: "l", value: "SELECTOR", help: "Label selector, e.g. app=web,tier!=db."),
        OptionSpec("field-selector", value: "SELECTOR", help: "Field selector, e.g. status.phase=Running."),
    ]

    /// The output formats `-o` takes.
    enum Output: String, CaseIterable { case table = "", json, yaml, wide, name }

    var resource: ResourceInfo
    var names: [String]
    var namespace: String?
    var allNamespaces: Bool
    var output: Output
    var labelSelector: String?
    var fieldSelector: String?

    init(_ arguments: ParsedArguments) throws {
        var positionals = arguments.positionals
        guard !positionals.isEmpty else {
            throw UsageError("you must specify the type of resource to get, e.g. \"drover get pods\"")
        }
        let kind = try KindArgument(positionals.removeFirst())
        resource = kind.resource
        names = kind.name.map { [$0] + positionals } ?? positionals
        namespace = arguments.value("namespace")
        allNamespaces = arguments.flag("all-namespaces")
        let format = arguments.value("output") ?? ""
        guard let output = Output(rawValue: format) else {
            throw UsageError("unable to match a printer suitable for the output format \"\(format)\", allowed formats are: json,name,wide,yaml")
        }
        self.output = output
        labelSelector = arguments.value("selector")
        fieldSelector = arguments.value("field-selector")
    }

    func validate() throws(UsageError) {
        if allNamespaces && !names.isEmpty {
            throw UsageError("a resource cannot be retrieved by name across all namespaces")
        }
        if !names.isEmpty && (labelSelector != nil || fieldSelector != nil) {
            throw UsageError("name cannot be provided when a selector is specified")
        }
    }

    /// The namespace requests go to: nil for cluster-wide lists and cluster-scoped kinds.
    var effectiveNamespace: String? {
        guard resource.namespaced, !allNamespaces else { return nil }
        return namespace ?? "default"
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        switch output {
        case .table, .wide: return try await printTable(client, context)
        case .json, .yaml, .name: return try await printObjects(client, context)
        }
    }

    private func printTable(_ client: any APIClient, _ context: CommandContext) async throws -> Int32 {
        let printer = TablePrinter(wide: output == .wide, showNamespace: allNamespaces && resource.namespaced)
        let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
        var lines: [String] = []
        var failed = false
        for path in try paths() {
            let request = RawRequest(method: "GET", path: path, query: listQuery, headers: ["Accept": tableAccept])
            let response: RawResponse
            do {
                response = try await client.raw(request).checked()
            } catch let error as StatusError where !names.isEmpty {
                context.printError(ErrorReport.describe(error))
                failed = true
                continue
            }
            var table = try response.json()
            if table["kind"]?.string != "Table" { table = TablePrinter.fallbackTable(for: table, now: context.now()) }
            let rendered = printer.render(table)
            // Several names make one table: the header is printed once.
            lines += lines.isEmpty ? rendered : Array(rendered.dropFirst())
        }
        if !lines.isEmpty {
            context.out(lines.joined(separator: "\n") + "\n")
        } else if names.isEmpty {
            context.printError(effectiveNamespace.map { "No resources found in \($0) namespace." } ?? "No resources found")
        }
        return failed ? 1 : 0
    }

    private var listQuery: [(String, String)] {
        guard names.isEmpty else { return [] }
        var query: [(String, String)] = []
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        return query
    }

    private func paths() throws -> [String] {
        if names.isEmpty { return [ResourcePath.collection(resource, namespace: effectiveNamespace)] }
        return try names.map { try ResourcePath.object(resource, namespace: effectiveNamespace, name: $0) }
    }

    private func printObjects(_ client: any APIClient, _ context: CommandContext) async throws -> Int32 {
        var objects: [JSONValue] = []
        var failed = false
        if names.isEmpty {
            let options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector)
            objects = try await client.list(resource, namespace: effectiveNamespace, options: options).items
        } else {
            for name in names {
                do {
                    objects.append(try await client.get(resource, namespace: effectiveNamespace, name: name))
                } catch let error as StatusError {
                    context.printError(ErrorReport.describe(error))
                    failed = true
                }
            }
        }
        objects = objects.map(withTypeMeta)
        switch output {
        case .name:
            for object in objects { context.print("\(resource.displayName)/\(object.value(at: ["metadata", "name"])?.string ?? "")") }
        case .json, .yaml:
            // One named object prints bare; anything else is wrapped in a List, as kubectl does.
            let document: JSONValue = names.count == 1 && objects.count == 1 ? objects[0]
                : ["apiVersion": "v1", "items": .array(objects), "kind": "List", "metadata": ["resourceVersion": ""]]
            if names.count == 1 && objects.isEmpty { break }
            context.out(output == .json ? JSONPrettyPrinter.render(document) : YAMLWriter.render(document))
        case .table, .wide:
            break
        }
        if names.isEmpty && objects.isEmpty && output == .name {
            context.printError(effectiveNamespace.map { "No resources found in \($0) namespace." } ?? "No resources found")
        }
        return failed ? 1 : 0
    }

    /// List items may omit kind and apiVersion; printed objects carry them.
    private func withTypeMeta(_ object: JSONValue) -> JSONValue {
        guard object["kind"] == nil || object["apiVersion"] == nil else { return object }
        var typed: JSONValue = ["apiVersion": .string(resource.apiVersion), "kind": .string(resource.kind)]
        for (k, v) in object.object?.pairs ?? [] { typed[k] = v }
        return typed
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
            throw CLIError("the server doesn't have a resource type \"\(parts[0])\"")
        }
        if parts.count == 2 && parts[1].isEmpty { throw UsageError("arguments in resource/name form must have a single resource and name") }
        self.resource = resource
        name = parts.count == 2 ? parts[1] : nil
    }
}
