import Model

/// Which pods on a node `drain` evicts, leaves, or refuses to touch, by kubectl drain's rules:
/// DaemonSet pods would come straight back (refused, or left with --ignore-daemonsets); mirror pods
/// cannot be deleted through the API (left); running pods with emptyDir lose that data (refused
/// without --delete-emptydir-data); running pods without a controller are not recreated anywhere
/// (refused without --force). Finished pods can always go. Pure: the command does the I/O.
struct DrainPlan: Equatable {
    struct Options: Equatable {
        var force = false
        var ignoreDaemonSets = false
        var deleteEmptyDirData = false
    }

    /// Pods to evict, in the order given.
    var evict: [JSONValue] = []
    /// "ignoring DaemonSet-managed Pods: ns/a, ns/b" — one line per message, pods in order.
    var warnings: [String] = []
    /// "cannot delete Pods that declare no controller (use --force to override): ns/a" — any
    /// error stops the drain before it evicts anything.
    var errors: [String] = []

    init(pods: [JSONValue], options: Options) {
        var warned: [(message: String, pods: [String])] = []
        var refused: [(message: String, pods: [String])] = []
        func note(_ list: inout [(message: String, pods: [String])], _ message: String, _ pod: String) {
            if let i = list.firstIndex(where: { $0.message == message }) { list[i].pods.append(pod) } else { list.append((message, [pod])) }
        }
        for pod in pods {
            let name = "\(pod.value(at: ["metadata", "namespace"])?.string ?? "")/\(pod.value(at: ["metadata", "name"])?.string ?? "")"
            switch Self.verdict(pod, options) {
            case .evict(let warning):
                evict.append(pod)
                if let warning { note(&warned, warning, name) }
            case .leave(let warning):
                if let warning { note(&warned, warning, name) }
            case .refuse(let message):
                note(&refused, message, name)
            }
        }
        warnings = warned.map { "\($0.message): \($0.pods.joined(separator: ", "))" }
        errors = refused.map { "\($0.message): \($0.pods.joined(separator: ", "))" }
    }

    private enum Verdict {
        case evict(warning: String?)
        case leave(warning: String?)
        case refuse(String)
    }

    /// The rules in kubectl's order; a warning from an earlier rule gives way to a later one's.
    private static func verdict(_ pod: JSONValue, _ options: Options) -> Verdict {
        let phase = pod.value(at: ["status", "phase"])?.string
        if phase == "Succeeded" || phase == "Failed" { return .evict(warning: nil) }
        let controller = (pod.value(at: ["metadata", "ownerReferences"])?.array ?? []).first { $0["controller"] == true }
        if controller?["kind"] == "DaemonSet" {
            return options.ignoreDaemonSets ? .leave(warning: "ignoring DaemonSet-managed Pods")
                : .refuse("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)")
        }
        if pod.value(at: ["metadata", "annotations", "kubernetes.io/config.mirror"]) != nil { return .leave(warning: nil) }
        var warning: String?
        let volumes = pod.value(at: ["spec", "volumes"])?.array ?? []
        if volumes.contains(where: { $0["emptyDir"] != nil }) {
            guard options.deleteEmptyDirData else {
                return .refuse("cannot delete Pods with local storage (use --delete-emptydir-data to override)")
            }
            warning = "deleting Pods with local storage"
        }
        if controller == nil {
            guard options.force else { return .refuse("cannot delete Pods that declare no controller (use --force to override)") }
            warning = "deleting Pods that declare no controller"
        }
        return .evict(warning: warning)
    }
}
