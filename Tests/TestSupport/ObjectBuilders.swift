import Model
import Store

/// Small Kubernetes-shaped objects for tests, built as JSON trees.
public enum ObjectBuilders {
    /// A pod with one container; `nodeName` and `phase` are left out when nil, as for a new pod.
    public static func pod(_ name: String, namespace: String = "default", labels: [String: String] = [:],
                           nodeName: String? = nil, phase: String? = nil) -> JSONValue {
        var spec: JSONValue = ["containers": [["name": "main", "command": ["/bin/true"]]]]
        if let nodeName { spec["nodeName"] = .string(nodeName) }
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": metadata(name, namespace, labels), "spec": spec]
        if let phase { pod["status"] = ["phase": .string(phase)] }
        return pod
    }

    /// A job running one pod to completion; `succeeded`, when given, is its `status.succeeded` count.
    public static func job(_ name: String, namespace: String = "default", labels: [String: String] = [:],
                           succeeded: Int64? = nil) -> JSONValue {
        let podSpec: JSONValue = ["restartPolicy": "Never", "containers": [["name": "main", "command": ["/bin/true"]]]]
        var job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job", "metadata": metadata(name, namespace, labels),
                              "spec": ["template": ["spec": podSpec]]]
        if let succeeded { job["status"] = ["succeeded": .int(succeeded)] }
        return job
    }

    /// A deployment of `replicas` pods labelled `app: name`.
    public static func deployment(_ name: String, namespace: String = "default", replicas: Int64 = 1) -> JSONValue {
        ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata(name, namespace, [:]),
         "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                  "template": ["metadata": ["labels": ["app": .string(name)]],
                               "spec": ["containers": [["name": "web", "image": "nginx"]]]]]]
    }

    /// An event about `involvedKind`/`involvedName` in the event's namespace.
    public static func event(_ name: String, namespace: String = "default", involvedKind: String, involvedName: String,
                             reason: String = "Scheduled", type: String = "Normal") -> JSONValue {
        ["apiVersion": "v1", "kind": "Event", "metadata": metadata(name, namespace, [:]),
         "involvedObject": ["kind": .string(involvedKind), "name": .string(involvedName), "namespace": .string(namespace)],
         "reason": .string(reason), "type": .string(type), "message": "test event"]
    }

    /// The store key of `object` (its `metadata.namespace` and `metadata.name`) under `resource`.
    public static func key(of object: JSONValue, resource: String) -> ObjectKey {
        ObjectKey(resource: resource, namespace: object.value(at: ["metadata", "namespace"])?.string ?? "",
                  name: object.value(at: ["metadata", "name"])?.string ?? "")
    }

    private static func metadata(_ name: String, _ namespace: String, _ labels: [String: String]) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name), "namespace": .string(namespace)]
        if !labels.isEmpty { metadata["labels"] = .stringMap(labels) }
        return metadata
    }
}
