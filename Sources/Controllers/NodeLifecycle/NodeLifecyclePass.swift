import Foundation
import Model

/// One node as a monitoring pass sees it: the Node from the cache and when its heartbeat was last
/// seen changing.
struct NodeSnapshot: Sendable {
    var node: NodeView
    var probedAt: Date
}

/// What a pass writes to one node.
struct NodeChange: Sendable, Equatable {
    var name: String
    /// The new `status.conditions`: the node's heartbeat went stale.
    var conditions: [JSONValue]?
    /// The new `spec.taints`.
    var taints: [JSONValue]?
    /// Ready turned Unknown in this pass (a NodeNotReady Event).
    var becameUnknown = false
}

/// One monitoring pass over every node (upstream's monitorNodeHealth, doNoScheduleTaintingPass,
/// doNoExecuteTaintingPass and handleDisruption folded into one pure decision).
struct NodeLifecyclePass: Sendable {
    var changes: [NodeChange]
    var zoneStates: [String: ZoneState]
    /// Every zone is fully disrupted: no node gets a NoExecute taint and those there are lifted.
    var everyZoneDown: Bool
    /// The cluster has just left full disruption: every node's heartbeat clock restarts.
    var restartHeartbeats: Bool
    /// When the next pass is due (sooner than the monitor period when a zone's next token is).
    var requeueAfter: TimeInterval

    /// Nodes with this label count in no zone (upstream's disruption exclusion).
    static let excludeDisruptionLabel = "node.kubernetes.io/exclude-disruption"

    /// The pass over `nodes` at `now`. A stale node's agent conditions become Unknown; NoSchedule
    /// taints follow the conditions at once; a NoExecute taint (not-ready or unreachable) is added
    /// only when the zone's bucket has a token (oldest heartbeat first), swapped for the other one
    /// and removed at once.
    static func plan(_ nodes: [NodeSnapshot], now: Date, options: NodeLifecycleOptions, wasEveryZoneDown: Bool,
                     buckets: inout [String: TokenBucket]) -> NodeLifecyclePass {
        struct Judged {
            var snapshot: NodeSnapshot
            var newConditions: [JSONValue]?
            var conditions: [ConditionView]
            var ready: String?
        }
        let judged = nodes.map { snapshot -> Judged in
            let current = snapshot.node.object["status"]?["conditions"]?.array ?? []
            let stale = NodeHealth.isStale(probedAt: snapshot.probedAt, now: now, grace: options.gracePeriod)
            let newConditions = stale ? NodeHealth.unknownConditions(current, created: snapshot.node.creationTimestamp, now: now) : nil
            let conditions = (newConditions ?? current).map(ConditionView.init)
            return Judged(snapshot: snapshot, newConditions: newConditions, conditions: conditions,
                          ready: conditions.first { $0.type == "Ready" }?.status)
        }

        var counts: [String: (ready: Int, notReady: Int)] = [:]
        for node in judged where node.snapshot.node.labels[excludeDisruptionLabel] == nil {
            let zone = node.snapshot.node.zoneKey
            if node.ready == "True" { counts[zone, default: (0, 0)].ready += 1 } else { counts[zone, default: (0, 0)].notReady += 1 }
        }
        let states = counts.mapValues { ZoneRules.state(ready: $0.ready, notReady: $0.notReady, unhealthyThreshold: options.unhealthyZoneThreshold) }
        let everyZoneDown = !states.isEmpty && states.values.allSatisfy { $0 == .fullDisruption }
        let leaving = wasEveryZoneDown && !everyZoneDown
        for zone in Set(judged.map(\.snapshot.node.zoneKey)) {
            let size = (counts[zone]?.ready ?? 0) + (counts[zone]?.notReady ?? 0)
            // Leaving full disruption, this pass taints nothing: the heartbeat clocks restart first.
            let rate = leaving ? 0 : ZoneRules.evictionRate(states[zone] ?? .normal, zoneSize: size, everyZoneDown: everyZoneDown,
                                                          options: options)
            buckets[zone, default: TokenBucket(rate: rate, now: now)].setRate(rate, at: now)
        }

        var adds = [[Taint]](repeating: [], count: judged.count)
        var removes = [[Taint]](repeating: [], count: judged.count)
        var waiting: [(zone: String, probedAt: Date, name: String, index: Int, taint: Taint)] = []
        for (i, node) in judged.enumerated() {
            let taints = node.snapshot.node.taints
            let has = { (taint: Taint) in taints.contains { $0.matches(taint) } }
            let wanted = everyZoneDown ? nil : NodeTaintRules.noExecuteTaint(readyStatus: node.ready)
            // Lifted when Ready is True or every zone is down; swapped for the other one; left alone
            // on a node that has not posted a Ready condition yet (upstream waits for it too).
            let lift = everyZoneDown || node.ready == "True" || wanted != nil
            for taint in [NodeTaintRules.notReadyNoExecute, NodeTaintRules.unreachableNoExecute]
            where lift && taint != wanted && has(taint) {
                removes[i].append(taint)
            }
            if let wanted, !has(wanted) {
                if removes[i].isEmpty {
                    waiting.append((node.snapshot.node.zoneKey, node.snapshot.probedAt, node.snapshot.node.name, i, wanted))
                } else {
                    adds[i].append(wanted)   // a swap between not-ready and unreachable is not an eviction
                }
            }
            let desired = NodeTaintRules.noScheduleTaints(conditions: node.conditions, unschedulable: node.snapshot.node.unschedulable)
            let present = taints.filter { $0.effect == "NoSchedule" && NodeTaintRules.managedNoScheduleKeys.contains($0.key) }
            adds[i] += desired.filter { wanted in !present.contains { $0.matches(wanted) } }
            removes[i] += present.filter { taint in !desired.contains { $0.matches(taint) } }
        }
        var requeueAfter = options.monitorPeriod
        for (zone, candidates) in Dictionary(grouping: waiting, by: \.zone) {
            for candidate in candidates.sorted(by: { ($0.probedAt, $0.name) < ($1.probedAt, $1.name) }) {
                guard buckets[zone]?.take(at: now) == true else {
                    if let wait = buckets[zone]?.secondsUntilToken(at: now) { requeueAfter = min(requeueAfter, max(0.05, wait)) }
                    break
                }
                adds[candidate.index].append(candidate.taint)
            }
        }

        var changes: [NodeChange] = []
        for (i, node) in judged.enumerated() {
            let entries = node.snapshot.node.taintEntries
            let edited = NodeTaintRules.edit(entries, add: adds[i], remove: removes[i], now: now)
            let taints = adds[i].isEmpty && removes[i].isEmpty ? nil : edited
            guard node.newConditions != nil || taints != nil else { continue }
            let wasUnknown = node.snapshot.node.readyStatus == "Unknown"
            changes.append(NodeChange(name: node.snapshot.node.name, conditions: node.newConditions, taints: taints,
                                      becameUnknown: node.newConditions != nil && !wasUnknown))
        }
        return NodeLifecyclePass(changes: changes, zoneStates: states, everyZoneDown: everyZoneDown,
                                 restartHeartbeats: leaving, requeueAfter: requeueAfter)
    }
}
