import Foundation
import Model

/// A DaemonSet's template history as ControllerRevisions (upstream's constructHistory, snapshot,
/// dedupCurHistories and cleanupHistory), pure. Each revision stores the template as the
/// strategic-merge patch `{"spec":{"template":{…,"$patch":"replace"}}}` that `kubectl rollout undo`
/// applies back onto the DaemonSet.
enum DaemonSetHistory {
    /// What to do with the revisions before the pods are managed.
    struct Plan: Equatable {
        /// The revision of the current template: an existing one, or the one to create.
        var current: JSONValue
        /// `current` must be created (it is not stored yet).
        var create: Bool
        /// `current` is stored but with an older number: store it with this one (a rollback).
        var renumber: Int64?
        /// Other revisions holding the current template too: deleted, keeping the newest.
        var duplicates: [JSONValue]
        /// The revisions of other templates.
        var old: [JSONValue]
        /// The current template's hash: the `controller-revision-hash` of its pods.
        var hash: String { DaemonSetHistory.hash(of: current) }
    }

    static func revisionNumber(_ revision: JSONValue) -> Int64 { revision["revision"]?.int ?? 0 }

    /// The `controller-revision-hash` label of a revision (its name's suffix for revisions
    /// without one, as upstream labels them with their name).
    static func hash(of revision: JSONValue) -> String {
        let meta = ObjectMetaView(revision["metadata"])
        return meta.labels[DaemonSetView.revisionHashLabel] ?? meta.name
    }

    /// The template a revision stores (its `$patch` directive taken out).
    static func template(of revision: JSONValue) -> JSONValue? {
        guard var template = revision.value(at: ["data", "spec", "template"]), template.object != nil else { return nil }
        template.setValue(nil, at: ["$patch"])
        return template
    }

    /// Whether a revision holds the DaemonSet's current template (null members count as absent).
    static func matches(_ ds: DaemonSetView, _ revision: JSONValue) -> Bool {
        guard let stored = template(of: revision) else { return false }
        return TemplateHash.withoutNulls(stored) == TemplateHash.withoutNulls(ds.template)
    }

    /// The revision upstream's snapshot creates for the current template, numbered `revision`.
    static func snapshot(_ ds: DaemonSetView, revision: Int64) -> JSONValue {
        let hash = TemplateHash.compute(ds.template, collisionCount: ds.collisionCount)
        var labels = ds.template["metadata"]?["labels"]?.object ?? JSONObject()
        labels[DaemonSetView.revisionHashLabel] = .string(hash)
        var template = ds.template
        template["$patch"] = "replace"
        var metadata: JSONValue = [
            "name": .string(ds.name + "-" + hash), "namespace": .string(ds.namespace), "labels": .object(labels),
            "ownerReferences": [OwnerReference.controlling(apiVersion: "apps/v1", kind: "DaemonSet", name: ds.name, uid: ds.uid).json],
        ]
        if let annotations = ds.object["metadata"]?["annotations"], annotations.object?.isEmpty == false {
            metadata["annotations"] = annotations
        }
        return ["apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": metadata,
                "data": ["spec": ["template": template]], "revision": .int(revision)]
    }

    /// Splits the DaemonSet's revisions into current and old and says what to write: the current
    /// revision is created when missing, takes the next number when an older one matches (a
    /// rollback re-uses it), and duplicates of it are dropped keeping the newest.
    static func plan(_ ds: DaemonSetView, revisions: [JSONValue]) -> Plan {
        var current: [JSONValue] = [], old: [JSONValue] = []
        for revision in revisions {
            if matches(ds, revision) { current.append(revision) } else { old.append(revision) }
        }
        let next = (old.map(revisionNumber).max() ?? 0) + 1
        guard let keep = current.max(by: { revisionNumber($0) < revisionNumber($1) }) else {
            return Plan(current: snapshot(ds, revision: next), create: true, renumber: nil, duplicates: [], old: old)
        }
        let keepName = ObjectMetaView(keep["metadata"]).name
        let duplicates = current.filter { ObjectMetaView($0["metadata"]).name != keepName }
        return Plan(current: keep, create: false, renumber: revisionNumber(keep) < next ? next : nil,
                    duplicates: duplicates, old: old)
    }

    /// Old revisions beyond `revisionHistoryLimit`, oldest first, sparing those whose hash a pod
    /// still carries (upstream's cleanupHistory).
    static func prunable(_ old: [JSONValue], limit: Int, liveHashes: Set<String>) -> [JSONValue] {
        var excess = old.count - max(0, limit)
        guard excess > 0 else { return [] }
        var result: [JSONValue] = []
        for revision in old.sorted(by: { revisionNumber($0) < revisionNumber($1) }) {
            if excess <= 0 { break }
            if liveHashes.contains(hash(of: revision)) { continue }
            result.append(revision)
            excess -= 1
        }
        return result
    }
}
