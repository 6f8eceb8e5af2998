import Client
import Foundation
import Model
import TestSupport

/// A `FakeAPIClient` that also answers the batch binding endpoint `POST /api/v1/bindings` the way
/// the API server does: each item sets spec.nodeName only if the pod is unbound (409 otherwise,
/// 404 when it is gone). Records the bindings in order, and can let "another scheduler" win a
/// pod's race.
final class BindingFakeClient: ForwardingAPIClient, @unchecked Sendable {
    private let lock = NSLock()
    private var bindingLog: [(pod: String, node: String)] = []
    private var racers: [String: String] = [:]

    /// `(pod name, node)` of every successful binding, in order.
    var bindings: [(pod: String, node: String)] { lock.withLock { bindingLog } }

    /// Before this scheduler's binding of `pod` lands, another scheduler binds it to `node`.
    func loseRace(for pod: String, to node: String) { lock.withLock { racers[pod] = node } }

    override func raw(_ request: RawRequest) async throws -> RawResponse {
        guard request.method == "POST", request.path == "/api/v1/bindings", let body = request.body,
              let items = try JSONValue.parse(body)["items"]?.array else {
            return try await fake.raw(request)
        }
        var results: [JSONValue] = []
        for item in items {
            let namespace = item.value(at: ["metadata", "namespace"])?.string ?? ""
            let name = item.value(at: ["metadata", "name"])?.string ?? ""
            let node = item.value(at: ["target", "name"])?.string ?? ""
            results.append(try await bind(namespace: namespace, name: name, node: node))
        }
        return RawResponse(status: 200, json: ["kind": "BindingResultList", "apiVersion": "v1", "items": .array(results)])
    }

    /// One binding's Status, decided as the server decides it.
    private func bind(namespace: String, name: String, node: String) async throws -> JSONValue {
        if let winner = lock.withLock({ racers.removeValue(forKey: name) }) {
            _ = try await setNodeName(winner, namespace: namespace, name: name)
        }
        guard let pod = try await fake.getIfPresent(ResourceCatalog.pods, namespace: namespace, name: name) else {
            return StatusError.notFound(resource: "pods", group: "", name: name).statusObject
        }
        if let existing = pod.value(at: ["spec", "nodeName"])?.string, !existing.isEmpty {
            return StatusError.conflict(resource: "pods", group: "", name: name).statusObject
        }
        do {
            _ = try await setNodeName(node, namespace: namespace, name: name, expecting: pod)
        } catch let error as StatusError {
            return error.statusObject
        }
        lock.withLock { bindingLog.append((name, node)) }
        return ["kind": "Status", "apiVersion": "v1", "status": "Success", "code": 201]
    }

    /// Compare-and-swap on the pod's resourceVersion, as the server's binding does.
    private func setNodeName(_ node: String, namespace: String, name: String, expecting current: JSONValue? = nil) async throws -> JSONValue {
        var pod = try await fake.get(ResourceCatalog.pods, namespace: namespace, name: name)
        if let current { pod = current }
        pod.setValue(.string(node), at: ["spec", "nodeName"])
        return try await fake.update(ResourceCatalog.pods, namespace: namespace, object: pod)
    }
}

/// Objects for the scheduler tests.
enum Cluster {
    static func node(_ name: String, cpu: String = "4", memory: String = "8Gi", pods: Int64 = 110, unschedulable: Bool = false) -> JSONValue {
        let resources: JSONValue = ["cpu": .string(cpu), "memory": .string(memory), "pods": .string(String(pods))]
        var node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)],
                               "spec": .emptyObject,
                               "status": ["capacity": resources, "allocatable": resources,
                                          "conditions": [["type": "Ready", "status": "True"]]]]
        if unschedulable { node.setValue(true, at: ["spec", "unschedulable"]) }
        return node
    }

    static func pod(_ name: String, cpu: String = "1", memory: String = "1Gi", priority: Int64? = nil,
                    schedulerName: String? = nil, namespace: String = "default") -> JSONValue {
        var spec: JSONValue = ["containers": [["name": "main", "image": "busybox",
                                               "resources": ["requests": ["cpu": .string(cpu), "memory": .string(memory)]]]]]
        if let priority { spec["priority"] = .int(priority) }
        if let schedulerName { spec["schedulerName"] = .string(schedulerName) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec]
    }
}
