import Client
import Foundation
import Model

/// `drover delete KIND NAME... | KIND/NAME... | -f FILE | KIND -l SELECTOR | KIND --all`: deletes
/// with the chosen propagation (`--cascade`, background by default, so a Job's pods go too) and,
/// as kubectl, waits until each object is gone (`--wait=false` returns at once).
struct DeleteCommand: Command {
    static let name = "delete"
    static let summary = "Delete resources by name, file, label selector or all of a kind."
    static let usage = """
      drover delete KIND NAME... [-n NS]
      drover delete KIND/NAME...
      drover delete -f FILE|DIR [-R]
      drover delete KIND -l SELECTOR | --all [-n NS | -A]

    --cascade is background (default; also true), foreground (the owner goes after its dependents)
    or orphan (dependents stay; also false).

    Examples:
      drover delete job hello
      drover delete -f job.yaml
      drover delete jobs -l team=a --cascade=foreground
      drover delete pods --all --wait=false
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("all-namespaces", short: "A", help: "With -l or --all: every namespace."),
        OptionSpec("filename", short: "f", value: "FILE", help: "Delete the objects in this manifest or directory (repeatable)."),
        OptionSpec("recursive", short: "R", help: "Read the directories given with -f recursively."),
        OptionSpec("selector", short: "l", value: "SELECTOR", help: "Delete the objects matching this label selector."),
        OptionSpec("all", help: "Delete every object of the kind in the namespace."),
        OptionSpec("cascade", value: "MODE", help: "background, foreground or orphan (default background)."),
        OptionSpec("wait", help: "Wait until the objects are gone (default true; --wait=false to return at once)."),
        OptionSpec("timeout", value: "DURATION", help: "Give up waiting after this long, e.g. 60s (default: no limit)."),
        OptionSpec("grace-period", value: "SECONDS", help: "Seconds a pod gets to stop (default: the pod's own)."),
        OptionSpec("now", help: "Stop pods at once (--grace-period=1)."),
        OptionSpec("ignore-not-found", help: "Treat a missing object as deleted."),
    ]

    var targets: [(resource: ResourceInfo, name: String)] = []
    /// The kind for `-l` and `--all`.
    var collection: ResourceInfo?
    var files: [String]
    var recursive: Bool
    var namespace: String?
    var allNamespaces: Bool
    var selector: String?
    var all: Bool
    var propagation: PropagationPolicy
    var wait: Bool
    var timeout: Double?
    var gracePeriod: Int?
    var ignoreNotFound: Bool

    init(_ arguments: ParsedArguments) throws {
        files = arguments.allValues("filename")
        recursive = arguments.flag("recursive")
        namespace = arguments.value("namespace")
        allNamespaces = arguments.flag("all-namespaces")
        selector = arguments.value("selector")
        all = arguments.flag("all")
        ignoreNotFound = arguments.flag("ignore-not-found")
        propagation = try Self.propagation(arguments.value("cascade") ?? "background")
        // kubectl waits by default; the parser records only flags that were given.
        wait = arguments.flag("wait") || !arguments.explicitlyFalse("wait")
        if let text = arguments.value("timeout") {
            let seconds = try DurationArgument.seconds(text, flag: "timeout")
            timeout = seconds > 0 ? seconds : nil
        }
        if let text = arguments.value("grace-period") {
            guard let seconds = Int(text), seconds >= -1 else { throw UsageError("--grace-period must be a number of seconds") }
            gracePeriod = seconds < 0 ? nil : seconds
        }
        if arguments.flag("now") { gracePeriod = 1 }
        var positionals = arguments.positionals
        guard let first = positionals.first else { return }
        if first.contains("/") {
            targets = try positionals.map { argument in
                let kind = try KindArgument(argument)
                guard let name = kind.name else {
                    throw UsageError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form")
                }
                return (kind.resource, name)
            }
        } else {
            let resource = try KindArgument(positionals.removeFirst()).resource
            if positionals.isEmpty {
                guard selector != nil || all else { throw UsageError("resource(s) were provided, but no name was specified") }
                collection = resource
            } else {
                targets = positionals.map { (resource, $0) }
            }
        }
    }

    /// `--cascade`: kubectl's three modes and its older true/false spellings.
    static func propagation(_ text: String) throws(UsageError) -> PropagationPolicy {
        switch text.lowercased() {
        case "background", "true": return .background
        case "foreground": return .foreground
        case "orphan", "false": return .orphan
        default: throw UsageError("invalid cascade value (\(text)). Must be \"background\", \"foreground\", or \"orphan\"")
        }
    }

    func validate() throws(UsageError) {
        if targets.isEmpty && files.isEmpty && collection == nil {
            throw UsageError("you must provide one or more resources by argument or filename")
        }
        if !files.isEmpty && (!targets.isEmpty || collection != nil) { throw UsageError("give either -f FILE or KIND NAME, not both") }
        if !targets.isEmpty && (selector != nil || all) { throw UsageError("name cannot be provided when a selector is specified") }
        if selector != nil && all { throw UsageError("cannot set --all and --selector at the same time") }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        var work: [(ResourceInfo, String?, String)] = targets.map { ($0.resource, namespace ?? "default", $0.name) }
        for manifest in try ManifestSet.load(files, recursive: recursive, context: context) {
            let target = try manifest.target(defaultNamespace: namespace)
            work.append((target.resource, target.namespace, target.name))
        }
        if let collection {
            let listNamespace = collection.namespaced && !allNamespaces ? (namespace ?? "default") : nil
            let items = try await client.list(collection, namespace: listNamespace, options: ListOptions(labelSelector: selector)).items
            if items.isEmpty { context.printError("No resources found") }
            work += items.map { (collection, $0.objectNamespace, $0.objectName) }
        }
        var failed = false
        var deleted: [DeletionWaiter.Target] = []
        let options = DeleteOptions(propagationPolicy: propagation, gracePeriodSeconds: gracePeriod)
        for (resource, namespace, name) in work {
            let ns = resource.namespaced ? namespace : nil
            do {
                let answer = try await client.delete(resource, namespace: ns, name: name, options: options)
                context.print("\(resource.displayName) \"\(name)\" deleted")
                deleted.append(DeletionWaiter.Target(resource: resource, namespace: ns, name: name,
                                                     uid: answer.value(at: ["details", "uid"])?.string ?? answer.value(at: ["metadata", "uid"])?.string))
            } catch let error as StatusError {
                if ignoreNotFound && error.code == 404 { continue }
                context.printError(ErrorReport.describe(error))
                failed = true
            }
        }
        if wait && !deleted.isEmpty {
            let deadline = timeout.map { context.now().addingTimeInterval($0) }
            for target in deleted {
                guard try await DeletionWaiter.waitUntilGone(target, client: client, deadline: deadline, now: context.now) else {
                    context.printError("error: timed out waiting for the condition on \(target.resource.plural)/\(target.name)")
                    return 1
                }
            }
        }
        return failed ? 1 : 0
    }
}
