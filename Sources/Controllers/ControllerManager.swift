import Client
import ControllerRuntime
import Foundation
import Model

/// The controllers of one `drover server` or `drover up` process over one shared informer factory
/// (kube-controller-manager's role). Create it before starting the factory, so every controller's
/// handlers see the first lists; then `factory.start()` and `start()`. The workers start once
/// every informer has listed (upstream's WaitForCacheSync): a controller planning over a cache
/// that is still empty would create again what already exists — after a restart, or when a new
/// leader takes over.
public final class ControllerManager: @unchecked Sendable {
    /// The controllers that run.
    public let enabled: Set<ControllerKind>
    private let factory: SharedInformerFactory
    private let lock = NSLock()
    private var state = RunState.idle
    private var syncTask: Task<Void, Never>?
    private let garbageCollector: GarbageCollector?
    private let jobController: JobController?
    private let cronJobController: CronJobController?
    private let replicaSetController: ReplicaSetController?
    private let deploymentController: DeploymentController?
    private let daemonSetController: DaemonSetController?
    private let nodeLifecycleController: NodeLifecycleController?
    private let taintEvictionController: TaintEvictionController?
    private let podGroupController: PodGroupController?
    private let disruptionController: DisruptionController?
    private let autoscalingController: HorizontalPodAutoscalerController?
    private let jobDependencyController: JobDependencyController?
    private let queueManager: QueueManagerController?

    public init(client: any APIClient, factory: SharedInformerFactory, enabled: Set<ControllerKind> = Set(ControllerKind.allCases),
                clock: any TimeSource = SystemTimeSource(), nodeLifecycle: NodeLifecycleOptions = NodeLifecycleOptions(),
                autoscaling: HorizontalPodAutoscalerOptions = HorizontalPodAutoscalerOptions()) {
        self.enabled = enabled
        self.factory = factory
        func recorder(_ kind: ControllerKind) -> EventRecorder { EventRecorder(client: client, component: kind.component, clock: clock) }
        garbageCollector = enabled.contains(.garbagecollector) ? GarbageCollector(client: client, factory: factory, clock: clock) : nil
        jobController = enabled.contains(.job)
            ? JobController(client: client, factory: factory, recorder: recorder(.job), clock: clock) : nil
        cronJobController = enabled.contains(.cronjob)
            ? CronJobController(client: client, factory: factory, recorder: recorder(.cronjob), clock: clock) : nil
        replicaSetController = enabled.contains(.replicaset)
            ? ReplicaSetController(client: client, factory: factory, recorder: recorder(.replicaset), clock: clock) : nil
        deploymentController = enabled.contains(.deployment)
            ? DeploymentController(client: client, factory: factory, recorder: recorder(.deployment), clock: clock) : nil
        daemonSetController = enabled.contains(.daemonset)
            ? DaemonSetController(client: client, factory: factory, recorder: recorder(.daemonset), clock: clock) : nil
        nodeLifecycleController = enabled.contains(.nodelifecycle)
            ? NodeLifecycleController(client: client, factory: factory, recorder: recorder(.nodelifecycle), clock: clock,
                                      options: nodeLifecycle) : nil
        taintEvictionController = enabled.contains(.tainteviction)
            ? TaintEvictionController(client: client, factory: factory, recorder: recorder(.tainteviction), clock: clock) : nil
        podGroupController = enabled.contains(.podgroup) ? PodGroupController(client: client, factory: factory, clock: clock) : nil
        disruptionController = enabled.contains(.disruption)
            ? DisruptionController(client: client, factory: factory, recorder: recorder(.disruption), clock: clock) : nil
        autoscalingController = enabled.contains(.horizontalpodautoscaling)
            ? HorizontalPodAutoscalerController(client: client, factory: factory, recorder: recorder(.horizontalpodautoscaling),
                                                clock: clock, options: autoscaling) : nil
        jobDependencyController = enabled.contains(.jobdependency)
            ? JobDependencyController(client: client, factory: factory, recorder: recorder(.jobdependency), clock: clock) : nil
        queueManager = enabled.contains(.queuemanager)
            ? QueueManagerController(client: client, factory: factory, recorder: recorder(.queuemanager), clock: clock) : nil
    }

    private enum RunState { case idle, waitingForSync, running, stopped }

    /// Starts every enabled controller's workers once the factory's informers have synced.
    public func start() {
        lock.withLock {
            guard state == .idle else { return }
            state = .waitingForSync
            syncTask = Task { [weak self, factory] in
                await factory.waitForSync()
                self?.startWorkers()
            }
        }
    }

    private func startWorkers() {
        lock.lock()
        defer { lock.unlock() }
        guard state == .waitingForSync else { return }
        state = .running
        garbageCollector?.start()
        jobController?.start()
        cronJobController?.start()
        replicaSetController?.start()
        deploymentController?.start()
        daemonSetController?.start()
        nodeLifecycleController?.start()
        taintEvictionController?.start()
        podGroupController?.start()
        disruptionController?.start()
        autoscalingController?.start()
        jobDependencyController?.start()
        queueManager?.start()
    }

    /// Stops every controller.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        let wasRunning = state == .running
        state = .stopped
        syncTask?.cancel()
        guard wasRunning else { return }
        taintEvictionController?.stop()
        nodeLifecycleController?.stop()
        podGroupController?.stop()
        disruptionController?.stop()
        autoscalingController?.stop()
        jobDependencyController?.stop()
        queueManager?.stop()
        daemonSetController?.stop()
        deploymentController?.stop()
        replicaSetController?.stop()
        cronJobController?.stop()
        jobController?.stop()
        garbageCollector?.stop()
    }
}
