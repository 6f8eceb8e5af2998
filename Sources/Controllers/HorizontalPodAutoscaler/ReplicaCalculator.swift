import Foundation
import Model

/// Upstream's replica_calculator for resource metrics, pure: the usage ratio of the pods the
/// target selects against the target, with a tolerance around 1, and upstream's handling of pods
/// without metrics (on a scale-down they count as using 100% of their request, or the target when
/// that is higher; on a scale-up as 0%) and of unready pods (cpu samples of pods still starting
/// are left out; on a scale-up they count as 0%). A result that would reverse the direction of
/// the change once those pods are filled in keeps the current count.
public struct ReplicaCalculator: Sendable {
    /// Ratios within 1 ± this keep the count.
    public var tolerance: Double
    /// How long after its start a pod's cpu samples count only once a window passed since it turned ready.
    public var cpuInitializationPeriod: TimeInterval
    /// How soon after its start an unready pod's last transition marks it as never ready.
    public var initialReadinessDelay: TimeInterval

    public init(tolerance: Double = 0.1, cpuInitializationPeriod: TimeInterval = 300, initialReadinessDelay: TimeInterval = 30) {
        self.tolerance = tolerance
        self.cpuInitializationPeriod = cpuInitializationPeriod
        self.initialReadinessDelay = initialReadinessDelay
    }

    /// A replica count with the measured average: utilization in percent of requests (nil for a
    /// raw average-value target) and the raw average in milli-units.
    public struct Proposal: Sendable, Equatable {
        /// The proposed replica count.
        public var replicas: Int
        /// Percent of requests (nil for an average-value target).
        public var utilization: Int64?
        /// Mean usage in milli-units.
        public var rawAverage: Int64
    }

    /// The pods by how they count (upstream's groupPods).
    struct PodGroups {
        var ready = 0
        var unready: Set<String> = []
        var missing: Set<String> = []
        var ignored: Set<String> = []
    }

    func group(_ pods: [PodView], metrics: [String: PodMetric], resource: String, now: Date) -> PodGroups {
        var groups = PodGroups()
        for pod in pods {
            if pod.isDeleting || pod.isFailedPhase {
                groups.ignored.insert(pod.name)
                continue
            }
            if pod.phase == "Pending" {
                groups.unready.insert(pod.name)
                continue
            }
            guard let metric = metrics[pod.name] else {
                groups.missing.insert(pod.name)
                continue
            }
            if resource == "cpu", isUnreadyForCPU(pod, metric: metric, now: now) {
                groups.unready.insert(pod.name)
                continue
            }
            groups.ready += 1
        }
        return groups
    }

    private func isUnreadyForCPU(_ pod: PodView, metric: PodMetric, now: Date) -> Bool {
        guard let ready = pod.condition("Ready"), let transition = ready.lastTransitionTime,
              let start = pod.object["status"]?["startTime"]?.string.flatMap(Timestamp.parse) else { return true }
        if start.addingTimeInterval(cpuInitializationPeriod) > now {
            // Still starting: only a ready pod with a whole metric window since it became ready counts.
            return ready.status == "False" || metric.timestamp < transition.addingTimeInterval(metric.window)
        }
        // Started long ago: unready and never ready since starting.
        return ready.status == "False" && start.addingTimeInterval(initialReadinessDelay) > transition
    }

    /// Requests per pod in milli-units (upstream's calculateRequests: regular containers and
    /// restartable init containers, or only `container`).
    static func requests(_ pods: [PodView], resource: String, container: String?) throws(ReplicaCalculationError) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for pod in pods {
            var sum: Int64 = 0
            let spec = pod.object["spec"] ?? .emptyObject
            let sidecars = (spec["initContainers"]?.array ?? []).filter { $0["restartPolicy"]?.string == "Always" }
            for c in (spec["containers"]?.array ?? []) + sidecars {
                let name = c["name"]?.string ?? ""
                if let container, container != name { continue }
                guard let raw = c["resources"]?["requests"]?[resource], let quantity = try? Quantity(json: raw) else {
                    throw ReplicaCalculationError("missing request for \(resource) in container \(name) of Pod \(pod.name)")
                }
                sum += quantity.milliValue
            }
            out[pod.name] = sum
        }
        return out
    }

    /// A Utilization target (GetResourceReplicas).
    public func utilizationReplicas(current: Int, targetUtilization: Int64, resource: String, container: String?,
                                    pods: [PodView], metrics input: [String: PodMetric], now: Date) throws(ReplicaCalculationError) -> Proposal {
        if pods.isEmpty { throw ReplicaCalculationError("no pods returned by selector while calculating replica count") }
        let groups = group(pods, metrics: input, resource: resource, now: now)
        var metrics = input.mapValues(\.value).filter { !groups.ignored.contains($0.key) && !groups.unready.contains($0.key) }
        let requests = try Self.requests(pods, resource: resource, container: container)
        if metrics.isEmpty { throw ReplicaCalculationError("did not receive metrics for targeted pods (pods might be unready)") }
        let (ratio, utilization, raw) = try Self.utilizationRatio(metrics, requests, target: targetUtilization)
        let scaleUpWithUnready = !groups.unready.isEmpty && ratio > 1
        if !scaleUpWithUnready && groups.missing.isEmpty {
            if abs(1 - ratio) <= tolerance { return Proposal(replicas: current, utilization: utilization, rawAverage: raw) }
            return Proposal(replicas: Int((ratio * Double(groups.ready)).rounded(.up)), utilization: utilization, rawAverage: raw)
        }
        if ratio < 1 {
            let fallback = max(100, targetUtilization)
            for pod in groups.missing { metrics[pod] = (requests[pod] ?? 0) * fallback / 100 }
        } else if ratio > 1 {
            for pod in groups.missing { metrics[pod] = 0 }
        }
        if scaleUpWithUnready { for pod in groups.unready { metrics[pod] = 0 } }
        let (newRatio, _, _) = try Self.utilizationRatio(metrics, requests, target: targetUtilization)
        let proposal = recount(current: current, ratio: ratio, newRatio: newRatio, count: metrics.count)
        return Proposal(replicas: proposal, utilization: utilization, rawAverage: raw)
    }

    /// An AverageValue target of a resource (GetRawResourceReplicas / calcPlainMetricReplicas).
    public func averageValueReplicas(current: Int, targetAverage: Int64, resource: String, container: String?,
                                     pods: [PodView], metrics input: [String: PodMetric], now: Date) throws(ReplicaCalculationError) -> Proposal {
        if pods.isEmpty { throw ReplicaCalculationError("no pods returned by selector while calculating replica count") }
        let groups = group(pods, metrics: input, resource: resource, now: now)
        var metrics = input.mapValues(\.value).filter { !groups.ignored.contains($0.key) && !groups.unready.contains($0.key) }
        if metrics.isEmpty { throw ReplicaCalculationError("did not receive metrics for targeted pods (pods might be unready)") }
        let (ratio, usage) = Self.usageRatio(metrics, target: targetAverage)
        let scaleUpWithUnready = !groups.unready.isEmpty && ratio > 1
        if !scaleUpWithUnready && groups.missing.isEmpty {
            if abs(1 - ratio) <= tolerance { return Proposal(replicas: current, utilization: nil, rawAverage: usage) }
            return Proposal(replicas: Int((ratio * Double(groups.ready)).rounded(.up)), utilization: nil, rawAverage: usage)
        }
        for pod in groups.missing { metrics[pod] = ratio < 1 ? targetAverage : 0 }
        if scaleUpWithUnready { for pod in groups.unready { metrics[pod] = 0 } }
        let (newRatio, _) = Self.usageRatio(metrics, target: targetAverage)
        return Proposal(replicas: recount(current: current, ratio: ratio, newRatio: newRatio, count: metrics.count),
                        utilization: nil, rawAverage: usage)
    }

    /// The count after filling in missing and unready pods: unchanged within the tolerance, when
    /// the filling reverses the direction, or when the new count points the other way.
    private func recount(current: Int, ratio: Double, newRatio: Double, count: Int) -> Int {
        if abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1) { return current }
        let replicas = Int((newRatio * Double(count)).rounded(.up))
        if (newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current) { return current }
        return replicas
    }

    /// GetResourceUtilizationRatio: Σ usage × 100 / Σ requests (integer percent) over pods with
    /// both, against the target; the raw average is Σ usage / those pods.
    static func utilizationRatio(_ metrics: [String: Int64], _ requests: [String: Int64],
                                 target: Int64) throws(ReplicaCalculationError) -> (Double, Int64, Int64) {
        var usage: Int64 = 0, requested: Int64 = 0, entries: Int64 = 0
        for (pod, value) in metrics {
            guard let request = requests[pod] else { continue }
            usage += value
            requested += request
            entries += 1
        }
        if requested == 0 { throw ReplicaCalculationError("no metrics returned matched known pods") }
        let utilization = usage * 100 / requested
        return (Double(utilization) / Double(target), utilization, usage / entries)
    }

    /// GetMetricUsageRatio: the integer average against the target.
    static func usageRatio(_ metrics: [String: Int64], target: Int64) -> (Double, Int64) {
        let average = metrics.values.reduce(0, +) / Int64(max(1, metrics.count))
        return (Double(average) / Double(target), average)
    }
}
