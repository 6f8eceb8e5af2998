import Client
import Foundation
import Model
import Scheduling

/// Tells users why a pod waits: sets its PodScheduled condition to False (reason Unschedulable,
/// the "0/N nodes are available: …" message) and records a FailedScheduling Warning event, one
/// event per pod and message whose `count` and `lastTimestamp` grow on repeats. As the event
/// series of kube-scheduler's events library, the first repeat is written at once and later ones
/// at most every `repeatWriteSeconds`: the attempts between only count, and the next write carries
/// the count. (Writing every attempt cost 45,791 event patches while 1,000 one-pod Jobs waited for
/// room on one node, which took the store's write rate from everything else.) Writes run in the
/// background; a failed write is only logged by omission (the next attempt writes again).
final class UnschedulableReporter: @unchecked Sendable {
    static let repeatWriteSeconds = 30.0

    private struct Recorded {
        var eventName: String
        var message: String
        var count: Int64
        var firstTimestamp: String
        /// When the event was last written.
        var written: Date
    }

    private let client: any APIClient
    private let component: String
    private let clock: any TimeSource
    private let instance: String
    private let lock = NSLock()
    /// The last event and condition message per pod key.
    private var recorded: [String: Recorded] = [:]
    /// Per pod key, a chain of writes so a pod's reports land in order.
    private var pending: [String: Task<Void, Never>] = [:]

    init(client: any APIClient, component: String, clock: any TimeSource) {
        self.client = client
        self.component = component
        self.clock = clock
        instance = "\(component)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Reports that `pod` fits no node, in the background.
    func report(_ pod: PodInfo, message: String) {
        let key = pod.namespace + "/" + pod.name
        lock.withLock {
            let previous = pending[key]
            pending[key] = Task {
                await previous?.value
                await self.write(pod, key: key, message: message)
            }
        }
    }

    /// Forgets a pod's history (it was bound or deleted).
    func forget(podKey key: String) {
        lock.withLock {
            recorded[key] = nil
            pending[key] = nil
        }
    }

    private func write(_ pod: PodInfo, key: String, message: String) async {
        let time = clock.now
        let now = Timestamp.format(time)
        let previous = lock.withLock { recorded[key] }
        if previous?.message != message {
            // The condition changes only with the message, so repeats cost no status write.
            let condition: JSONValue = ["type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                        "message": .string(message), "lastProbeTime": .null, "lastTransitionTime": .string(now)]
            _ = try? await client.patch(ResourceCatalog.pods, namespace: pod.namespace, name: pod.name, type: .strategicMerge,
                                        body: ["status": ["conditions": [condition]]], subresource: "status")
        }
        var entry: Recorded
        if var same = previous, same.message == message {
            same.count += 1
            if same.count > 2 && time.timeIntervalSince(same.written) < Self.repeatWriteSeconds {
                entry = same
            } else {
                same.written = time
                let patched = try? await client.patch(ResourceCatalog.events, namespace: pod.namespace, name: same.eventName, type: .merge,
                                                      body: ["count": .int(same.count), "lastTimestamp": .string(now)])
                entry = same
                if patched == nil { entry = await create(pod, message: message, now: now) ?? same }
            }
        } else {
            guard let created = await create(pod, message: message, now: now) else { return }
            entry = created
        }
        lock.withLock {
            // A forget (bound or deleted meanwhile) wins over a late write.
            if pending[key] != nil { recorded[key] = entry }
        }
    }

    private func create(_ pod: PodInfo, message: String, now: String) async -> Recorded? {
        let name = "\(pod.name).\(String(UInt64(clock.now.timeIntervalSince1970 * 1e9), radix: 16))"
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(pod.namespace)],
            "involvedObject": ["apiVersion": "v1", "kind": "Pod", "namespace": .string(pod.namespace), "name": .string(pod.name),
                               "uid": .string(pod.uid)],
            "reason": "FailedScheduling", "message": .string(message), "type": "Warning",
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
            "source": ["component": .string(component)],
            "reportingComponent": .string(component), "reportingInstance": .string(instance),
        ]
        guard (try? await client.create(ResourceCatalog.events, namespace: pod.namespace, object: event)) != nil else { return nil }
        return Recorded(eventName: name, message: message, count: 1, firstTimestamp: now, written: clock.now)
    }
}
