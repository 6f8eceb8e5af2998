import Foundation
import Model
import Scheduling

/// One DaemonSet sync's decisions (upstream's manage, podsShouldBeOnNode and
/// updateDaemonSetStatus), pure: which nodes get a pod, which pods go, what the status says.
enum DaemonSetSync {
    /// A node as the sync sees it: its name and the DaemonSet's verdict for it.
    struct Node: Equatable {
        var name: String
        var verdict: DaemonPlacement.Verdict
    }

    /// What `manage` (and then the rollout) does.
    struct Plan: Equatable {
        /// Nodes that get a new pod, in node-name order.
        var createOn: [String] = []
        /// Pods to delete gracefully.
        var delete: [PodView] = []
        /// Pods bound to nodes that no longer exist: nobody will confirm their end, so they are
        /// deleted at once (upstream leaves them to the pod garbage collector, Drover has none).
        var forceDelete: [PodView] = []
        /// Nodes whose failed pods are deleted in this sync (their back-off grows).
        var failedOn: [String] = []
        /// Warning Events (reason FailedDaemonPod).
        var warnings: [String] = []
        /// Come back then (a failed pod in back-off).
        var requeueAfter: Double?

        var isEmpty: Bool { createOn.isEmpty && delete.isEmpty && forceDelete.isEmpty }
    }

    /// The nodes with the DaemonSet's verdicts (its pods carry the daemon tolerations), by name.
    static func nodes(_ nodes: [JSONValue], for ds: DaemonSetView) -> [Node] {
        let template = DaemonPlacement.withDaemonTolerations(ds.template)
        return nodes.map(NodeInfo.init).map { Node(name: $0.name, verdict: DaemonPlacement.verdict(template: template, node: $0)) }
            .sorted { $0.name < $1.name }
    }

    /// The DaemonSet's pods by target node (pods without one skipped; deleted pods that already
    /// finished left out, as upstream's getNodesToDaemonPods without includeDeletedTerminal),
    /// oldest scheduled first on each node (upstream's podByCreationTimestampAndPhase).
    static func podsByNode(_ pods: [PodView]) -> [String: [PodView]] {
        var result: [String: [PodView]] = [:]
        for pod in pods where !(pod.isDeleting && pod.isTerminal) {
            guard let node = DaemonPlacement.targetNode(of: pod) else { continue }
            result[node, default: []].append(pod)
        }
        return result.mapValues { $0.sorted(by: olderScheduledFirst) }
    }

    static func olderScheduledFirst(_ a: PodView, _ b: PodView) -> Bool {
        if (a.nodeName != nil) != (b.nodeName != nil) { return a.nodeName != nil }
        let ta = a.creationTimestamp ?? .distantPast, tb = b.creationTimestamp ?? .distantPast
        return ta == tb ? a.name < b.name : ta < tb
    }

    /// Upstream's manage: per node, create the missing pod, delete failed and succeeded pods
    /// (failed ones with a back-off per node), keep one running pod (two while surging), delete
    /// every pod from nodes it must leave; then the pods of nodes that no longer exist.
    /// - Parameters:
    ///   - backoffUntil: per node, when its next failed pod may be deleted.
    static func manage(_ ds: DaemonSetView, nodes: [Node], pods: [String: [PodView]], hash: String, now: Date,
                       backoffUntil: [String: Date] = [:]) -> Plan {
        var plan = Plan()
        let surge = DaemonSetRollout.allowsSurge(ds)
        for node in nodes {
            let daemonPods = pods[node.name] ?? []
            if node.verdict.shouldRun && daemonPods.isEmpty {
                plan.createOn.append(node.name)
            } else if node.verdict.shouldContinueRunning {
                var running: [PodView] = []
                for pod in daemonPods where !pod.isDeleting {
                    if pod.isFailedPhase {
                        if let until = backoffUntil[node.name], until > now {
                            plan.requeueAfter = min(plan.requeueAfter ?? .infinity, until.timeIntervalSince(now))
                            continue
                        }
                        if !plan.failedOn.contains(node.name) { plan.failedOn.append(node.name) }
                        plan.warnings.append("Found failed daemon pod \(pod.namespace)/\(pod.name) on node \(node.name), will try to kill it")
                        plan.delete.append(pod)
                    } else if pod.isSucceeded {
                        plan.delete.append(pod)
                    } else {
                        running.append(pod)
                    }
                }
                if surge {
                    surplusWhileSurging(ds, running: running, shouldRun: node.verdict.shouldRun, node: node.name, hash: hash,
                                        now: now, into: &plan)
                } else if running.count > 1 {
                    plan.delete += running.dropFirst()
                }
            } else {
                plan.delete += daemonPods.filter { !$0.isDeleting }
            }
        }
        let known = Set(nodes.map(\.name))
        for (node, daemonPods) in pods.sorted(by: { $0.key < $1.key }) where !known.contains(node) {
            for pod in daemonPods where !pod.isDeleting || pod.nodeName != nil {
                if pod.nodeName == nil { plan.delete.append(pod) } else { plan.forceDelete.append(pod) }
            }
        }
        return plan
    }

    /// With maxSurge, a node may hold two pods only while the oldest up-to-date one is not yet
    /// available and the oldest old one is ready; every other extra pod goes.
    private static func surplusWhileSurging(_ ds: DaemonSetView, running: [PodView], shouldRun: Bool, node: String,
                                            hash: String, now: Date, into plan: inout Plan) {
        if running.isEmpty {
            if shouldRun { plan.createOn.append(node) }
            return
        }
        if running.count == 1 { return }
        var oldestNew: PodView?, oldestOld: PodView?
        for pod in running {
            if isUpdated(pod, hash: hash) {
                if oldestNew == nil { oldestNew = pod; continue }
            } else if oldestOld == nil {
                oldestOld = pod
                continue
            }
            plan.delete.append(pod)
        }
        if let new = oldestNew, let old = oldestOld {
            if !old.isReady || PodAvailability.isAvailable(new, minReadySeconds: ds.minReadySeconds, now: now) {
                plan.delete.append(old)
            }
        }
    }

    /// A pod made from the current template revision.
    static func isUpdated(_ pod: PodView, hash: String) -> Bool {
        !hash.isEmpty && pod.labels[DaemonSetView.revisionHashLabel] == hash
    }

    /// The status upstream's updateDaemonSetStatus writes (other members of the stored status,
    /// such as conditions, kept). observedGeneration moves only when the sync acted on this
    /// generation (expectations were satisfied).
    static func status(_ ds: DaemonSetView, nodes: [Node], pods: [String: [PodView]], hash: String, now: Date,
                       observeGeneration: Bool) -> JSONValue {
        var desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0
        for node in nodes {
            let daemonPods = pods[node.name] ?? []
            guard node.verdict.shouldRun else {
                if !daemonPods.isEmpty { misscheduled += 1 }
                continue
            }
            desired += 1
            guard let pod = daemonPods.first else { continue }
            current += 1
            if pod.isReady {
                ready += 1
                if PodAvailability.isAvailable(pod, minReadySeconds: ds.minReadySeconds, now: now) { available += 1 }
            }
            if isUpdated(pod, hash: hash) { updated += 1 }
        }
        var status = ds.object["status"] ?? .emptyObject
        if status.object == nil { status = .emptyObject }
        status["desiredNumberScheduled"] = .int(Int64(desired))
        status["currentNumberScheduled"] = .int(Int64(current))
        status["numberMisscheduled"] = .int(Int64(misscheduled))
        status["numberReady"] = .int(Int64(ready))
        status["numberAvailable"] = .int(Int64(available))
        status["numberUnavailable"] = .int(Int64(desired - available))
        status["updatedNumberScheduled"] = .int(Int64(updated))
        if observeGeneration { status["observedGeneration"] = .int(ds.generation) }
        return status
    }
}
