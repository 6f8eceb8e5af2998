import Foundation
import Model

/// The arithmetic of upstream's pkg/controller/disruption, pure: how many pods a budget expects,
/// how many must stay healthy, how many are healthy, which approved evictions are still pending,
/// and the status that follows.
enum DisruptionBudgetSync {
    /// How long an eviction the API approved (`status.disruptedPods`) keeps its pod out of
    /// currentHealthy while the pod has not yet been marked for deletion (upstream's DeletionTimeout).
    static let deletionTimeout: TimeInterval = 120

    /// What the finders learn about a pod's controller (upstream's podControllerFinder chain).
    enum ControllerScale: Equatable {
        /// The controller whose replicas count: a Deployment for its ReplicaSets' pods, else the
        /// ReplicaSet itself.
        case scale(uid: String, replicas: Int)
        /// No such controller (absent, or another uid).
        case notFound
        /// The controller's kind cannot be scaled or is unknown; the message becomes the sync error.
        case failure(String)
    }

    /// A sync that cannot compute the status; the controller then fails safe (no disruptions).
    struct Failure: Error, Equatable {
        var message: String
    }

    /// expectedPods, desiredHealthy and the pods no controller manages.
    struct Expectation: Equatable {
        var expectedCount: Int
        var desiredHealthy: Int
        var unmanagedPods: [String] = []
    }

    /// An Event the sync wants recorded, about the budget (`pod == nil`) or one of its pods.
    struct PlannedEvent: Equatable {
        var pod: PodView?
        var type: String
        var reason: String
        var message: String
    }

    /// The outcome of one sync.
    struct Plan: Equatable {
        /// The whole new status (write it when it differs from the stored one).
        var status: JSONValue
        /// When an approved eviction times out, so the budget must be computed again.
        var recheckAt: Date?
        var events: [PlannedEvent] = []
        /// The sync failed and `status` is the fail-safe one (the error is reported to the loop).
        var failure: Failure?
    }

    /// Upstream's getExpectedPodCount. An integer minAvailable expects the pods that exist; a
    /// percentage, or any maxUnavailable, takes its denominator from the pods' controllers'
    /// replicas, and both percentages round up.
    static func expectation(_ pdb: PodDisruptionBudgetView, pods: [PodView],
                            scale: (OwnerReference) -> ControllerScale) throws(Failure) -> Expectation {
        if let maxUnavailable = pdb.maxUnavailable {
            var result = try expectedScale(pods: pods, scale: scale)
            let unavailable = RolloutBounds.scaled(maxUnavailable, of: result.expectedCount, roundUp: true)
            result.desiredHealthy = max(0, result.expectedCount - unavailable)
            return result
        }
        guard let minAvailable = pdb.minAvailable else { return Expectation(expectedCount: 0, desiredHealthy: 0) }
        if let count = minAvailable.int {
            return Expectation(expectedCount: pods.count, desiredHealthy: Int(clamping: count))
        }
        var result = try expectedScale(pods: pods, scale: scale)
        result.desiredHealthy = RolloutBounds.scaled(minAvailable, of: result.expectedCount, roundUp: true)
        return result
    }

    /// Upstream's getExpectedScale: Σ replicas over the distinct controllers of the pods; pods
    /// without a controller are listed, a pod whose controller cannot be found is an error.
    static func expectedScale(pods: [PodView], scale: (OwnerReference) -> ControllerScale) throws(Failure) -> Expectation {
        var replicas: [String: Int] = [:]
        var unmanaged: [String] = []
        for pod in pods {
            guard let reference = pod.metadata.controllerReference else {
                unmanaged.append(pod.name)
                continue
            }
            if replicas[reference.uid] != nil { continue }
            switch scale(reference) {
            case .scale(let uid, let count): replicas[uid] = count
            case .notFound: throw Failure(message: "found no controllers for pod \(pod.name.goQuoted)")
            case .failure(let message): throw Failure(message: message)
            }
        }
        return Expectation(expectedCount: replicas.values.reduce(0, +), desiredHealthy: 0, unmanagedPods: unmanaged)
    }

    /// Upstream's countHealthyPods: Ready pods not being deleted and not approved for eviction
    /// within the deletion timeout.
    static func currentHealthy(_ pods: [PodView], disrupted: [String: Date], now: Date) -> Int {
        pods.filter { pod in
            if pod.isDeleting { return false }
            if let approved = disrupted[pod.name], approved.addingTimeInterval(deletionTimeout) > now { return false }
            return pod.isReady
        }.count
    }

    /// Upstream's buildDisruptedPodMap: the approved evictions still waiting for their pod to be
    /// marked for deletion; entries past the timeout are dropped (with a NotDeleted event), and
    /// `recheckAt` is the earliest timeout of those kept.
    static func pendingDisruptions(_ pdb: PodDisruptionBudgetView, pods: [PodView], now: Date)
        -> (kept: [String: Date], recheckAt: Date?, events: [PlannedEvent]) {
        let approved = pdb.disruptedPods
        var kept: [String: Date] = [:]
        var recheckAt: Date?
        var events: [PlannedEvent] = []
        for pod in pods where !pod.isDeleting {
            guard let time = approved[pod.name] else { continue }
            let expected = time.addingTimeInterval(deletionTimeout)
            if expected < now {
                events.append(PlannedEvent(pod: pod, type: "Warning", reason: "NotDeleted",
                                           message: "Pod was expected by PDB \(pdb.namespace)/\(pdb.name) to be deleted but it wasn't"))
            } else {
                kept[pod.name] = time
                recheckAt = min(recheckAt ?? expected, expected)
            }
        }
        return (kept, recheckAt, events)
    }

    /// One sync of a budget over the pods its selector picks (`pods` nil: the selector did not
    /// parse, with `selectorError` saying why).
    static func plan(_ pdb: PodDisruptionBudgetView, pods: [PodView], selectorError: String? = nil,
                     scale: (OwnerReference) -> ControllerScale, now: Date) -> Plan {
        if let selectorError {
            return failSafe(pdb, Failure(message: selectorError), now: now,
                            events: [PlannedEvent(type: "Warning", reason: "NoPods", message: "Failed to get pods: \(selectorError)")])
        }
        var events: [PlannedEvent] = []
        if pods.isEmpty { events.append(PlannedEvent(type: "Normal", reason: "NoPods", message: "No matching pods found")) }
        let expectation: Expectation
        do {
            expectation = try self.expectation(pdb, pods: pods, scale: scale)
        } catch {
            events.append(PlannedEvent(type: "Warning", reason: "CalculateExpectedPodCountFailed",
                                       message: "Failed to calculate the number of expected pods: \(error.message)"))
            return failSafe(pdb, error, now: now, events: events)
        }
        if !expectation.unmanagedPods.isEmpty {
            let selector = pdb.selector.map { (try? LabelSelector.from($0))?.description ?? $0.jsonString() } ?? "nil"
            events.append(PlannedEvent(type: "Warning", reason: "UnmanagedPods", message:
                "Pods selected by this PodDisruptionBudget (selector: \(selector)) were found to be unmanaged. As a result, the status of the PDB "
                + "cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set "
                + "\".spec.minAvailable\" field of the PDB to an integer value."))
        }
        let pending = pendingDisruptions(pdb, pods: pods, now: now)
        events += pending.events
        let healthy = currentHealthy(pods, disrupted: pending.kept, now: now)
        let status = status(pdb, currentHealthy: healthy, expectation: expectation, disrupted: pending.kept, now: now)
        return Plan(status: status, recheckAt: pending.recheckAt, events: events)
    }

    /// Upstream's updatePdbStatus: disruptionsAllowed = currentHealthy − desiredHealthy, never
    /// negative, and 0 while no pod is expected (a budget whose first pods the controller has not
    /// seen yet must not allow anything); the stored status is kept when nothing changed.
    static func status(_ pdb: PodDisruptionBudgetView, currentHealthy: Int, expectation: Expectation,
                       disrupted: [String: Date], now: Date) -> JSONValue {
        let allowed = expectation.expectedCount <= 0 ? 0 : max(0, currentHealthy - expectation.desiredHealthy)
        let old = pdb.object["status"] ?? .emptyObject
        if pdb.currentHealthy == currentHealthy, pdb.desiredHealthy == expectation.desiredHealthy,
           pdb.expectedPods == expectation.expectedCount, pdb.disruptionsAllowed == allowed,
           pdb.disruptedPods == disrupted, pdb.observedGeneration == pdb.generation, pdb.conditionsAreUpToDate {
            return old
        }
        var status: JSONValue = ["observedGeneration": .int(pdb.generation)]
        if !disrupted.isEmpty {
            var map = JSONObject()
            for (name, time) in disrupted.sorted(by: { $0.key < $1.key }) { map[name] = .string(Timestamp.format(time)) }
            status["disruptedPods"] = .object(map)
        }
        status["disruptionsAllowed"] = .int(Int64(allowed))
        status["currentHealthy"] = .int(Int64(currentHealthy))
        status["desiredHealthy"] = .int(Int64(expectation.desiredHealthy))
        status["expectedPods"] = .int(Int64(expectation.expectedCount))
        status["conditions"] = old["conditions"]
        PodDisruptionBudgetView.updateDisruptionAllowedCondition(&status, now: now)
        return status
    }

    /// Upstream's failSafe: whatever else went wrong, no disruption is allowed, and the
    /// DisruptionAllowed condition says why (SyncFailed).
    static func failSafe(_ pdb: PodDisruptionBudgetView, _ failure: Failure, now: Date, events: [PlannedEvent]) -> Plan {
        var status = pdb.object["status"] ?? .emptyObject
        if status.object == nil { status = .emptyObject }
        status["disruptionsAllowed"] = 0
        PodDisruptionBudgetView.setCondition(&status, type: PodDisruptionBudgetView.disruptionAllowedCondition, status: "False",
                                             reason: PodDisruptionBudgetView.syncFailed, message: failure.message,
                                             observedGeneration: pdb.observedGeneration, now: now)
        return Plan(status: status, recheckAt: nil, events: events, failure: failure)
    }

    /// The finders for one controller reference (upstream's getPodDeployment, getPodReplicaSet
    /// and getScaleController, over the caches): a ReplicaSet counts as its Deployment when one
    /// controls it, else as itself; a Deployment as itself; a kind without a scale subresource or
    /// unknown here is an error in upstream's words.
    static func scale(of reference: OwnerReference, namespace: String, replicaSet: (String) -> ReplicaSetView?,
                      deployment: (String) -> DeploymentView?) -> ControllerScale {
        let apps = ["apps", "extensions"].contains(reference.group)
        if apps, reference.kind == "ReplicaSet" {
            guard let rs = replicaSet(reference.name), rs.uid == reference.uid else { return .notFound }
            if let owner = rs.metadata.controllerReference, owner.kind == "Deployment", ["apps", "extensions"].contains(owner.group),
               let d = deployment(owner.name), d.uid == owner.uid {
                return .scale(uid: d.uid, replicas: d.replicas)
            }
            return .scale(uid: rs.uid, replicas: rs.replicas)
        }
        if apps, reference.kind == "Deployment" {
            guard let d = deployment(reference.name), d.uid == reference.uid else { return .notFound }
            return .scale(uid: d.uid, replicas: d.replicas)
        }
        guard let resource = ResourceCatalog.lookup(apiVersion: reference.apiVersion, kind: reference.kind) else {
            return .failure("no matches for kind \(reference.kind.goQuoted) in version \(reference.apiVersion.goQuoted)")
        }
        let groupResource = resource.group.isEmpty ? resource.plural : "\(resource.plural).\(resource.group)"
        return .failure("\(groupResource) does not implement the scale subresource")
    }
}
