import Client
import ControllerRuntime
import Foundation
import Model

/// The garbage collector (upstream pkg/controller/garbagecollector): deletes objects whose owners
/// are gone, and carries out the propagation policy of a deleted owner.
///
/// - Background (kubectl's default): the owner is deleted at once; its dependents' references
///   now dangle, so each is deleted after it.
/// - Foreground: the owner keeps a deletionTimestamp and the `foregroundDeletion` finalizer while
///   the collector deletes its dependents; once none with `blockOwnerDeletion` is left the finalizer
///   comes off and the server removes the owner.
/// - Orphan: the `orphan` finalizer; the collector removes the owner's reference from every
///   dependent, then the finalizer.
///
/// The owner graph is read from the shared informers' `owner` indexes. A reference that looks
/// dangling in the cache is confirmed with a live GET before anything is deleted (a cache can lag
/// behind a freshly created owner), and deletes carry a uid precondition (a dependent replaced under
/// the same name is never hit).
public final class GarbageCollector: Reconciler, @unchecked Sendable {
    /// The resources whose objects are collected and whose owners are looked up.
    public static let defaultResources = ResourceCatalog.all.filter {
        $0 != ResourceCatalog.events && $0 != ResourceCatalog.namespaces
    }

    private let client: any APIClient
    private let informers: [ResourceInfo: Informer]
    /// The work queue; keys are `<storage name>|<namespace/name>`.
    public let queue: WorkQueue
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, clock: any TimeSource = SystemTimeSource(),
                resources: [ResourceInfo] = GarbageCollector.defaultResources, workers: Int = 4) {
        self.client = client
        var informers: [ResourceInfo: Informer] = [:]
        for resource in resources { informers[resource] = factory.informer(resource) }
        self.informers = informers
        queue = WorkQueue(name: "garbagecollector", clock: clock, backoff: RetryBackoff(base: 0.05, maximum: 60))
        loop = ControllerLoop(name: "garbagecollector", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        for (resource, informer) in informers {
            informer.addHandler(InformerHandler(
                onAdd: { [weak self] in self?.observed(resource, $0) },
                onUpdate: { [weak self] old, new in self?.observed(resource, new, old: old) },
                onDelete: { [weak self] in self?.gone($0) }))
        }
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    // MARK: Events → keys

    private func observed(_ resource: ResourceInfo, _ object: JSONValue, old: JSONValue? = nil) {
        let meta = object["metadata"]
        if meta?["deletionTimestamp"] != nil {
            let finalizers = (meta?["finalizers"]?.array ?? []).compactMap(\.string)
            if finalizers.contains(DeletionFinalizer.foreground) || finalizers.contains(DeletionFinalizer.orphan) {
                queue.add(key(resource, object))
            }
            // A dependent on its way out may be what a foreground owner waits for.
            if old?["metadata"]?["deletionTimestamp"] == nil { enqueueWaitingOwners(of: object) }
        }
        let references = OwnerReference.all(of: object)
        guard !references.isEmpty else { return }
        if let old, OwnerReference.all(of: old) == references, meta?["deletionTimestamp"] == old["metadata"]?["deletionTimestamp"] {
            return  // nothing the collector looks at changed (most pod status updates)
        }
        if references.contains(where: { ownerState(inCache: $0, namespace: namespace(of: object)) != .solid }) {
            queue.add(key(resource, object))
        }
        if let old {
            // Owners it no longer names may be waiting for it.
            let dropped = OwnerReference.all(of: old).filter { reference in !references.contains { $0.uid == reference.uid } }
            for reference in dropped { enqueueIfDeleting(reference, namespace: namespace(of: object)) }
        }
    }

    private func gone(_ object: JSONValue) {
        guard let uid = object.value(at: ["metadata", "uid"])?.string else { return }
        for (resource, informer) in informers {
            for dependent in informer.byIndex(InformerIndex.owner, uid) { queue.add(key(resource, dependent)) }
        }
        enqueueWaitingOwners(of: object)
    }

    private func enqueueWaitingOwners(of object: JSONValue) {
        for reference in OwnerReference.all(of: object) { enqueueIfDeleting(reference, namespace: namespace(of: object)) }
    }

    private func enqueueIfDeleting(_ reference: OwnerReference, namespace: String) {
        guard let (resource, owner) = cachedOwner(reference, namespace: namespace),
              owner.value(at: ["metadata", "deletionTimestamp"]) != nil else { return }
        queue.add(key(resource, owner))
    }

    // MARK: Sync

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let bar = key.firstIndex(of: "|"),
              let resource = informers.keys.first(where: { $0.storageName == key[..<bar] }),
              let object = informers[resource]?.get(String(key[key.index(after: bar)...])) else { return .done }
        let finalizers = (object.value(at: ["metadata", "finalizers"])?.array ?? []).compactMap(\.string)
        if object.value(at: ["metadata", "deletionTimestamp"]) != nil {
            if finalizers.contains(DeletionFinalizer.orphan) {
                try await orphanDependents(of: object, resource: resource)
            } else if finalizers.contains(DeletionFinalizer.foreground) {
                try await deleteDependents(of: object, resource: resource)
            }
            return .done  // already on its way out otherwise
        }
        let namespace = namespace(of: object)
        var decision = try await decide(object, finalizers: finalizers)
        if decision != .keep {
            // The cache may lag a change to the dependent itself (an orphaning patch that dropped the
            // reference): act only on what the object says now, as upstream's attemptToDeleteItem.
            guard let live = try await client.getIfPresent(resource, namespace: resource.namespaced ? namespace : nil, name: name(of: object)),
                  live.value(at: ["metadata", "uid"]) == object.value(at: ["metadata", "uid"]) else { return .done }
            decision = try await decide(live, finalizers: (live.value(at: ["metadata", "finalizers"])?.array ?? []).compactMap(\.string))
        }
        let uid = object.value(at: ["metadata", "uid"])?.string ?? ""
        switch decision {
        case .keep:
            break
        case .removeReferences(let uids):
            try await ignoringNotFound {
                _ = try await client.patch(resource, namespace: namespace, name: name(of: object), type: .strategicMerge,
                                           body: ["metadata": ["ownerReferences": .array(uids.map { ["$patch": "delete", "uid": .string($0)] })]])
            }
        case .delete(let policy):
            try await ignoringNotFound {
                _ = try await client.delete(resource, namespace: namespace, name: name(of: object),
                                            options: DeleteOptions(propagationPolicy: policy, preconditionUID: uid))
            }
        }
        return .done
    }

    /// What to do with a dependent, from its references and what they point at.
    private func decide(_ object: JSONValue, finalizers: [String]) async throws -> CollectionDecision.DependentAction {
        var owners: [(OwnerReference, OwnerState)] = []
        for reference in OwnerReference.all(of: object) {
            owners.append((reference, try await ownerState(confirmed: reference, namespace: namespace(of: object))))
        }
        let uid = object.value(at: ["metadata", "uid"])?.string ?? ""
        return CollectionDecision.forDependent(owners: owners, hasDependents: hasDependents(uid), finalizers: finalizers)
    }

    private func orphanDependents(of owner: JSONValue, resource: ResourceInfo) async throws {
        let uid = owner.value(at: ["metadata", "uid"])?.string ?? ""
        // The cache first, then the API: the cache may not have a dependent created just before the
        // delete, and once the finalizer is off nothing would ever orphan it.
        try await orphan(dependents(of: uid), from: uid)
        try await orphan(liveDependents(of: owner), from: uid)
        try await removeFinalizer(DeletionFinalizer.orphan, from: owner, resource: resource)
    }

    private func orphan(_ dependents: [(ResourceInfo, JSONValue)], from uid: String) async throws {
        for (dependentResource, dependent) in dependents {
            try await ignoringNotFound {
                _ = try await client.patch(dependentResource, namespace: namespace(of: dependent), name: name(of: dependent),
                                           type: .strategicMerge,
                                           body: ["metadata": ["ownerReferences": [["$patch": "delete", "uid": .string(uid)]]]])
            }
        }
    }

    private func deleteDependents(of owner: JSONValue, resource: ResourceInfo) async throws {
        let uid = owner.value(at: ["metadata", "uid"])?.string ?? ""
        // The finalizer comes off only when the API, not just the cache, shows no blocking dependent.
        guard try await deleteBlocking(dependents(of: uid), of: uid),
              try await deleteBlocking(liveDependents(of: owner), of: uid) else { return }
        try await removeFinalizer(DeletionFinalizer.foreground, from: owner, resource: resource)
    }

    /// Deletes what the foreground plan says of these dependents; true when none blocks the owner.
    private func deleteBlocking(_ found: [(ResourceInfo, JSONValue)], of uid: String) async throws -> Bool {
        let views = found.map { (_, dependent) -> CollectionDecision.Dependent in
            let dependentUID = dependent.value(at: ["metadata", "uid"])?.string ?? ""
            let reference = OwnerReference.all(of: dependent).first { $0.uid == uid }
            return CollectionDecision.Dependent(key: objectKey(dependent), uid: dependentUID,
                                                blocksOwner: reference?.blockOwnerDeletion ?? false,
                                                isDeleting: dependent.value(at: ["metadata", "deletionTimestamp"]) != nil,
                                                hasDependents: hasDependents(dependentUID))
        }
        let plan = CollectionDecision.forForegroundOwner(dependents: views)
        for item in plan.delete {
            guard let (dependentResource, dependent) = found.first(where: { objectKey($0.1) == item.key && $0.1.value(at: ["metadata", "uid"])?.string == item.uid }) else { continue }
            try await ignoringNotFound {
                _ = try await client.delete(dependentResource, namespace: namespace(of: dependent), name: name(of: dependent),
                                            options: DeleteOptions(propagationPolicy: item.policy, preconditionUID: item.uid))
            }
        }
        return plan.removeFinalizer
    }

    private func removeFinalizer(_ finalizer: String, from object: JSONValue, resource: ResourceInfo) async throws {
        try await ignoringNotFound {
            _ = try await client.patch(resource, namespace: namespace(of: object), name: name(of: object), type: .strategicMerge,
                                       body: ["metadata": ["$deleteFromPrimitiveList/finalizers": [.string(finalizer)]]])
        }
    }

    // MARK: The owner graph

    private func dependents(of uid: String) -> [(ResourceInfo, JSONValue)] {
        informers.flatMap { resource, informer in informer.byIndex(InformerIndex.owner, uid).map { (resource, $0) } }
    }

    /// The owner's dependents as the API has them now: a list of each collected resource in the
    /// owner's namespace (every namespace for a cluster-scoped owner). Only an orphan or foreground
    /// deletion pays for it, once, before its finalizer comes off.
    private func liveDependents(of owner: JSONValue) async throws -> [(ResourceInfo, JSONValue)] {
        let uid = owner.value(at: ["metadata", "uid"])?.string ?? ""
        let ownerNamespace = namespace(of: owner)
        var found: [(ResourceInfo, JSONValue)] = []
        for resource in informers.keys.sorted(by: { $0.storageName < $1.storageName }) {
            if !ownerNamespace.isEmpty && !resource.namespaced { continue }  // a namespaced owner owns nothing cluster-wide
            let items = try await client.list(resource, namespace: ownerNamespace.isEmpty ? nil : ownerNamespace).items
            found += items.filter { item in OwnerReference.all(of: item).contains { $0.uid == uid } }.map { (resource, $0) }
        }
        return found
    }

    private func hasDependents(_ uid: String) -> Bool {
        informers.values.contains { !$0.keys(inIndex: InformerIndex.owner, uid).isEmpty }
    }

    /// The resource of a reference, by group and kind (any version), and the owner's cache entry.
    private func cachedOwner(_ reference: OwnerReference, namespace: String) -> (ResourceInfo, JSONValue)? {
        guard let resource = ownerResource(reference), let informer = informers[resource] else { return nil }
        let key = resource.namespaced ? "\(namespace)/\(reference.name)" : reference.name
        guard let owner = informer.get(key) else { return nil }
        return (resource, owner)
    }

    private func ownerResource(_ reference: OwnerReference) -> ResourceInfo? {
        informers.keys.first { $0.group == reference.group && $0.kind == reference.kind }
    }

    private func ownerState(inCache reference: OwnerReference, namespace: String) -> OwnerState {
        guard ownerResource(reference) != nil else { return .unresolvable }
        guard let (_, owner) = cachedOwner(reference, namespace: namespace),
              owner.value(at: ["metadata", "uid"])?.string == reference.uid else { return .dangling }
        return Self.state(of: owner)
    }

    /// The owner's state, a dangling cache answer confirmed by the API.
    private func ownerState(confirmed reference: OwnerReference, namespace: String) async throws -> OwnerState {
        let cached = ownerState(inCache: reference, namespace: namespace)
        guard cached == .dangling, let resource = ownerResource(reference) else { return cached }
        guard let live = try await client.getIfPresent(resource, namespace: resource.namespaced ? namespace : nil, name: reference.name),
              live.value(at: ["metadata", "uid"])?.string == reference.uid else { return .dangling }
        return Self.state(of: live)
    }

    private static func state(of owner: JSONValue) -> OwnerState {
        let finalizers = (owner.value(at: ["metadata", "finalizers"])?.array ?? []).compactMap(\.string)
        let deleting = owner.value(at: ["metadata", "deletionTimestamp"]) != nil
        return deleting && finalizers.contains(DeletionFinalizer.foreground) ? .waitingForDependents : .solid
    }

    // MARK: Helpers

    private func key(_ resource: ResourceInfo, _ object: JSONValue) -> String { "\(resource.storageName)|\(objectKey(object))" }
    private func namespace(of object: JSONValue) -> String { object.value(at: ["metadata", "namespace"])?.string ?? "" }
    private func name(of object: JSONValue) -> String { object.value(at: ["metadata", "name"])?.string ?? "" }

    private func ignoringNotFound(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as StatusError where error.code == 404 {
            // Gone already: nothing left to do for it.
        }
    }
}
