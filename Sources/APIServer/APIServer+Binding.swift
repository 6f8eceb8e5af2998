import Foundation
import Model
import Store

/// One pod to place on one node.
struct PodBinding: Sendable {
    var namespace: String
    var name: String
    var node: String

    var key: ObjectKey { ObjectKey(resource: ResourceCatalog.pods.storageName, namespace: namespace, name: name) }
}

extension APIServer {
    /// The path of Drover's batch binding endpoint (not a Kubernetes path; see the README).
    static let bindingListPath = "/api/v1/bindings"

    /// POST pods/NAME/binding: sets spec.nodeName only if the pod is still unbound (compare-and-swap),
    /// so a pod is never bound twice even with two schedulers.
    func bind(_ context: RequestContext) throws(StatusError) -> Reply {
        let binding = try context.jsonBody()
        let name = context.target.name ?? ""
        let node = try Self.targetNode(of: binding, field: "target.name", name: name)
        let request = PodBinding(namespace: context.target.namespace ?? "", name: name, node: node)
        if case .failure(let error) = bindPods([request], now: context.now, dryRun: context.dryRun)[0] { throw error }
        return .object(201, Self.bindingSuccess)
    }

    /// POST /api/v1/bindings with a `BindingList` (Binding items naming their pod in
    /// metadata.namespace/name): every binding is decided as pods/NAME/binding would decide it,
    /// all in one round trip and one group commit. Answers 200 with a `BindingResultList` whose
    /// items are one Status per binding, in order (code 201 when bound).
    func bindList(_ context: RequestContext) throws(StatusError) -> Reply {
        let body = try context.jsonBody()
        guard body["kind"]?.string ?? "BindingList" == "BindingList", let items = body["items"]?.array else {
            throw .badRequest("a BindingList with an items array was expected",
                              causes: [StatusCause(reason: "FieldValueRequired", message: "Required value", field: "items")])
        }
        var results = [Result<Void, StatusError>?](repeating: nil, count: items.count)
        var requests: [(index: Int, binding: PodBinding)] = []
        for (i, item) in items.enumerated() {
            let namespace = item.value(at: ["metadata", "namespace"])?.string ?? ""
            let name = item.value(at: ["metadata", "name"])?.string ?? ""
            do throws(StatusError) {
                guard !name.isEmpty, !namespace.isEmpty else {
                    throw .invalid(kind: "Binding", group: "", name: name, causes: [
                        StatusCause(reason: "FieldValueRequired", message: "Required value: the pod's namespace and name",
                                    field: "items[\(i)].metadata.\(namespace.isEmpty ? "namespace" : "name")")])
                }
                let node = try Self.targetNode(of: item, field: "items[\(i)].target.name", name: name)
                requests.append((i, PodBinding(namespace: namespace, name: name, node: node)))
            } catch {
                results[i] = .failure(error)
            }
        }
        for (request, result) in zip(requests, bindPods(requests.map(\.binding), now: context.now, dryRun: context.dryRun)) {
            results[request.index] = result
        }
        let statuses = results.map { result -> JSONValue in
            switch result {
            case .failure(let error)?: return error.statusObject
            default: return Self.bindingSuccess
            }
        }
        return .object(200, ["kind": "BindingResultList", "apiVersion": "v1", "metadata": .emptyObject, "items": .array(statuses)])
    }

    /// Binds each pod that is still unbound and not being deleted and that fits beside what its
    /// node already holds (`NodeCapacity`); results in order. Reads all pods in one store call and
    /// writes all bindings in one `updateAll`; a binding whose pod changed in between is decided
    /// again on the new state (up to `writeAttempts` times).
    func bindPods(_ bindings: [PodBinding], now: Date, dryRun: Bool) -> [Result<Void, StatusError>] {
        var results = [Result<Void, StatusError>](repeating: .failure(.internalError("the binding was not decided")), count: bindings.count)
        var pending = Array(bindings.indices)
        for attempt in 0..<Self.writeAttempts where !pending.isEmpty {
            var candidates: [(index: Int, update: ObjectUpdate, requests: ResourceAmounts)] = []
            // The first attempt starts from what the store remembers (maybe stale: a pod it finds
            // unbindable there is decided again on the store's state); later ones read.
            let keys = pending.map { bindings[$0].key }
            var undecided: [Int] = []
            for (i, loaded) in zip(pending, attempt == 0 ? store.getAllForWrite(keys) : store.getAll(keys)) {
                let binding = bindings[i]
                do throws(StatusError) {
                    let current: StoredObject
                    switch loaded {
                    case .success(let stored): current = stored
                    case .failure(let error): throw statusError(error, resource: ResourceCatalog.pods, name: binding.name)
                    }
                    let (json, requests) = try boundPod(current, to: binding.node, name: binding.name, now: now)
                    candidates.append((i, ObjectUpdate(key: current.key, json: json, ifResourceVersion: current.resourceVersion), requests))
                } catch {
                    results[i] = .failure(error)
                    if attempt == 0 { undecided.append(i) }
                }
            }
            let reservations = hub.capacity.reserve(candidates.map { ($0.update.key, bindings[$0.index].node, $0.requests) })
            var updates: [ObjectUpdate] = []
            var updated: [(index: Int, reservation: Int)] = []
            for (candidate, reservation) in zip(candidates, reservations) {
                let binding = bindings[candidate.index]
                switch reservation {
                case .failure(let refusal):
                    results[candidate.index] = .failure(StatusError(code: 409, reason: "Conflict",
                        message: "Operation cannot be fulfilled on pods/binding \"\(binding.name)\": node \"\(binding.node)\" has \(refusal.reason)",
                        name: binding.name, kind: "pods/binding"))
                case .success(let number) where dryRun:
                    hub.capacity.cancel(binding.key, reservation: number)
                    results[candidate.index] = .success(())
                case .success(let number):
                    updates.append(candidate.update)
                    updated.append((candidate.index, number))
                }
            }
            pending = undecided
            for (entry, outcome) in zip(updated, store.updateAll(updates)) {
                let i = entry.index
                if case .failure = outcome { hub.capacity.cancel(bindings[i].key, reservation: entry.reservation) }
                switch outcome {
                case .success: results[i] = .success(())
                case .failure(.conflict): pending.append(i)
                case .failure(let error): results[i] = .failure(statusError(error, resource: ResourceCatalog.pods, name: bindings[i].name))
                }
            }
        }
        for i in pending { results[i] = .failure(.conflict(resource: "pods", group: "", name: bindings[i].name)) }
        return results
    }

    /// The pod bound to `node` (spec.nodeName, PodScheduled=True) and its effective request, or
    /// 409 when it is already bound or being deleted, as kube-apiserver words it.
    private func boundPod(_ current: StoredObject, to node: String, name: String,
                          now: Date) throws(StatusError) -> (json: [UInt8], requests: ResourceAmounts) {
        var pod = try parse(current)
        if let existing = pod.value(at: ["spec", "nodeName"])?.string, !existing.isEmpty {
            throw StatusError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on pods/binding \"\(name)\": pod \(name) is already assigned to node \"\(existing)\"",
                              name: name, kind: "pods/binding")
        }
        if pod.value(at: ["metadata", "deletionTimestamp"]) != nil {
            throw StatusError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on pods/binding \"\(name)\": pod \(name) is being deleted, cannot be assigned to a host",
                              name: name, kind: "pods/binding")
        }
        pod.setValue(.string(node), at: ["spec", "nodeName"])
        PodConditions.set(&pod, type: "PodScheduled", status: "True", reason: nil, message: nil, now: now)
        pod.setValue(nil, at: ["metadata", "resourceVersion"])
        return (pod.serialized(), ResourceAmounts(effectiveRequestsOf: pod))
    }

    private static func targetNode(of binding: JSONValue, field: String, name: String) throws(StatusError) -> String {
        guard let node = binding.value(at: ["target", "name"])?.string, !node.isEmpty else {
            throw .invalid(kind: "Binding", group: "", name: name,
                           causes: [StatusCause(reason: "FieldValueRequired", message: "Required value", field: field)])
        }
        // The node name lands in the pod's spec.nodeName, which PostgreSQL could not store with a NUL.
        if node.utf8.contains(0) {
            throw .invalid(kind: "Binding", group: "", name: name,
                           causes: [StatusCause(reason: "FieldValueInvalid", message: "Invalid value: NUL characters (\\u0000) are not allowed",
                                                field: field)])
        }
        return node
    }

    private static let bindingSuccess: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "code": 201]
}
