import Foundation
import Model

/// The shape of Kueue's scheduler performance test (test/performance/scheduler/configs/baseline):
/// `cohorts` × `queues` ClusterQueues of 20 cpu nominal quota (borrowingLimit 100,
/// reclaimWithinCohort Any, withinClusterQueue LowerPriority), and per ClusterQueue 350 small Jobs
/// (1 cpu, 200 ms, one every 100 ms, priority 50), 100 medium (5 cpu, 500 ms, every 500 ms,
/// priority 100) and 50 large (20 cpu, 1 s, every 1.2 s, priority 200), run on hollow nodes whose
/// pods take their Job's `drover.dev/sim-run-seconds`. Prints the wall time (first creation to
/// last finish) beside the bound the load allows, the average ClusterQueue usage over that time
/// and the average time to admission per class. `scale` shrinks the counts (and the bound).
struct QueuesBench {
    var port: UInt16
    var token: String
    var cohorts: Int
    var queues: Int
    var scale: Double
    var clients: Int
    var timeout: Double

    struct Class {
        var name: String, count: Int, cpu: Int, seconds: Double, every: Double, priority: Int
    }

    static let nominal = 20

    var classes: [Class] {
        [Class(name: "small", count: Int(350 * scale), cpu: 1, seconds: 0.2, every: 0.1, priority: 50),
         Class(name: "medium", count: Int(100 * scale), cpu: 5, seconds: 0.5, every: 0.5, priority: 100),
         Class(name: "large", count: Int(50 * scale), cpu: 20, seconds: 1, every: 1.2, priority: 200)]
    }

    struct Planned {
        var name: String, queue: String, classIndex: Int, at: Double, cpu: Int
    }

    func run() throws {
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        func post(_ path: String, _ object: JSONValue) throws {
            try http.send("POST", path, token: token, body: object.serialized())
            let (status, body) = try http.readResponse()
            guard status == 201 || status == 409 else { throw BenchError("POST \(path): \(status) \(String(decoding: body, as: UTF8.self))") }
        }
        let kueue = "/apis/kueue.x-k8s.io/v1beta1"
        try post("\(kueue)/resourceflavors", ["apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "ResourceFlavor", "metadata": ["name": "default-flavor"]])
        for c in classes {
            try post("\(kueue)/workloadpriorityclasses", ["apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "WorkloadPriorityClass",
                                                          "metadata": ["name": .string(c.name)], "value": .int(Int64(c.priority))])
        }
        var queueNames: [String] = []
        for cohort in 0..<cohorts {
            for q in 0..<queues {
                let name = "cq-\(cohort)-\(q)"
                queueNames.append(name)
                let quota: JSONValue = ["name": "cpu", "nominalQuota": .string("\(Self.nominal)"), "borrowingLimit": "100"]
                try post("\(kueue)/clusterqueues", [
                    "apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "ClusterQueue", "metadata": ["name": .string(name)],
                    "spec": ["namespaceSelector": [:], "cohort": .string("cohort-\(cohort)"),
                             "preemption": ["reclaimWithinCohort": "Any", "withinClusterQueue": "LowerPriority"],
                             "resourceGroups": [["coveredResources": ["cpu"], "flavors": [["name": "default-flavor", "resources": [quota]]]]]],
                ])
                try post("\(kueue)/namespaces/default/localqueues", [
                    "apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "LocalQueue",
                    "metadata": ["name": .string(name), "namespace": "default"], "spec": ["clusterQueue": .string(name)],
                ])
            }
        }
        var plan: [Planned] = []
        for queue in queueNames {
            for (k, c) in classes.enumerated() {
                for i in 0..<c.count { plan.append(Planned(name: "\(queue)-\(c.name)-\(i)", queue: queue, classIndex: k, at: Double(i) * c.every, cpu: c.cpu)) }
            }
        }
        plan.sort { $0.at < $1.at }
        let index = Dictionary(uniqueKeysWithValues: plan.enumerated().map { ($1.name, $0) })
        let created = Stamps(count: plan.count), admitted = Stamps(count: plan.count), finished = Stamps(count: plan.count)
        let usage = UsageMeter()
        try watchWorkloads(index: index, plan: plan, admitted: admitted, finished: finished, usage: usage)
        Thread.sleep(forTimeInterval: 1)

        print("== queues: \(cohorts) cohorts × \(queues) ClusterQueues of \(Self.nominal) cpu; \(plan.count) Jobs "
              + classes.map { "\($0.count) \($0.name) (\($0.cpu) cpu, \(Int($0.seconds * 1000)) ms, every \(Int($0.every * 1000)) ms)" }
                .joined(separator: ", ") + " per queue")
        let start = Date().timeIntervalSince1970 + 0.5
        let failures = createOnSchedule(plan: plan, start: start, created: created)
        let deadline = Date().addingTimeInterval(timeout)
        while finished.filled < plan.count && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        let end = finished.values.compactMap { $0 }.max() ?? Date().timeIntervalSince1970
        let first = created.values.compactMap { $0 }.min() ?? start
        let wall = end - first
        let capacity = Double(Self.nominal * cohorts * queues)
        let work = classes.reduce(0.0) { $0 + Double($1.count * $1.cpu) * $1.seconds } * Double(cohorts * queues)
        let lastArrival = classes.map { Double(max(0, $0.count - 1)) * $0.every + $0.seconds }.max() ?? 0
        print(String(format: "  wall %.1f s (bound %.1f s: max(cpu·s %.0f / %.0f cpu, last creation + run %.1f s); Kueue's ideal ≈ 71 s at full scale; "
                     + "its CI 351 s), %d/%d finished, %d create failures", wall, max(work / capacity, lastArrival), work, capacity,
                     lastArrival, finished.filled, plan.count, failures))
        print(String(format: "  average ClusterQueue usage %.1f%% of nominal quota (Kueue's CI 58.7%%)",
                     100 * usage.average(from: first, to: end) / capacity))
        for (k, c) in classes.enumerated() {
            let waits = plan.indices.filter { plan[$0].classIndex == k }.compactMap { i -> Double? in
                guard let made = created.value(i), let in_ = admitted.value(i) else { return nil }
                return max(0, in_ - made)
            }.sorted()
            let mean = waits.isEmpty ? Double.nan : waits.reduce(0, +) / Double(waits.count)
            print(String(format: "  time to admission, %@: average %.2f s, p50 %.2f s, p99 %.2f s (%d admitted)", c.name, mean,
                         percentile(waits, 50), percentile(waits, 99), waits.count))
        }
    }

    static func job(_ planned: Planned, _ c: Class) -> [UInt8] {
        let job: JSONValue = [
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": ["name": .string(planned.name),
                         "labels": [Kueue.queueNameLabel: .string(planned.queue), Kueue.priorityClassLabel: .string(c.name)]],
            "spec": ["backoffLimit": 0, "template": [
                "metadata": ["annotations": ["drover.dev/sim-run-seconds": .string(String(c.seconds))]],
                "spec": ["restartPolicy": "Never", "containers": [["name": "main", "image": "busybox",
                                                                    "resources": ["requests": ["cpu": .string("\(c.cpu)")]]]]]]],
        ]
        return job.serialized()
    }

    /// Creates each Job at its planned time over `clients` connections; returns the failures.
    private func createOnSchedule(plan: [Planned], start: Double, created: Stamps) -> Int {
        let failures = Collector()
        let group = DispatchGroup()
        let classes = self.classes
        for client in 0..<clients {
            group.enter()
            Thread.detachNewThread { [port, token, clients] in
                defer { group.leave() }
                guard let http = try? RawHTTP(host: "127.0.0.1", port: port) else { failures.count("failed"); return }
                for i in stride(from: client, to: plan.count, by: clients) {
                    let wait = start + plan[i].at - Date().timeIntervalSince1970
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                    created.set(i, Date().timeIntervalSince1970)
                    do {
                        try http.send("POST", "/apis/batch/v1/namespaces/default/jobs", token: token, body: Self.job(plan[i], classes[plan[i].classIndex]))
                        let (status, _) = try http.readResponse()
                        if status != 201 { failures.count("failed") }
                    } catch {
                        failures.count("failed")
                        return
                    }
                }
            }
        }
        group.wait()
        return failures.counter("failed")
    }

    /// Follows the Workloads: the first time each holds quota, when it finishes, and the cpu held.
    private func watchWorkloads(index: [String: Int], plan: [Planned], admitted: Stamps, finished: Stamps, usage: UsageMeter) throws {
        let watcher = try RawHTTP(host: "127.0.0.1", port: port)
        try watcher.send("GET", "/apis/kueue.x-k8s.io/v1beta1/namespaces/default/workloads?watch=true", token: token)
        _ = try watcher.readHead()
        Thread.detachNewThread {
            var holding: Set<Int> = []
            try? watcher.readEvents(while: { finished.filled < plan.count }) { event, now in
                let workload = WorkloadView(event["object"] ?? .null)
                guard let job = workload.ownerJob?.name, let i = index[job] else { return }
                let holds = workload.hasQuotaReservation && !workload.isFinished
                if holds { admitted.set(i, now) }
                if workload.isFinished { finished.set(i, now) }
                if holds && holding.insert(i).inserted { usage.change(by: Double(plan[i].cpu), at: now) }
                if !holds && holding.remove(i) != nil { usage.change(by: -Double(plan[i].cpu), at: now) }
            }
        }
    }
}

/// The cpu held over time, integrated as it changes.
final class UsageMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [(time: Double, level: Double)] = []
    private var level = 0.0

    func change(by delta: Double, at time: Double) {
        lock.withLock {
            level += delta
            steps.append((time, level))
        }
    }

    /// The time-weighted average level between `start` and `end`.
    func average(from start: Double, to end: Double) -> Double {
        lock.withLock {
            guard end > start else { return 0 }
            var area = 0.0, current = 0.0, last = start
            for step in steps {
                let t = min(max(step.time, start), end)
                area += current * (t - last)
                last = t
                current = step.level
            }
            area += current * (end - last)
            return area / (end - start)
        }
    }
}
