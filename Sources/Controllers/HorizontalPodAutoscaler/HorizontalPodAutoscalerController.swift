import Client
import ControllerRuntime
import Foundation
import Model

/// The autoscaling/v2 HorizontalPodAutoscaler controller (upstream's pkg/controller/podautoscaler):
/// every `syncPeriod` each HPA reads its target's scale subresource and the metrics.k8s.io
/// PodMetrics of the pods the scale's selector picks, lets `HorizontalPodAutoscalerSync` (pure)
/// decide, then writes the new replica count through the scale subresource, records Events
/// and writes status once. Recommendation and scale-event history stay in memory, as upstream's.
public final class HorizontalPodAutoscalerController: Reconciler, @unchecked Sendable {
    let client: any APIClient
    let recorder: any EventRecording
    let clock: any TimeSource
    let options: HorizontalPodAutoscalerOptions
    let autoscalers: Informer
    let pods: Informer
    /// The work queue of HPA keys (`namespace/name`).
    public let queue: WorkQueue
    let writtenVersions = WrittenVersions()
    private let lock = NSLock()
    private var histories: [String: ScaleHistory] = [:]
    /// Each HPA's scale selector as its last sync read it (upstream's hpaSelectors), by key.
    private var selectors: [String: LabelSelector] = [:]
    private var loop: ControllerLoop!

    public init(client: any APIClient, factory: SharedInformerFactory, recorder: any EventRecording,
                clock: any TimeSource = SystemTimeSource(), options: HorizontalPodAutoscalerOptions = HorizontalPodAutoscalerOptions(),
                workers: Int = 2) {
        self.client = client
        self.recorder = recorder
        self.clock = clock
        self.options = options
        autoscalers = factory.informer(ResourceCatalog.horizontalPodAutoscalers)
        pods = factory.informer(ResourceCatalog.pods)
        queue = WorkQueue(name: "horizontalpodautoscaler", clock: clock, backoff: RetryBackoff(base: 0.005, maximum: options.syncPeriod))
        loop = ControllerLoop(name: "horizontalpodautoscaler", queue: queue, workers: workers, reconciler: WeakReconciler(self))
        // Status writes (ours) do not bring a key back early: each HPA is reconciled on its sync
        // period, as upstream's queue does; a new HPA or a spec change is reconciled at once.
        autoscalers.addHandler(InformerHandler(
            onAdd: { [weak self] in self?.queue.add(objectKey($0)) },
            onUpdate: { [weak self] old, new in if old["spec"] != new["spec"] { self?.queue.add(objectKey(new)) } },
            onDelete: { [weak self] in self?.queue.add(objectKey($0)) }))
    }

    /// Starts the workers (the factory is started by whoever owns it).
    public func start() { loop.start() }

    /// Stops the workers.
    public func stop() { loop.stop() }

    /// The in-memory history of one HPA (tests read it).
    public func history(_ key: String) -> ScaleHistory? { lock.withLock { histories[key] } }

    /// One sync of an HPA: read the scale and the metrics, plan, rescale, record Events, write
    /// status; always comes back after the sync period.
    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let object = autoscalers.get(key) else {
            lock.withLock {
                histories[key] = nil
                selectors[key] = nil
            }
            writtenVersions.forget(key)
            return .done
        }
        let hpa = HorizontalPodAutoscalerView(object)
        // The cache is behind our own status write: decide from what we wrote, a moment later.
        if writtenVersions.isBehind(key, cached: hpa.metadata.resourceVersion) { return .requeue(after: 1) }
        let target = hpa.scaleTargetRef
        let (resource, scale) = await readScale(target, namespace: hpa.namespace)
        var metrics: Result<JSONValue, ReplicaCalculationError> = .success(["items": []])
        if case .success(let reading) = scale, !reading.selector.isEmpty,
           hpa.metrics.contains(where: { $0.type == "Resource" || $0.type == "ContainerResource" }) {
            metrics = await readPodMetrics(namespace: hpa.namespace, selector: reading.selector)
        }
        let now = clock.now
        let others = lock.withLock { () -> [(name: String, selector: LabelSelector)] in
            if case .success(let reading) = scale, let parsed = try? LabelSelector.parse(reading.selector), !reading.selector.isEmpty {
                selectors[key] = parsed
            }
            return selectors.filter { $0.key != key && $0.key.hasPrefix(hpa.namespace + "/") }
                .map { (String($0.key.dropFirst(hpa.namespace.count + 1)), $0.value) }
        }
        let input = HorizontalPodAutoscalerSyncInput(
            hpa: hpa, scale: scale, pods: pods.byIndex(InformerIndex.namespace, hpa.namespace).map(PodView.init),
            podMetrics: metrics, history: lock.withLock { histories[key] } ?? ScaleHistory(), now: now, options: options,
            otherSelectors: others)
        let plan = HorizontalPodAutoscalerSync.plan(input)
        var history = plan.history
        var status = plan.status
        var events = plan.events
        if let replicas = plan.rescale, let resource {
            do {
                _ = try await client.patch(resource, namespace: hpa.namespace, name: target.name, type: .merge,
                                           body: ["spec": ["replicas": .int(Int64(replicas))]], subresource: "scale")
                history.recordScale(from: plan.current, to: replicas, behavior: hpa.behavior, now: now)
            } catch {
                let failed = plan.failedRescale(Self.message(error), now: clock.now)
                status = failed.status
                events = events.filter { $0.reason != "SuccessfulRescale" } + [failed.event]
            }
        }
        lock.withLock { histories[key] = history }
        for event in events { recorder.record(object, type: event.type, reason: event.reason, message: event.message) }
        do {
            try await WorkloadWiring.writeStatus(status, to: object, resource: ResourceCatalog.horizontalPodAutoscalers, client: client,
                                                 key: key, written: writtenVersions)
        } catch let error as StatusError where error.code == 409 {
            return .requeue(after: 1)   // the HPA changed meanwhile; decide again from the new one
        } catch {
            recorder.record(object, type: "Warning", reason: "FailedUpdateStatus", message: Self.message(error))
            throw error
        }
        return .requeue(after: options.syncPeriod)
    }

    /// The target's resource and Scale: the served resource of the reference's group and kind
    /// with a scale subresource (upstream's RESTMapping), then `GET …/scale`.
    private func readScale(_ target: ScaleTargetReference,
                           namespace: String) async -> (ResourceInfo?, Result<ScaleReading, ReplicaCalculationError>) {
        let group = target.apiVersion.contains("/") ? String(target.apiVersion.split(separator: "/")[0]) : ""
        guard let resource = ResourceCatalog.all.first(where: { $0.group == group && $0.kind == target.kind }) else {
            return (nil, .failure(ReplicaCalculationError("no matches for kind \(target.kind.goQuoted) in group \(group.goQuoted)")))
        }
        do {
            let path = try ResourcePath.object(resource, namespace: namespace, name: target.name, subresource: "scale")
            let scale = try await client.raw(RawRequest(path: path, headers: ["Accept": "application/json"])).checked().json()
            return (resource, .success(ScaleReading(specReplicas: Int(scale["spec"]?["replicas"]?.int ?? 0),
                                                    statusReplicas: Int(scale["status"]?["replicas"]?.int ?? 0),
                                                    selector: scale["status"]?["selector"]?.string ?? "")))
        } catch {
            return (resource, .failure(ReplicaCalculationError(Self.message(error))))
        }
    }

    /// The PodMetricsList of the pods `selector` picks in `namespace`.
    private func readPodMetrics(namespace: String, selector: String) async -> Result<JSONValue, ReplicaCalculationError> {
        let path = "/apis/metrics.k8s.io/v1beta1/namespaces/\(namespace)/pods"
        do {
            let response = try await client.raw(RawRequest(path: path, query: [("labelSelector", selector)],
                                                           headers: ["Accept": "application/json"]))
            return .success(try response.checked().json())
        } catch {
            return .failure(ReplicaCalculationError("unable to fetch metrics from resource metrics API: \(Self.message(error))"))
        }
    }

    /// An error as upstream prints it: a Status's message, otherwise the description.
    static func message(_ error: any Error) -> String {
        (error as? StatusError)?.message ?? String(describing: error)
    }
}
