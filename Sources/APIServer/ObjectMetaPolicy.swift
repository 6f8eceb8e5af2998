import Foundation
import Model

/// The server-owned parts of object metadata and status, applied on create and update as
/// kube-apiserver's registry strategies do.
enum ObjectMetaPolicy {
    /// Characters of generated name suffixes (no vowels, so no words; as upstream).
    private static let suffixAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// A random 5-character suffix for generateName.
    static func randomSuffix() -> String {
        String((0..<5).map { _ in suffixAlphabet.randomElement()! })
    }

    /// Sets uid, creationTimestamp, generation 1 and namespace; drops client-set server fields;
    /// resets status for kinds whose status belongs to controllers.
    static func prepareForCreate(_ object: inout JSONValue, resource: ResourceInfo, namespace: String?, now: Date) {
        var meta = object["metadata"] ?? .emptyObject
        meta["uid"] = .string(UUID().uuidString.lowercased())
        meta["creationTimestamp"] = .string(Timestamp.format(now))
        meta["generation"] = 1
        meta["resourceVersion"] = nil
        meta["deletionTimestamp"] = nil
        meta["deletionGracePeriodSeconds"] = nil
        meta["selfLink"] = nil
        meta["managedFields"] = nil
        if resource.namespaced { meta["namespace"] = .string(namespace ?? "default") } else { meta["namespace"] = nil }
        object["metadata"] = meta
        object["kind"] = .string(resource.kind)
        object["apiVersion"] = .string(resource.apiVersion)
        switch resource.plural {
        case "pods": object["status"] = ["phase": "Pending"]
        case "namespaces": object["status"] = ["phase": "Active"]
        case "jobs", "cronjobs", "deployments", "replicasets", "daemonsets": object["status"] = .emptyObject
        // Upstream's empty PodDisruptionBudgetStatus: its four counters carry no omitempty.
        case "poddisruptionbudgets":
            object["status"] = ["disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0]
        default: break
        }
    }

    /// Carries server-owned metadata from `old` into an update and keeps `old`'s status for spec
    /// writes (or its spec and metadata for status writes).
    static func prepareForUpdate(_ object: inout JSONValue, old: JSONValue, resource: ResourceInfo, statusOnly: Bool) {
        object["kind"] = .string(resource.kind)
        object["apiVersion"] = .string(resource.apiVersion)
        if statusOnly {
            let status = object["status"]
            object = old
            object["status"] = status
            return
        }
        var meta = object["metadata"] ?? .emptyObject
        let oldMeta = old["metadata"] ?? .emptyObject
        for field in ["uid", "creationTimestamp", "namespace", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
            meta[field] = oldMeta[field]
        }
        meta["managedFields"] = nil
        // Status belongs to the status subresource: spec writers cannot clobber it.
        if resource.subresources.contains("status") { object["status"] = old["status"] }
        object["metadata"] = meta
    }

    /// Bumps generation when the spec changed. Runs after admission so that defaults filled in
    /// again (a manifest without them, say) do not count as a change.
    static func bumpGeneration(_ object: inout JSONValue, old: JSONValue, resource: ResourceInfo) {
        guard hasSpec(resource), object["spec"] != old["spec"] else { return }
        let generation = (old.value(at: ["metadata", "generation"])?.int ?? 1) + 1
        object.setValue(.int(generation), at: ["metadata", "generation"])
    }

    private static func hasSpec(_ resource: ResourceInfo) -> Bool {
        !["events", "namespaces"].contains(resource.plural)
    }
}
