import Client
import ControllerRuntime
import Model

/// Pod events → owner keys for the controllers that own pods directly by selector (ReplicaSet,
/// DaemonSet): a pod wakes the owner its controller reference names (when that owner is cached
/// with the referenced uid) and settles its expectations; an orphan wakes every owner of its
/// namespace whose selector matches it, since one of them may adopt it.
struct OwnedPodEvents: Sendable {
    /// The owner kind (`ReplicaSet`, `DaemonSet`), in group apps.
    let kind: String
    let owners: Informer
    let queue: WorkQueue
    let expectations: Expectations

    /// The handler to add to the shared pod informer.
    var handler: InformerHandler {
        InformerHandler(onAdd: { added(PodView($0)) },
                        onUpdate: { old, new in updated(PodView(old), PodView(new)) },
                        onDelete: { deleted(PodView($0)) })
    }

    /// The key of the owner controlling `pod`, when it is in the cache with the referenced uid.
    func controllingKey(_ pod: PodView) -> String? {
        guard let ref = pod.metadata.controllerReference, ref.kind == kind, ref.group == "apps" else { return nil }
        let key = pod.namespace + "/" + ref.name
        guard let owner = owners.get(key), ObjectMetaView(owner["metadata"]).uid == ref.uid else { return nil }
        return key
    }

    private func enqueueMatching(_ pod: PodView) {
        guard pod.metadata.controllerReference == nil, !pod.isDeleting else { return }
        for owner in owners.byIndex(InformerIndex.namespace, pod.namespace) {
            guard let selector = owner["spec"]?["selector"].flatMap({ try? LabelSelector.from($0) }), !selector.isEmpty,
                  selector.matches(pod.labels) else { continue }
            queue.add(objectKey(owner))
        }
    }

    private func added(_ pod: PodView) {
        if pod.isDeleting { return deleted(pod) }   // a restart may show a pod already being deleted
        guard let key = controllingKey(pod) else { return enqueueMatching(pod) }
        expectations.creationObserved(key)
        queue.add(key)
    }

    private func updated(_ old: PodView, _ new: PodView) {
        if old == new { return }
        if let oldKey = controllingKey(old), old.controllerUID != new.controllerUID { queue.add(oldKey) }
        guard let key = controllingKey(new) else {
            if old.labels != new.labels || old.controllerUID != new.controllerUID { enqueueMatching(new) }
            return
        }
        // A graceful deletion shows as an update with a deletionTimestamp: that is the deletion we expected.
        if new.isDeleting { expectations.deletionObserved(key, uid: new.uid) }
        queue.add(key)
    }

    private func deleted(_ pod: PodView) {
        guard let key = controllingKey(pod) else { return }
        expectations.deletionObserved(key, uid: pod.uid)
        queue.add(key)
    }
}
