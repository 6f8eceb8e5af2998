import Foundation

/// The controllers `drover server` and `drover up` run, by the names their flags use
/// (`--controllers=job,cronjob` or `--no-controller=garbagecollector`).
public enum ControllerKind: String, CaseIterable, Sendable {
    case job
    case cronjob
    case garbagecollector
    case replicaset
    case deployment
    case daemonset
    case nodelifecycle
    case tainteviction
    case podgroup
    case disruption
    /// autoscaling/v2 HorizontalPodAutoscalers (HorizontalPodAutoscaler/), kube-controller-manager's name.
    case horizontalpodautoscaling
    /// Drover's: releases Jobs held by `drover.dev/depends-on` (JobDependency/).
    case jobdependency
    /// Drover's queue manager for Kueue's API: Workloads for queued Jobs, quota admission (Queue/).
    case queuemanager

    /// The component name written in Events' `source.component`, as upstream spells it.
    public var component: String {
        switch self {
        case .job: return "job-controller"
        case .cronjob: return "cronjob-controller"
        case .garbagecollector: return "garbage-collector-controller"
        case .replicaset: return "replicaset-controller"
        case .deployment: return "deployment-controller"
        case .daemonset: return "daemonset-controller"
        case .nodelifecycle: return "node-controller"
        case .tainteviction: return "taint-eviction-controller"
        case .podgroup: return "podgroup-controller"
        // Upstream's disruption controller records its Events as the controller manager.
        case .disruption: return "controllermanager"
        case .horizontalpodautoscaling: return "horizontal-pod-autoscaler"
        case .jobdependency: return "job-dependency-controller"
        // Kueue's manager records its Events as "kueue-admission" / "kueue-job-controller"; one name here.
        case .queuemanager: return "kueue-manager"
        }
    }
}

extension ControllerKind {
    /// The controllers a `--controllers` value names, in kube-controller-manager's syntax: a
    /// comma-separated list of names, `*` for every controller, `-name` to leave one out
    /// (`*,-garbagecollector`). Unknown names are an error that lists the known ones.
    public static func selection(_ text: String) throws(ControllerSelectionError) -> Set<ControllerKind> {
        var chosen: Set<ControllerKind> = []
        var excluded: Set<ControllerKind> = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            if item == "*" {
                chosen.formUnion(allCases)
                continue
            }
            let negated = item.hasPrefix("-")
            let name = negated ? String(item.dropFirst()) : item
            guard let kind = ControllerKind(rawValue: name) else {
                throw ControllerSelectionError(message: "unknown controller \"\(name)\"; known: "
                                               + allCases.map(\.rawValue).joined(separator: ", "))
            }
            if negated { excluded.insert(kind) } else { chosen.insert(kind) }
        }
        return chosen.subtracting(excluded)
    }
}

/// A `--controllers` value that names no known controller.
public struct ControllerSelectionError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
