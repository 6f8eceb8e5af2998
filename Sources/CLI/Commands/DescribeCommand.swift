import Client
import Foundation
import Model

/// `drover describe KIND [NAME...]`: each object in readable sections, with its owner, what it
/// owns, its conditions and its Events. As kubectl, a name that matches no object describes the
/// objects whose names start with it (`describe pod hello` finds `hello-x7k2p`).
struct DescribeCommand: Command {
    static let name = "describe"
    static let summary = "Show details of a resource, its owner, conditions and events."
    static let usage = """
      drover describe KIND [NAME...] [-n NS | -A] [-l SELECTOR]
      drover describe KIND/NAME...

    Examples:
      drover describe job hello
      drover describe pod hello          (also every pod whose name starts with "hello")
      drover describe nodes
      drover describe cj/nightly -n batch
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("all-namespaces", short: "A", help: "Describe matching objects in every namespace."),
        OptionSpec("selector", short: "l", value: "SELECTOR", help: "Label selector, e.g. app=web."),
    ]

    var targets: [(resource: ResourceInfo, name: String?)]
    var namespace: String?
    var allNamespaces: Bool
    var labelSelector: String?

    init(_ arguments: ParsedArguments) throws {
        guard let first = arguments.positionals.first else {
            throw UsageError("you must specify the type of resource to describe, e.g. \"drover describe pods\"")
        }
        if first.contains("/") {
            targets = try arguments.positionals.map { argument in
                let kind = try KindArgument(argument)
                guard let name = kind.name else {
                    throw UsageError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form")
                }
                return (kind.resource, name)
            }
        } else {
            let resource = try KindArgument(first).resource
            let names = arguments.positionals.dropFirst()
            targets = names.isEmpty ? [(resource, nil)] : names.map { (resource, $0) }
        }
        namespace = arguments.value("namespace")
        allNamespaces = arguments.flag("all-namespaces")
        labelSelector = arguments.value("selector")
    }

    func validate() throws(UsageError) {
        if labelSelector != nil && targets.contains(where: { $0.name != nil }) {
            throw UsageError("name cannot be provided when a selector is specified")
        }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        var failed = false
        var first = true
        let namespaceJobs = NamespaceJobs()
        for target in targets {
            let resource = target.resource
            let ns: String? = resource.namespaced ? (allNamespaces && target.name == nil ? nil : namespace ?? "default") : nil
            let objects: [JSONValue]
            do {
                objects = try await find(resource, namespace: ns, name: target.name, client: client)
            } catch let error as StatusError {
                context.printError(ErrorReport.describe(error))
                failed = true
                continue
            }
            if objects.isEmpty && target.name == nil {
                context.printError(ns.map { "No resources found in \($0) namespace." } ?? "No resources found")
            }
            for object in objects {
                let text = await ObjectDescription.render(object, resource: resource, client: client, now: context.now(),
                                                          namespaceJobs: namespaceJobs)
                context.out((first ? "" : "\n\n") + text)
                first = false
            }
        }
        return failed ? 1 : 0
    }

    /// The named object; failing that, those whose names start with `name`; or every object
    /// (matching the selector) when no name is given.
    private func find(_ resource: ResourceInfo, namespace: String?, name: String?, client: any APIClient) async throws -> [JSONValue] {
        guard let name else {
            let list = try await client.list(resource, namespace: namespace, options: ListOptions(labelSelector: labelSelector))
            return list.items.sorted { $0.objectName < $1.objectName }
        }
        do {
            return [try await client.get(resource, namespace: namespace, name: name)]
        } catch let error as StatusError where error.code == 404 {
            let prefixed = (try? await client.list(resource, namespace: namespace).items) ?? []
            let matches = prefixed.filter { $0.objectName.hasPrefix(name) }.sorted { $0.objectName < $1.objectName }
            if matches.isEmpty { throw error }
            return matches
        }
    }
}

/// Fetches what a description needs besides the object (events, owned pods or Jobs, a node's
/// pods) and picks the describer for the kind.
enum ObjectDescription {
    /// `namespaceJobs` keeps the Jobs listed for one Job's dependency chain for the next Job of the
    /// same namespace (`describe jobs` lists each namespace once, not once per Job).
    static func render(_ object: JSONValue, resource: ResourceInfo, client: any APIClient, now: Date,
                       namespaceJobs: NamespaceJobs = NamespaceJobs()) async -> String {
        let meta = ObjectMetaView(object["metadata"])
        let events = await self.events(for: object, resource: resource, client: client)
        switch resource.kind {
        case "Pod":
            return PodDescriber.describe(object, events: events, now: now)
        case "Job":
            let selector = SelectorText.render(JobView(object).selector)
            let pods = selector == "<none>" ? [] : await items(ResourceCatalog.pods, meta.namespace, ListOptions(labelSelector: selector), client)
            // The namespace's Jobs show the dependency chain: upstream by name, downstream by their annotations.
            let jobs = await namespaceJobs.jobs(in: meta.namespace, client: client)
            return JobDescriber.describe(object, pods: pods, events: events, namespaceJobs: jobs, now: now)
        case "CronJob":
            let jobs = await controlled(ResourceCatalog.jobs, by: meta, client)
                .sorted { $0.objectName < $1.objectName }
            return CronJobDescriber.describe(object, jobs: jobs, events: events, now: now)
        case "Node":
            let pods = await items(ResourceCatalog.pods, nil, ListOptions(fieldSelector: "spec.nodeName=\(meta.name)"), client)
                .sorted { ($0.objectNamespace, $0.objectName) < ($1.objectNamespace, $1.objectName) }
            return NodeDescriber.describe(object, pods: pods, events: events, now: now)
        case "Deployment":
            let owned = await controlled(ResourceCatalog.replicaSets, by: meta, client).sorted { $0.objectName < $1.objectName }
            return WorkloadDescriber.deployment(object, replicaSets: owned, events: events, now: now)
        case "ReplicaSet":
            let pods = await controlled(ResourceCatalog.pods, by: meta, client)
            return WorkloadDescriber.replicaSet(object, pods: pods, events: events, now: now)
        case "DaemonSet":
            let pods = await controlled(ResourceCatalog.pods, by: meta, client)
            return WorkloadDescriber.daemonSet(object, pods: pods, events: events, now: now)
        default:
            return GenericDescriber.describe(object, namespaced: resource.namespaced, events: events, now: now)
        }
    }

    /// The objects of `resource` in the owner's namespace whose controller is the owner.
    static func controlled(_ resource: ResourceInfo, by owner: ObjectMetaView, _ client: any APIClient) async -> [JSONValue] {
        await items(resource, owner.namespace, ListOptions(), client).filter { ObjectMetaView($0["metadata"]).controllerReference?.uid == owner.uid }
    }

    /// The object's Events, selected as kubectl does by involvedObject name, namespace, kind and uid.
    static func events(for object: JSONValue, resource: ResourceInfo, client: any APIClient) async -> [JSONValue] {
        let meta = ObjectMetaView(object["metadata"])
        var fields = ["involvedObject.name=\(meta.name)", "involvedObject.kind=\(resource.kind)"]
        if resource.namespaced { fields.append("involvedObject.namespace=\(meta.namespace)") }
        if !meta.uid.isEmpty { fields.append("involvedObject.uid=\(meta.uid)") }
        let namespace = resource.namespaced ? meta.namespace : nil
        return await items(ResourceCatalog.events, namespace, ListOptions(fieldSelector: fields.joined(separator: ",")), client)
    }

    /// A list's items; a failed list (no permission, say) leaves its section empty rather than
    /// failing the whole description.
    static func items(_ resource: ResourceInfo, _ namespace: String?, _ options: ListOptions, _ client: any APIClient) async -> [JSONValue] {
        (try? await client.list(resource, namespace: namespace, options: options).items) ?? []
    }
}

/// The Jobs of each namespace, listed once per `describe` run.
final class NamespaceJobs: @unchecked Sendable {
    private let lock = NSLock()
    private var lists: [String: [JSONValue]] = [:]

    func jobs(in namespace: String, client: any APIClient) async -> [JSONValue] {
        if let known = lock.withLock({ lists[namespace] }) { return known }
        let listed = await ObjectDescription.items(ResourceCatalog.jobs, namespace, ListOptions(), client)
        lock.withLock { lists[namespace] = listed }
        return listed
    }
}
