import Client
import Foundation
import Model

/// Records core/v1 Events about pods and the node, as the kubelet does (source component
/// `drover-agent`). Failures to record are reported to the log sink, never to the caller: an
/// event is not worth stalling a pod for.
struct EventRecorder: Sendable {
    var client: any APIClient
    var nodeName: String
    var now: @Sendable () -> Date
    var log: @Sendable (String) -> Void

    /// `involved` is the object the event is about (its kind, name, namespace and uid are copied).
    func record(_ event: AgentEvent, about involved: JSONValue) async {
        let kind = involved["kind"]?.string ?? "Pod"
        let name = involved.value(at: ["metadata", "name"])?.string ?? ""
        let namespace = involved.value(at: ["metadata", "namespace"])?.string ?? "default"
        let time = JSONValue.string(Timestamp.format(now()))
        var reference: JSONValue = ["kind": .string(kind), "name": .string(name), "apiVersion": "v1"]
        if kind == "Pod" { reference["namespace"] = .string(namespace) }
        if let uid = involved.value(at: ["metadata", "uid"]) { reference["uid"] = uid }
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(name).\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"),
                         "namespace": .string(namespace)],
            "involvedObject": reference, "reason": .string(event.reason), "message": .string(event.message),
            "type": .string(event.type), "source": ["component": "drover-agent", "host": .string(nodeName)],
            "reportingComponent": "drover-agent", "reportingInstance": .string(nodeName),
            "firstTimestamp": time, "lastTimestamp": time, "count": 1,
        ]
        do {
            _ = try await client.create(ResourceCatalog.events, namespace: namespace, object: object)
        } catch {
            log("recording event \(event.reason) about \(kind.lowercased()) \(namespace)/\(name) failed: \(error)")
        }
    }
}
