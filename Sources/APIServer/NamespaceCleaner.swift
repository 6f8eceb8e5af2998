import Foundation
import Model
import Store

/// Empties namespaces that are being deleted, then removes them: every namespaced object in them is
/// deleted (objects with finalizers are marked and waited for), as upstream's namespace controller does.
final class NamespaceCleaner: @unchecked Sendable {
    private let store: any ObjectStore
    private let clock: @Sendable () -> Date
    private let queue = DispatchQueue(label: "drover-namespace-cleaner")

    init(store: any ObjectStore, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = clock
    }

    /// Cleans namespaces left Terminating by an earlier run.
    func resumePending() {
        guard let namespaces = try? store.list(ListQuery(resource: ResourceCatalog.namespaces.storageName)) else { return }
        for item in namespaces.items {
            if let object = try? JSONValue.parse(item.json), object.value(at: ["metadata", "deletionTimestamp"]) != nil {
                clean(item.key.name)
            }
        }
    }

    /// Schedules the cleanup of `namespace`.
    func clean(_ namespace: String) {
        queue.async { [self] in
            var attempt = 0
            while !cleanOnce(namespace) {
                attempt += 1
                Thread.sleep(forTimeInterval: min(5, 0.2 * Double(attempt)))
            }
        }
    }

    /// One pass; true when the namespace is gone.
    private func cleanOnce(_ namespace: String) -> Bool {
        var remaining = 0
        for resource in ResourceCatalog.all where resource.namespaced {
            guard let items = try? store.list(ListQuery(resource: resource.storageName, namespace: namespace)).items else { return false }
            for item in items {
                remaining += 1
                deleteOrMark(item)
            }
        }
        guard remaining == 0 else { return false }
        let key = ObjectKey(resource: ResourceCatalog.namespaces.storageName, namespace: "", name: namespace)
        do {
            _ = try store.delete(key, ifResourceVersion: nil)
        } catch .notFound {
            return true
        } catch {
            return false
        }
        return true
    }

    private func deleteOrMark(_ item: StoredObject) {
        guard var object = try? JSONValue.parse(item.json) else { return }
        let finalizers = object.value(at: ["metadata", "finalizers"])?.array ?? []
        if finalizers.isEmpty {
            _ = try? store.delete(item.key, ifResourceVersion: item.resourceVersion)
        } else if object.value(at: ["metadata", "deletionTimestamp"]) == nil {
            object.setValue(.string(Timestamp.format(clock())), at: ["metadata", "deletionTimestamp"])
            object.setValue(0, at: ["metadata", "deletionGracePeriodSeconds"])
            object.setValue(nil, at: ["metadata", "resourceVersion"])
            _ = try? store.update(item.key, json: object.serialized(), ifResourceVersion: item.resourceVersion)
        }
    }
}
