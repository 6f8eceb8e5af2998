import Client
import Foundation
import Model
import TestSupport

/// A `FakeAPIClient` that also answers `POST …/pods/NAME/binding` the way the API server does:
/// sets spec.nodeName only if the pod is unbound (409 otherwise, 404 when it is gone). Records
/// the bindings in order, and can let "another scheduler" win a pod's race.
final class BindingFakeClient: APIClient, @unchecked Sendable {
    let fake = FakeAPIClient()
    private let lock = NSLock()
    private var bindingLog: [(pod: String, node: String)] = []
    private var racers: [String: String] = [:]

    /// `(pod name, node)` of every successful binding, in order.
    var bindings: [(pod: String, node: String)] { lock.withLock { bindingLog } }

    /// Before this scheduler's binding of `pod` lands, another scheduler binds it to `node`.
    func loseRace(for pod: String, to node: String) { lock.withLock { racers[pod] = node } }

    func get(_ resource: ResourceInfo, namespace: String?, name: String) async throws -> JSONValue {
        try await fake.get(resource, namespace: namespace, name: name)
    }
    func list(_ resource: ResourceInfo, namespace: String?, options: ListOptions) async throws -> ObjectList {
        try await fake.list(resource, namespace: namespace, options: options)
    }
    func create(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await fake.create(resource, namespace: namespace, object: object)
    }
    func update(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await fake.update(resource, namespace: namespace, object: object)
    }
    func updateStatus(_ resource: ResourceInfo, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await fake.updateStatus(resource, namespace: namespace, object: object)
    }
    func patch(_ resource: ResourceInfo, namespace: String?, name: String, type: PatchType, body: JSONValue,
               subresource: String?) async throws -> JSONValue {
        try await fake.patch(resource, namespace: namespace, name: name, type: type, body: body, subresource: subresource)
    }
    func delete(_ resource: ResourceInfo, namespace: String?, name: String, options: DeleteOptions) async throws -> JSONValue {
        try await fake.delete(resource, namespace: namespace, name: name, options: options)
    }
    func watch(_ resource: ResourceInfo, namespace: String?, options: WatchOptions) -> AsyncThrowingStream<WatchEvent, any Error> {
        fake.watch(resource, namespace: namespace, options: options)
    }

    func raw(_ request: RawRequest) async throws -> RawResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        // /api/v1/namespaces/NS/pods/NAME/binding
        guard request.method == "POST", parts.count == 7, parts[4] == "pods", parts[6] == "binding",
              let body = request.body, let node = try JSONValue.parse(body).value(at: ["target", "name"])?.string else {
            return try await fake.raw(request)
        }
        let (namespace, name) = (parts[3], parts[5])
        if let winner = lock.withLock({ racers.removeValue(forKey: name) }) {
            _ = try await setNodeName(winner, namespace: namespace, name: name)
        }
        guard let pod = try await fake.getIfPresent(ResourceCatalog.pods, namespace: namespace, name: name) else {
            return RawResponse(status: 404, json: StatusError.notFound(resource: "pods", group: "", name: name).statusObject)
        }
        if let existing = pod.value(at: ["spec", "nodeName"])?.string, !existing.isEmpty {
            return RawResponse(status: 409, json: StatusError.conflict(resource: "pods", group: "", name: name).statusObject)
        }
        do {
            _ = try await setNodeName(node, namespace: namespace, name: name, expecting: pod)
        } catch let error as StatusError {
            return RawResponse(status: error.code, json: error.statusObject)
        }
        lock.withLock { bindingLog.append((name, node)) }
        return RawResponse(status: 201, json: ["kind": "Status", "apiVersion": "v1", "status": "Success", "code": 201])
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
