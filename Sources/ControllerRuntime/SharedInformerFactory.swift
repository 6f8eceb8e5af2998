import Client
import Foundation
import Model

/// One informer per resource for the whole process (client-go's SharedInformerFactory): every
/// controller and the scheduler ask the factory, so each resource is listed and watched once and
/// cached once, whoever needs it. Every informer carries the standard indexes (`InformerIndex`).
public final class SharedInformerFactory: @unchecked Sendable {
    private let client: any APIClient
    private let clock: any TimeSource
    private let resyncSeconds: Double?
    private let lock = NSLock()
    private var informers: [ResourceInfo: Informer] = [:]
    private var order: [ResourceInfo] = []
    private var started = false
    private var resyncTask: Task<Void, Never>?

    /// - Parameter resyncSeconds: how often every cached object is handed to the handlers again
    ///   (nil: never).
    public init(client: any APIClient, clock: any TimeSource = SystemTimeSource(), resyncSeconds: Double? = nil) {
        self.client = client
        self.clock = clock
        self.resyncSeconds = resyncSeconds
    }

    deinit { resyncTask?.cancel() }

    /// The shared informer of `resource` (all namespaces), created on first use. One asked for after
    /// `start()` starts at once.
    public func informer(_ resource: ResourceInfo) -> Informer {
        let (informer, startNow) = lock.withLock { () -> (Informer, Bool) in
            if let existing = informers[resource] { return (existing, false) }
            let informer = Informer(client: client, resource: resource, clock: clock)
            InformerIndex.addStandard(to: informer)
            informers[resource] = informer
            order.append(resource)
            return (informer, started)
        }
        if startNow { informer.start() }
        return informer
    }

    /// Starts every informer asked for so far (and the resync timer).
    public func start() {
        let all = lock.withLock { () -> [Informer] in
            started = true
            if let resyncSeconds, resyncTask == nil {
                resyncTask = Task { [weak self, clock] in
                    while !Task.isCancelled {
                        do { try await clock.sleep(seconds: resyncSeconds) } catch { return }
                        self?.resyncAll()
                    }
                }
            }
            return order.compactMap { informers[$0] }
        }
        all.forEach { $0.start() }
    }

    /// Returns once every informer started so far has delivered its first list.
    public func waitForSync() async {
        for informer in lock.withLock({ order.compactMap { informers[$0] } }) { await informer.waitForSync() }
    }

    /// True once every informer has delivered its first list.
    public var hasSynced: Bool { lock.withLock { informers.values.allSatisfy(\.hasSynced) } }

    /// Stops every informer.
    public func stop() {
        let (all, timer) = lock.withLock { () -> ([Informer], Task<Void, Never>?) in
            defer { resyncTask = nil }
            return (Array(informers.values), resyncTask)
        }
        timer?.cancel()
        all.forEach { $0.stop() }
    }

    private func resyncAll() {
        lock.withLock { Array(informers.values) }.forEach { $0.resync() }
    }
}

/// The indexes every shared informer keeps, by name.
public enum InformerIndex {
    /// `metadata.namespace`.
    public static let namespace = "namespace"
    /// The uid of the ownerReference with `controller: true`.
    public static let controller = "controller"
    /// The uid of every ownerReference.
    public static let owner = "owner"
    /// `spec.nodeName` (pods).
    public static let nodeName = "nodeName"
    /// `metadata.namespace` of objects without a controller: the orphans a controller may adopt.
    public static let uncontrolled = "uncontrolled"
    /// `namespace/<scheduling.x-k8s.io/pod-group label>` (pods): the members of a PodGroup.
    public static let podGroup = "podGroup"

    static func addStandard(to informer: Informer) {
        informer.addIndex(namespace) { object in
            object.value(at: ["metadata", "namespace"])?.string.map { [$0] } ?? []
        }
        informer.addIndex(controller) { object in
            ownerReferences(object).filter { $0["controller"]?.bool == true }.compactMap { $0["uid"]?.string }
        }
        informer.addIndex(owner) { object in ownerReferences(object).compactMap { $0["uid"]?.string } }
        informer.addIndex(uncontrolled) { object in
            guard !ownerReferences(object).contains(where: { $0["controller"]?.bool == true }) else { return [] }
            return object.value(at: ["metadata", "namespace"])?.string.map { [$0] } ?? []
        }
        if informer.resource == ResourceCatalog.pods {
            informer.addIndex(nodeName) { object in
                guard let node = object.value(at: ["spec", "nodeName"])?.string, !node.isEmpty else { return [] }
                return [node]
            }
            informer.addIndex(podGroup) { object in PodGroupSpec.groupKey(ofPod: object).map { [$0] } ?? [] }
        }
    }

    private static func ownerReferences(_ object: JSONValue) -> [JSONValue] {
        object.value(at: ["metadata", "ownerReferences"])?.array ?? []
    }
}
