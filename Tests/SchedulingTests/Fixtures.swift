import Model
import Scheduling

/// Builders for the pods and nodes the tests place.
enum Fixture {
    /// A pod with one container per entry of `containers` (each a `requests` map).
    static func pod(_ name: String = "p", containers: [JSONValue] = [["cpu": "100m"]], initContainers: [JSONValue] = [],
                    overhead: JSONValue? = nil, spec extra: [(String, JSONValue)] = []) -> PodInfo {
        var spec: [(String, JSONValue)] = [
            ("containers", .array(containers.enumerated().map { i, requests in
                ["name": .string("c\(i)"), "resources": ["requests": requests]]
            })),
        ]
        if !initContainers.isEmpty {
            spec.append(("initContainers", .array(initContainers.enumerated().map { i, requests in
                ["name": .string("i\(i)"), "resources": ["requests": requests]]
            })))
        }
        if let overhead { spec.append(("overhead", overhead)) }
        spec += extra
        return PodInfo(["metadata": ["name": .string(name), "namespace": "default"], "spec": .object(JSONObject(spec))])
    }

    /// A pod whose only interesting part is `spec.tolerations`.
    static func tolerating(_ tolerations: [JSONValue]) -> PodInfo {
        pod(spec: [("tolerations", .array(tolerations))])
    }

    /// A pod with `spec.affinity.nodeAffinity`.
    static func withAffinity(_ nodeAffinity: JSONValue) -> PodInfo {
        pod(spec: [("affinity", ["nodeAffinity": nodeAffinity])])
    }

    /// A pod requiring one term per entry, each term the given expressions.
    static func requiring(_ terms: [[JSONValue]]) -> PodInfo {
        withAffinity(["requiredDuringSchedulingIgnoredDuringExecution": [
            "nodeSelectorTerms": .array(terms.map { ["matchExpressions": .array($0)] }),
        ]])
    }

    static func expression(_ key: String, _ op: String, _ values: [String] = []) -> JSONValue {
        ["key": .string(key), "operator": .string(op), "values": .array(values.map(JSONValue.string))]
    }

    /// A ready node with 4 CPUs, 8Gi and room for 110 pods unless told otherwise.
    static func node(_ name: String, milliCPU: Int64 = 4000, memory: Int64 = 8 << 30, pods: Int64 = 110,
                     scalars: [String: Int64] = [:], labels: [String: String] = [:], taints: [Taint] = [],
                     requested: ResourceAmounts = ResourceAmounts()) -> NodeInfo {
        NodeInfo(name: name, labels: labels, taints: taints,
                 allocatable: ResourceAmounts(milliCPU: milliCPU, memory: memory, pods: pods, scalars: scalars),
                 requested: requested)
    }
}

extension FilterVerdict {
    /// The reasons, or [] when the node fits.
    var reasons: [String] {
        if case .rejected(let reasons) = self { return reasons }
        return []
    }
}
