import Client
import Model

/// What `label` and `annotate` share: `KIND NAME... k=v k2-` (or `KIND/NAME`, `-l`, `--all`),
/// kubectl's `--overwrite` rule (changing an existing value needs it; setting the same value does
/// not), and a merge patch of `metadata.labels` or `metadata.annotations` carrying only the changes.
struct MetadataMapEdit: Sendable {
    /// `labels` or `annotations`.
    var field: String
    /// `labeled` / `annotated` for messages.
    var pastTense: String
    var targets: [(resource: ResourceInfo, name: String)] = []
    var collection: ResourceInfo?
    var set: [(key: String, value: String)] = []
    var remove: [String] = []
    var overwrite: Bool
    var namespace: String?
    var allNamespaces: Bool
    var selector: String?
    var all: Bool

    static func options(_ noun: String) -> [OptionSpec] {
        [
            OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
            OptionSpec("all-namespaces", short: "A", help: "With -l or --all: every namespace."),
            OptionSpec("overwrite", help: "Allow changing \(noun)s that already have a value."),
            OptionSpec("selector", short: "l", value: "SELECTOR", help: "Change every object matching this label selector."),
            OptionSpec("all", help: "Change every object of the kind in the namespace."),
        ]
    }

    init(_ arguments: ParsedArguments, field: String, pastTense: String, noun: String) throws {
        self.field = field
        self.pastTense = pastTense
        overwrite = arguments.flag("overwrite")
        namespace = arguments.value("namespace")
        allNamespaces = arguments.flag("all-namespaces")
        selector = arguments.value("selector")
        all = arguments.flag("all")
        var objects: [String] = []
        for argument in arguments.positionals {
            if let equals = argument.firstIndex(of: "=") {
                let key = String(argument[..<equals])
                guard !key.isEmpty else { throw UsageError("invalid \(noun) spec: \(argument)") }
                set.append((key, String(argument[argument.index(after: equals)...])))
            } else if argument.hasSuffix("-") && !objects.isEmpty {
                remove.append(String(argument.dropLast()))
            } else {
                objects.append(argument)
            }
        }
        guard !set.isEmpty || !remove.isEmpty else { throw UsageError("at least one \(noun) update is required") }
        if set.contains(where: { pair in remove.contains(pair.key) }) {
            throw UsageError("can not both modify and remove \(noun == "annotation" ? "an" : "a") \(noun) in the same command")
        }
        guard let first = objects.first else { throw UsageError("one or more resources must be specified as <resource> <name> or <resource>/<name>") }
        if first.contains("/") {
            targets = try objects.map { argument in
                let kind = try KindArgument(argument)
                guard let name = kind.name else { throw UsageError("arguments in resource/name form must have a single resource and name") }
                return (kind.resource, name)
            }
        } else {
            let resource = try KindArgument(first).resource
            let names = objects.dropFirst()
            if names.isEmpty {
                guard selector != nil || all else { throw UsageError("resource(s) were provided, but no name was specified") }
                collection = resource
            } else {
                targets = names.map { (resource, $0) }
            }
        }
    }

    func validate() throws(UsageError) {
        if !targets.isEmpty && (selector != nil || all) { throw UsageError("name cannot be provided when a selector is specified") }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        var work: [(ResourceInfo, String?, String)] = targets.map { ($0.resource, $0.resource.namespaced ? namespace ?? "default" : nil, $0.name) }
        if let collection {
            let ns = collection.namespaced && !allNamespaces ? namespace ?? "default" : nil
            let items = try await client.list(collection, namespace: ns, options: ListOptions(labelSelector: selector)).items
            if items.isEmpty { context.printError("No resources found") }
            work += items.map { (collection, collection.namespaced ? $0.objectNamespace : nil, $0.objectName) }
        }
        var failed = false
        for (resource, ns, name) in work {
            do {
                let current = try await client.get(resource, namespace: ns, name: name)
                let (patch, messages) = try changes(to: current.value(at: ["metadata", field])?.stringMap ?? [:])
                for message in messages { context.printError(message) }
                guard let patch else {
                    context.print("\(resource.displayName)/\(name) not \(pastTense)")
                    continue
                }
                _ = try await client.patch(resource, namespace: ns, name: name, type: .merge, body: ["metadata": [field: patch]])
                context.print("\(resource.displayName)/\(name) \(pastTense)")
            } catch let error as StatusError {
                context.printError(ErrorReport.describe(error))
                failed = true
            } catch let error as CLIError {
                context.printError("error: \(error.message)")
                failed = true
            }
        }
        return failed ? 1 : 0
    }

    /// The merge patch of the map (nil when nothing changes) and notices about removals of keys
    /// that are not there; a change of an existing value without `--overwrite` is an error.
    func changes(to current: [String: String]) throws -> (JSONValue?, [String]) {
        var patch = JSONObject()
        var notices: [String] = []
        let conflicts = set.filter { pair in current[pair.key].map { $0 != pair.value } ?? false }
        if !overwrite, !conflicts.isEmpty {
            throw CLIError(conflicts.map { "'\($0.key)' already has a value (\(current[$0.key] ?? "")), and --overwrite is false" }.joined(separator: ", "))
        }
        for (key, value) in set where current[key] != value { patch[key] = .string(value) }
        for key in remove {
            if current[key] == nil {
                notices.append("\(field == "labels" ? "label" : "annotation") \"\(key)\" not found.")
            } else {
                patch[key] = .null
            }
        }
        return (patch.isEmpty ? nil : .object(patch), notices)
    }
}

/// `drover label KIND NAME k=v k2-`: sets and removes labels.
struct LabelCommand: Command {
    static let name = "label"
    static let summary = "Set or remove labels of resources."
    static let usage = """
      drover label KIND NAME... KEY=VALUE... KEY-... [--overwrite] [-n NS]
      drover label KIND -l SELECTOR | --all KEY=VALUE...

    Examples:
      drover label job hello team=a
      drover label pods -l app=web tier=front --overwrite
      drover label node/worker-1 zone-
    """
    static let options = MetadataMapEdit.options("label")
    var edit: MetadataMapEdit
    init(_ arguments: ParsedArguments) throws { edit = try MetadataMapEdit(arguments, field: "labels", pastTense: "labeled", noun: "label") }
    func validate() throws(UsageError) { try edit.validate() }
    func run(_ context: CommandContext) async throws -> Int32 { try await edit.run(context) }
}

/// `drover annotate KIND NAME k=v k2-`: sets and removes annotations.
struct AnnotateCommand: Command {
    static let name = "annotate"
    static let summary = "Set or remove annotations of resources."
    static let usage = """
      drover annotate KIND NAME... KEY=VALUE... KEY-... [--overwrite] [-n NS]
      drover annotate KIND -l SELECTOR | --all KEY=VALUE...

    Examples:
      drover annotate job hello owner=alice
      drover annotate job/hello owner-
    """
    static let options = MetadataMapEdit.options("annotation")
    var edit: MetadataMapEdit
    init(_ arguments: ParsedArguments) throws { edit = try MetadataMapEdit(arguments, field: "annotations", pastTense: "annotated", noun: "annotation") }
    func validate() throws(UsageError) { try edit.validate() }
    func run(_ context: CommandContext) async throws -> Int32 { try await edit.run(context) }
}
