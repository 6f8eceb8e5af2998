import Client
import ControllerRuntime
import Foundation
import Model
import Queueing

extension QueueManagerController {
    /// The admission pass: read every queue, flavor and Workload from the caches (Workloads as
    /// last written here when the cache is behind), plan, then write what changed — admissions
    /// first (so quota is taken before anything is said about the rest), then pending messages,
    /// then queue status.
    func runPass() async throws {
        let workloadObjects = workloads.list().map { object in written.latest(WorkloadView(object).key, cached: object) ?? object }
        var labels: [String: [String: String]] = [:]
        for namespace in namespaces.list() {
            let meta = ObjectMetaView(namespace["metadata"])
            labels[meta.name] = meta.labels.merging(["kubernetes.io/metadata.name": meta.name]) { a, _ in a }
        }
        let input = QueueSchedulingInput(clusterQueues: clusterQueues.list().map(ClusterQueueView.init),
                                         localQueues: localQueues.list().map(LocalQueueView.init),
                                         flavors: flavors.list().map(ResourceFlavorView.init),
                                         workloads: workloadObjects.map(WorkloadView.init), namespaceLabels: labels, now: clock.now)
        let plan = QueueScheduling.plan(input)
        let byKey = Dictionary(input.workloads.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let now = clock.now
        // Writes of one kind go out `writeConcurrency` at a time (a pass after a burst of arrivals
        // rewrites many positions); admissions all land before anything else is said.
        var writes: [@Sendable () async throws -> Void] = []
        func attempt(_ body: @escaping @Sendable () async throws -> Void) { writes.append(body) }
        var firstError: (any Error)?
        func flush() async {
            if let error = await performConcurrently(writes) { firstError = firstError ?? error }
            writes = []
        }
        for (key, admission) in plan.admit {
            guard let workload = byKey[key] else { continue }
            attempt { [self] in
                try await writeWorkloadStatus(workload) { status in
                    status["admission"] = admission.json
                    let message = "Quota reserved in ClusterQueue \(admission.clusterQueue)"
                    Conditions.set(&status, Kueue.Condition.quotaReserved, "True", "QuotaReserved", message, now: now)
                    Conditions.set(&status, Kueue.Condition.admitted, "True", "Admitted", "The workload is admitted", now: now)
                    if status["conditions"]?.array?.contains(where: { $0["type"] == "Evicted" && $0["status"] == "True" }) == true {
                        Conditions.set(&status, Kueue.Condition.evicted, "False", "QuotaReserved", "Admitted again", now: now)
                    }
                }
            }
        }
        await flush()
        for victim in plan.evict {
            guard let workload = byKey[victim.key] else { continue }
            attempt { [self] in
                // The Job side suspends its Job (not failed) once it sees the Workload without quota;
                // the Workload is pending again: requeued.
                try await writeWorkloadStatus(workload) { status in
                    status["admission"] = nil
                    Conditions.set(&status, Kueue.Condition.evicted, "True", victim.reason, victim.message, now: now)
                    Conditions.set(&status, Kueue.Condition.quotaReserved, "False", victim.reason, victim.message, now: now)
                    Conditions.set(&status, Kueue.Condition.admitted, "False", victim.reason, victim.message, now: now)
                }
                recorder.record(workload.object, type: "Normal", reason: "Preempted", message: victim.message)
            }
        }
        await flush()
        var positionsDeferred = false
        positionWrites.keep(only: Set(plan.pending.keys))
        for (key, pending) in plan.pending.sorted(by: { $0.key < $1.key }) {
            guard let workload = byKey[key] else { continue }
            let current = workload.condition(Kueue.Condition.quotaReserved).flatMap { $0.isTrue ? nil : $0.message }
            guard positionWrites.mayWrite(key, current: current, message: pending.message, now: now) else {
                positionsDeferred = true
                continue
            }
            attempt { [self] in
                try await writeWorkloadStatus(workload) { status in
                    Conditions.set(&status, Kueue.Condition.quotaReserved, "False", pending.reason, pending.message, now: now)
                }
                positionWrites.wrote(key, at: now)
            }
        }
        await flush()
        // The positions held back are written by a pass once their interval has passed.
        if positionsDeferred { queue.addAfter(Self.passKey, seconds: PositionWrites.interval) }
        let holding = QueueStatus.holders(input, plan)
        for object in clusterQueues.list() {
            let status = QueueStatus.clusterQueue(ClusterQueueView(object), input: input, plan: plan, holding: holding)
            attempt { [self] in try await writeQueueStatus(object, ResourceCatalog.clusterQueues, status) }
        }
        for object in localQueues.list() {
            let status = QueueStatus.localQueue(LocalQueueView(object), input: input, plan: plan, holding: holding)
            attempt { [self] in try await writeQueueStatus(object, ResourceCatalog.localQueues, status) }
        }
        await flush()
        if let firstError { throw firstError }
    }

    static let writeConcurrency = 8

    /// Runs `writes` at most `writeConcurrency` at a time. A 404 or 409 (the object moved under
    /// us) brings the pass back; the first other error is returned once all have run.
    private func performConcurrently(_ writes: [@Sendable () async throws -> Void]) async -> (any Error)? {
        await withTaskGroup(of: (any Error)?.self) { group in
            var next = 0, firstError: (any Error)?
            func collect(_ error: (any Error)?) {
                guard let error else { return }
                if let status = error as? StatusError, status.code == 404 || status.code == 409 {
                    queue.add(Self.passKey)
                } else if firstError == nil {
                    firstError = error
                }
            }
            func start() {
                let write = writes[next]
                next += 1
                group.addTask { () -> (any Error)? in
                    do { try await write() } catch { return error }
                    return nil
                }
            }
            while next < min(writes.count, Self.writeConcurrency) { start() }
            while let result = await group.next() {
                collect(result)
                if next < writes.count { start() }
            }
            return firstError
        }
    }

    /// Writes a queue's status when it changed; the Active condition keeps its transition time.
    private func writeQueueStatus(_ object: JSONValue, _ resource: ResourceInfo, _ computed: JSONValue) async throws {
        var status = computed
        let existing = object["status"] ?? .emptyObject
        if let active = computed["conditions"]?.array?.first {
            var conditions = existing
            Conditions.set(&conditions, Kueue.Condition.active, active["status"]?.string ?? "", active["reason"]?.string ?? "",
                           active["message"]?.string ?? "", now: clock.now)
            status["conditions"] = conditions["conditions"]
        }
        guard status != existing else { return }
        var updated = object
        updated["status"] = status
        _ = try await client.updateStatus(resource, namespace: resource.namespaced ? ObjectMetaView(object["metadata"]).namespace : nil,
                                          object: updated)
    }
}

/// Objects as a controller last wrote them, kept until its informer delivers that version or a
/// newer one (resourceVersions are increasing integers in Drover).
final class WrittenObjects: @unchecked Sendable {
    private let lock = NSLock()
    private var objects: [String: JSONValue] = [:]

    func record(_ key: String, _ object: JSONValue) {
        lock.withLock { objects[key] = object }
    }

    /// The cache saw `object` for `key`: forget what was written if the cache caught up.
    func observed(_ key: String, _ object: JSONValue) {
        lock.withLock {
            guard let written = objects[key] else { return }
            if Self.version(object) >= Self.version(written) { objects[key] = nil }
        }
    }

    /// The newer of the cached object and the one written.
    func latest(_ key: String, cached: JSONValue?) -> JSONValue? {
        lock.withLock {
            guard let written = objects[key] else { return cached }
            guard let cached else { return written }
            return Self.version(written) > Self.version(cached) ? written : cached
        }
    }

    private static func version(_ object: JSONValue) -> Int {
        Int(ObjectMetaView(object["metadata"]).resourceVersion) ?? 0
    }
}
