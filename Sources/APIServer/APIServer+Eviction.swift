import Foundation
import Model
import Store

/// POST pods/NAME/eviction (policy/v1 Eviction), as upstream's registry/core/pod/storage/eviction.go:
/// a pod that is finished, pending or already being deleted is simply deleted; otherwise the one
/// PodDisruptionBudget guarding it must allow a disruption, which is spent by a compare-and-swap
/// write of its status (disruptionsAllowed − 1, the pod recorded in disruptedPods) before the pod
/// gets the DisruptionTarget condition and its graceful delete. A budget that allows nothing is a
/// 429 TooManyRequests, which `kubectl drain` waits on and retries.
extension APIServer {
    /// Conflicting writes of a budget or pod tolerated before giving up (upstream's EvictionsRetry steps).
    static let evictionAttempts = 20
    /// Entries of `status.disruptedPods` beyond which evictions stop until the controller catches up.
    static let maxDisruptedPods = 2000

    func evict(_ context: RequestContext) throws(StatusError) -> Reply {
        let eviction = try context.jsonBody()
        let podName = context.target.name ?? ""
        guard eviction.value(at: ["metadata", "name"])?.string == podName else {
            throw .badRequest("name in URL does not match name in Eviction object")
        }
        let options = try DeleteOptions(body: eviction["deleteOptions"].flatMap { $0.isNull ? nil : $0 }, query: context.query)
        let dryRun = options.dryRun || context.dryRun
        let success = Reply.object(201, ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "code": 201])

        // Pods whose disruption has already happened (or cannot happen) are deleted without a budget.
        var pod = PodView(.null)
        for attempt in 1...Self.evictionAttempts {
            let current = try load(context)
            pod = PodView(try parse(current))
            guard Self.canIgnoreBudget(pod) else { break }
            var deleteOptions = options
            if Self.shouldEnforceResourceVersion(pod), options.preconditionResourceVersion == nil {
                deleteOptions.preconditionResourceVersion = current.resourceVersion   // not racing a pod turning Ready
            }
            do {
                try addDisruptionConditionAndDelete(context, options: deleteOptions, dryRun: dryRun)
                return success
            } catch where error.code == 409 && options.preconditionResourceVersion == nil && attempt < Self.evictionAttempts {
                continue
            }
        }

        let budgets = try budgets(guarding: pod)
        if budgets.count > 1 {
            return .object(500, ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
                                 "message": "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
                                 "code": 500])
        }
        var deleteOptions = options
        var pinnedResourceVersion = false
        if let budget = budgets.first {
            if !pod.isReady && Self.unhealthyPodMayGo(budget.view) {
                // An unready pod does not count as healthy: deleting it spends nothing, as long as the
                // pod does not turn Ready meanwhile (hence its resourceVersion as precondition).
                if deleteOptions.preconditionResourceVersion == nil {
                    deleteOptions.preconditionResourceVersion = Int64(pod.metadata.resourceVersion)
                }
                pinnedResourceVersion = true
            } else {
                try spendDisruption(of: budget.stored, pod: pod, dryRun: dryRun, now: context.now)
            }
        }
        do {
            try addDisruptionConditionAndDelete(context, options: deleteOptions, dryRun: dryRun)
        } catch where error.code == 409 && pinnedResourceVersion && options.preconditionResourceVersion == nil {
            // The pod changed (perhaps turned Ready): let the client retry against fresh numbers.
            throw Self.budgetBeingProcessed(budgets.first?.view.name ?? "")
        }
        return success
    }

    /// Upstream's canIgnorePDB: finished and pending pods have no availability to lose, and a pod
    /// already being deleted is going anyway.
    static func canIgnoreBudget(_ pod: PodView) -> Bool {
        pod.isTerminal || pod.phase == "Pending" || pod.isDeleting
    }

    /// Upstream's shouldEnforceResourceVersion: a live pod is deleted only as it was read.
    static func shouldEnforceResourceVersion(_ pod: PodView) -> Bool {
        !pod.isTerminal && !pod.isDeleting
    }

    /// Whether an unready pod may be evicted without spending the budget: always with
    /// `AlwaysAllow`; with `IfHealthyBudget` (the default) only while the budget is met.
    static func unhealthyPodMayGo(_ pdb: PodDisruptionBudgetView) -> Bool {
        if pdb.unhealthyPodEvictionPolicy == PodDisruptionBudgetView.alwaysAllow { return true }
        return pdb.currentHealthy >= pdb.desiredHealthy && pdb.desiredHealthy > 0
    }

    /// The budgets of the pod's namespace whose (non-empty, valid) selector picks the pod.
    private func budgets(guarding pod: PodView) throws(StatusError) -> [(stored: StoredObject, view: PodDisruptionBudgetView)] {
        let resource = ResourceCatalog.podDisruptionBudgets
        let items = try withStore(resource, "") { () throws(StoreError) in
            try store.list(ListQuery(resource: resource.storageName, namespace: pod.namespace)).items
        }
        var guarding: [(stored: StoredObject, view: PodDisruptionBudgetView)] = []
        for stored in items {
            let view = PodDisruptionBudgetView(try parse(stored))
            if view.guards(namespace: pod.namespace, labels: pod.labels) { guarding.append((stored, view)) }
        }
        return guarding
    }

    /// Upstream's checkAndDecrement, retried on conflicts with a fresh read of the budget.
    private func spendDisruption(of budget: StoredObject, pod: PodView, dryRun: Bool, now: Date) throws(StatusError) {
        let resource = ResourceCatalog.podDisruptionBudgets
        var stored = budget
        for _ in 0..<Self.evictionAttempts {
            var object = try parse(stored)
            let pdb = PodDisruptionBudgetView(object)
            if pdb.observedGeneration < pdb.generation { throw Self.budgetBeingProcessed(pdb.name) }
            if pdb.disruptionsAllowed < 0 { throw Self.forbiddenBudget(pdb.name, "pdb disruptions allowed is negative") }
            if pdb.disruptedPods.count > Self.maxDisruptedPods {
                throw Self.forbiddenBudget(pdb.name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller")
            }
            if pdb.disruptionsAllowed == 0 {
                throw StatusError(code: 429, reason: "TooManyRequests", message: "Cannot evict pod as it would violate the pod's disruption budget.",
                                  causes: [StatusCause(reason: PodDisruptionBudgetView.disruptionBudgetCause,
                                                       message: "The disruption budget \(pdb.name) needs \(pdb.desiredHealthy) healthy pods and has \(pdb.currentHealthy) currently",
                                                       field: "")])
            }
            if dryRun { return }
            var status = object["status"] ?? .emptyObject
            status["disruptionsAllowed"] = .int(Int64(pdb.disruptionsAllowed - 1))
            if pdb.disruptionsAllowed == 1 { PodDisruptionBudgetView.updateDisruptionAllowedCondition(&status, now: now) }
            var disrupted = status["disruptedPods"]?.object ?? JSONObject()
            disrupted[pod.name] = .string(Timestamp.format(now))
            status["disruptedPods"] = .object(disrupted)
            object["status"] = status
            object.setValue(nil, at: ["metadata", "resourceVersion"])
            do {
                _ = try store.update(stored.key, json: object.serialized(), ifResourceVersion: stored.resourceVersion)
                return
            } catch .conflict {
                stored = try withStore(resource, stored.key.name) { () throws(StoreError) in try store.get(stored.key) }
            } catch {
                throw statusError(error, resource: resource, name: stored.key.name)
            }
        }
        throw StatusError(code: 504, reason: "Timeout", message: "Timeout: couldn't update PodDisruptionBudget \(stored.key.name.goQuoted) due to conflicts",
                          retryAfterSeconds: 10)
    }

    /// Upstream's addConditionAndDeletePod: DisruptionTarget=True (reason EvictionByEvictionAPI) on
    /// the latest pod, checked against the delete's preconditions, then the graceful delete (whose
    /// resourceVersion precondition, if any, moves to the version the condition produced).
    private func addDisruptionConditionAndDelete(_ context: RequestContext, options: DeleteOptions, dryRun: Bool) throws(StatusError) {
        var options = options
        if !dryRun {
            let name = context.target.name ?? ""
            var written = false
            for _ in 0..<Self.evictionAttempts where !written {
                let current = try load(context)
                let old = try parse(current)
                if let uid = options.preconditionUID, uid != current.uid {
                    throw Self.podConflict(name, "the UID in the precondition (\(uid)) does not match the UID in record (\(current.uid)). The object might have been deleted and then recreated")
                }
                if let rv = options.preconditionResourceVersion, rv != current.resourceVersion {
                    throw Self.podConflict(name, "the ResourceVersion in the precondition (\(rv)) does not match the ResourceVersion in record (\(current.resourceVersion)). The object might have been modified")
                }
                var pod = old
                PodConditions.set(&pod, type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI",
                                  message: "Eviction API: evicting", now: context.now)
                if pod == old { break }
                pod.setValue(nil, at: ["metadata", "resourceVersion"])
                do {
                    let stored = try store.update(current.key, json: pod.serialized(), ifResourceVersion: current.resourceVersion)
                    if options.preconditionResourceVersion != nil { options.preconditionResourceVersion = stored.resourceVersion }
                    written = true
                } catch .conflict {
                    continue
                } catch {
                    throw statusError(error, resource: context.resource, name: name)
                }
            }
        }
        options.dryRun = dryRun
        _ = try deleteObject(context, options: options)
    }

    /// 429 while the controller has not yet computed the budget's status for its current spec.
    static func budgetBeingProcessed(_ name: String) -> StatusError {
        StatusError(code: 429, reason: "TooManyRequests", message: "Cannot evict pod as it would violate the pod's disruption budget.",
                    causes: [StatusCause(reason: PodDisruptionBudgetView.disruptionBudgetCause,
                                         message: "The disruption budget \(name) is still being processed by the server.", field: "")],
                    retryAfterSeconds: 10)
    }

    private static func forbiddenBudget(_ name: String, _ why: String) -> StatusError {
        StatusError(code: 403, reason: "Forbidden", message: "poddisruptionbudget.policy \(name.goQuoted) is forbidden: \(why)",
                    name: name, group: "policy", kind: "poddisruptionbudget")
    }

    private static func podConflict(_ name: String, _ why: String) -> StatusError {
        StatusError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on Pod \(name.goQuoted): \(why)",
                    name: name, group: "", kind: "Pod")
    }
}
