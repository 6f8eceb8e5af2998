import Client
import Foundation
import Model

/// `drover rollout status|history|undo|pause|resume|restart deployment/NAME` (and `daemonset/NAME`
/// for status, history, undo, restart): kubectl's rollout verbs, with kubectl's wording. status
/// follows a watch of the object (`RolloutStatusWatch`); history and undo read the ReplicaSets a
/// Deployment controls (`DeploymentHistory`) or a DaemonSet's ControllerRevisions
/// (`DaemonSetHistory`); pause, resume and restart are merge patches (`RolloutCommand+Patches`).
struct RolloutCommand: Command {
    static let name = "rollout"
    static let summary = "Manage the rollout of a Deployment or DaemonSet: status, history, undo, pause, resume, restart."
    static let usage = """
      drover rollout status (deployment NAME | deployment/NAME) [--timeout D] [-w=false] [--revision N]
      drover rollout history deployment/NAME [--revision N]
      drover rollout undo deployment/NAME [--to-revision N]
      drover rollout pause|resume|restart deployment/NAME
      drover rollout status|history|undo|restart daemonset/NAME

    status waits until the rollout is done (exit 0) or its progress deadline passed (exit 1);
    -w=false prints the state once. undo goes back to the revision before the newest one.

    Examples:
      drover rollout status deployment/web --timeout 2m
      drover rollout history deployment/web --revision 2
      drover rollout undo deployment/web --to-revision 1
      drover rollout restart deployment/web
      drover rollout undo daemonset/node-exporter
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("watch", short: "w", help: "status: watch until the rollout is done (default true)."),
        OptionSpec("timeout", value: "D", help: "status: give up after D (30s, 5m); 0 waits forever."),
        OptionSpec("revision", value: "N", help: "status: pin to revision N; history: show revision N's pod template."),
        OptionSpec("to-revision", value: "N", help: "undo: the revision to go back to (default: the previous one)."),
    ]

    /// The sub-verbs, in help order.
    enum Action: String, CaseIterable, Sendable {
        case status, history, undo, pause, resume, restart
    }

    var action: Action
    var resource: ResourceInfo
    var objectName: String
    var namespace: String
    var watch: Bool
    var timeout: Double?
    var revision: Int
    var toRevision: Int

    init(_ arguments: ParsedArguments) throws {
        guard let word = arguments.positionals.first else {
            throw UsageError("a sub-command is required: drover rollout \(Action.allCases.map(\.rawValue).joined(separator: "|")) deployment/NAME")
        }
        guard let action = Action(rawValue: word) else {
            throw UsageError("unknown command \"\(word)\" for \"drover rollout\"" + Suggestions.hint(word, among: Action.allCases.map(\.rawValue)))
        }
        self.action = action
        let objects = Array(arguments.positionals.dropFirst())
        if objects.isEmpty { throw UsageError("required resource not specified") }
        let (resource, name) = try ObjectArgument.one(objects, verb: "rollout \(word)")
        self.resource = resource
        objectName = name
        namespace = arguments.value("namespace") ?? "default"
        watch = !arguments.explicitlyFalse("watch")
        timeout = try arguments.value("timeout").map { try DurationArgument.seconds($0, flag: "timeout") }.flatMap { $0 > 0 ? $0 : nil }
        revision = try Self.revisionFlag(arguments.value("revision"), flag: "revision")
        toRevision = try Self.revisionFlag(arguments.value("to-revision"), flag: "to-revision", allowNegative: true)
        let given = { (flag: String) in arguments.value(flag) != nil || arguments.flag(flag) || arguments.explicitlyFalse(flag) }
        let allowed: [Action: Set<String>] = [.status: ["watch", "timeout", "revision"], .history: ["revision"], .undo: ["to-revision"]]
        for flag in ["watch", "timeout", "revision", "to-revision"] where given(flag) && !(allowed[action]?.contains(flag) ?? false) {
            throw UsageError("unknown flag: --\(flag) (not a flag of rollout \(word))")
        }
    }

    /// A revision flag's value; kubectl rejects negative ones except `--to-revision`, which fails later.
    static func revisionFlag(_ text: String?, flag: String, allowNegative: Bool = false) throws(UsageError) -> Int {
        guard let text else { return 0 }
        guard let value = Int(text) else { throw UsageError("invalid argument \"\(text)\" for \"--\(flag)\" flag: not an integer") }
        if value < 0 && !allowNegative { throw UsageError("revision must be a positive integer: \(value)") }
        return value
    }

    func validate() throws(UsageError) {}

    func run(_ context: CommandContext) async throws -> Int32 {
        let daemonSet = resource == ResourceCatalog.daemonSets
        guard resource == ResourceCatalog.deployments || (daemonSet && ![.pause, .resume].contains(action)) else { throw unsupported }
        let client = try context.client()
        switch action {
        case .status:
            return try await RolloutStatusWatch(client: client, resource: resource, namespace: namespace, name: objectName,
                                                revision: revision, watch: watch, timeout: timeout).run(context)
        case .history where daemonSet: return try await daemonSetHistory(client, context)
        case .undo where daemonSet: return try await daemonSetUndo(client, context)
        case .history: return try await history(client, context)
        case .undo: return try await undo(client, context)
        case .pause, .resume, .restart: return try await patch(client, context)
        }
    }

    /// `deployment.apps/web`, the prefix of every result line.
    var displayName: String { "\(resource.displayName)/\(objectName)" }
    /// `deployments.apps "web"`, how kubectl names the object in errors.
    var quotedName: String { "\(resource.storageName) \"\(objectName)\"" }

    /// kubectl's words for a kind it has no rollout helper for.
    var unsupported: CLIError {
        let kind = resource.group.isEmpty ? resource.kind : "\(resource.kind).\(resource.group)"
        switch action {
        case .status: return CLIError("no status viewer has been implemented for \(kind)")
        case .history: return CLIError("no history viewer has been implemented for \"\(kind)\"")
        case .undo: return CLIError("no rollbacker has been implemented for \"\(kind)\"")
        case .pause: return CLIError("\(quotedName) pausing is not supported")
        case .resume: return CLIError("\(quotedName) resuming is not supported")
        case .restart: return CLIError("\(quotedName) restarting is not supported")
        }
    }

    /// The Deployment and the ReplicaSets it controls (listed by its selector, kept by controller uid).
    func deploymentHistory(_ client: any APIClient) async throws -> DeploymentHistory {
        let deployment = DeploymentView(try await client.get(resource, namespace: namespace, name: objectName))
        let selector = deployment.selector.flatMap { try? LabelSelector.from($0).description }
        let sets = try await client.list(ResourceCatalog.replicaSets, namespace: namespace,
                                         options: ListOptions(labelSelector: selector)).items
        return DeploymentHistory(deployment: deployment, candidates: sets)
    }

    /// kubectl prints the name, then the table (or `with revision #N` and the template).
    private func history(_ client: any APIClient, _ context: CommandContext) async throws -> Int32 {
        let history = try await deploymentHistory(client)
        if revision > 0 {
            let details = try history.details(revision: revision, now: context.now())
            context.print("\(displayName) with revision #\(revision)\n" + details)
        } else {
            context.print("\(displayName) \n" + history.table())
        }
        return 0
    }

    private func undo(_ client: any APIClient, _ context: CommandContext) async throws -> Int32 {
        let history = try await deploymentHistory(client)
        switch try history.rollback(toRevision: toRevision, resumeCommand: "drover rollout resume deployment/\(objectName)") {
        case .skipped(let text):
            context.print("\(displayName) \(text)")
        case .patch(let body):
            do {
                _ = try await client.patch(resource, namespace: namespace, name: objectName, type: .json, body: body)
            } catch let error as StatusError {
                throw CLIError("failed restoring revision \(toRevision): \(error.message)")
            }
            context.print("\(displayName) rolled back")
        }
        return 0
    }
}

extension RolloutCommand {
    /// The DaemonSet and the ControllerRevisions it controls (listed by its selector, kept by controller uid).
    func daemonSetRevisions(_ client: any APIClient) async throws -> DaemonSetHistory {
        let ds = DaemonSetView(try await client.get(resource, namespace: namespace, name: objectName))
        let selector = ds.selector.flatMap { try? LabelSelector.from($0).description }
        let revisions = try await client.list(ResourceCatalog.controllerRevisions, namespace: namespace,
                                              options: ListOptions(labelSelector: selector)).items
        return DaemonSetHistory(daemonSet: ds, candidates: revisions)
    }

    func daemonSetHistory(_ client: any APIClient, _ context: CommandContext) async throws -> Int32 {
        let history = try await daemonSetRevisions(client)
        if revision > 0 {
            context.print("\(displayName) with revision #\(revision)\n" + (try history.details(revision: revision, now: context.now())))
        } else {
            context.print("\(displayName) \n" + history.table())
        }
        return 0
    }

    func daemonSetUndo(_ client: any APIClient, _ context: CommandContext) async throws -> Int32 {
        switch try await daemonSetRevisions(client).rollback(toRevision: toRevision) {
        case .skipped(let text):
            context.print("\(displayName) \(text)")
        case .patch(let body):
            do {
                _ = try await client.patch(resource, namespace: namespace, name: objectName, type: .strategicMerge, body: body)
            } catch let error as StatusError {
                throw CLIError("failed restoring revision \(toRevision): \(error.message)")
            }
            context.print("\(displayName) rolled back")
        }
        return 0
    }
}
