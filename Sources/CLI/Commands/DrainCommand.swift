import Client
import Foundation
import Model

/// `drover drain NODE`: cordons the node, evicts its pods through pods/NAME/eviction and waits
/// until they are gone, as `kubectl drain`: DaemonSet pods, pods with emptyDir data and pods
/// without a controller stop the drain unless a flag allows them (`DrainPlan`).
struct DrainCommand: Command {
    static let name = "drain"
    static let summary = "Cordon a node and evict its pods, waiting until they are gone."
    static let usage = """
      drover drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period S] [--timeout S]

    Examples:
      drover drain worker-3 --ignore-daemonsets
      drover drain worker-3 --force --grace-period 10 --timeout 120
    """
    static let options = [
        OptionSpec("ignore-daemonsets", help: "Leave DaemonSet-managed pods where they are instead of stopping."),
        OptionSpec("delete-emptydir-data", help: "Evict pods whose emptyDir volumes then lose their data."),
        OptionSpec("force", help: "Evict pods that no controller will recreate."),
        OptionSpec("grace-period", value: "S", help: "Seconds each pod gets to stop (default: the pod's own)."),
        OptionSpec("timeout", value: "S", help: "Give up after this many seconds (default: wait as long as it takes)."),
    ]

    var node: String
    var plan = DrainPlan.Options()
    var gracePeriod: Int?
    var timeout: Double?
    /// Between polls while evictions are refused (429) or pods are still stopping.
    var pollInterval: Double = 1

    init(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else { throw UsageError("drain takes exactly one node name") }
        node = arguments.positionals[0]
        plan = DrainPlan.Options(force: arguments.flag("force"), ignoreDaemonSets: arguments.flag("ignore-daemonsets"),
                                 deleteEmptyDirData: arguments.flag("delete-emptydir-data"))
        if let text = arguments.value("grace-period") {
            guard let seconds = Int(text), seconds >= 0 else { throw UsageError("--grace-period must be a number of seconds") }
            gracePeriod = seconds
        }
        if let text = arguments.value("timeout") {
            guard let seconds = Double(text.hasSuffix("s") ? String(text.dropLast()) : text), seconds >= 0 else {
                throw UsageError("--timeout must be a number of seconds")
            }
            timeout = seconds > 0 ? seconds : nil
        }
    }

    func validate() throws(UsageError) {}

    func run(_ context: CommandContext) async throws -> Int32 {
        guard try await NodeCordoning(names: [node], selector: nil, unschedulable: true).run(context) == 0 else { return 1 }
        let client = try context.client()
        let pods = try await client.list(ResourceCatalog.pods, namespace: nil,
                                         options: ListOptions(fieldSelector: "spec.nodeName=\(node)")).items
        let drain = DrainPlan(pods: pods, options: plan)
        guard drain.errors.isEmpty else {
            let reasons = drain.errors.joined(separator: ", ")
            context.printError("error: unable to drain node \"\(node)\" due to error: \(reasons), continuing command...")
            context.printError("There are pending nodes to be drained:\n \(node)\n\(drain.errors.joined(separator: "\n"))")
            return 1
        }
        for warning in drain.warnings { context.printError("Warning: \(warning)") }
        let deadline = timeout.map { context.now().addingTimeInterval($0) }
        var evicted: [(pod: JSONValue, uid: String)] = []
        for pod in drain.evict {
            guard try await evict(pod, client: client, context: context, deadline: deadline) else { return timedOut(context) }
            evicted.append((pod, pod.value(at: ["metadata", "uid"])?.string ?? ""))
        }
        for (pod, uid) in evicted {
            let namespace = pod.value(at: ["metadata", "namespace"])?.string, name = pod.value(at: ["metadata", "name"])?.string ?? ""
            // Gone, or replaced by a new pod of the same name (a StatefulSet's).
            while let current = try await client.getIfPresent(ResourceCatalog.pods, namespace: namespace, name: name),
                  current.value(at: ["metadata", "uid"])?.string == uid {
                if let deadline, context.now() >= deadline { return timedOut(context) }
                try await Task.sleep(nanoseconds: UInt64(pollInterval * 1e9))
            }
            context.print("pod/\(name) evicted")
        }
        context.print("node/\(node) drained")
        return 0
    }

    /// POSTs the pod's eviction, retrying while the server refuses it for now (429, a disruption
    /// budget); false when the deadline passed first.
    private func evict(_ pod: JSONValue, client: any APIClient, context: CommandContext, deadline: Date?) async throws -> Bool {
        let namespace = pod.value(at: ["metadata", "namespace"])?.string ?? "", name = pod.value(at: ["metadata", "name"])?.string ?? ""
        context.print("evicting pod \(namespace)/\(name)")
        var eviction: JSONValue = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": .string(name), "namespace": .string(namespace)]]
        if let gracePeriod { eviction["deleteOptions"] = ["gracePeriodSeconds": .int(Int64(gracePeriod))] }
        let request = RawRequest(method: "POST", path: "/api/v1/namespaces/\(namespace)/pods/\(name)/eviction", json: eviction)
        while true {
            do {
                _ = try await client.raw(request).checked()
                return true
            } catch let error as StatusError where error.code == 404 {
                return true   // already gone
            } catch let error as StatusError where error.code == 429 {
                context.printError("error when evicting pods/\"\(name)\" -n \"\(namespace)\" (will retry after \(Int(pollInterval))s): \(error.message)")
                if let deadline, context.now() >= deadline { return false }
                try await Task.sleep(nanoseconds: UInt64(pollInterval * 1e9))
            }
        }
    }

    private func timedOut(_ context: CommandContext) -> Int32 {
        context.printError("error: drain did not complete within \(Int(timeout ?? 0))s")
        return 1
    }
}
