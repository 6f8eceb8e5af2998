import Foundation
import Model

/// Upstream's computeReplicasForMetrics for one sync: the scale's selector is checked (present,
/// parsable, its pods picked by no other HPA), each metric
/// proposes a replica count (the highest wins), and ScalingActive says whether one could be
/// computed. Metric failures become conditions, Events and the error the sync reports.
struct MetricComputation {
    let input: HorizontalPodAutoscalerSyncInput
    let scale: ScaleReading
    var conditions: HPAConditions
    var events: [HPAEvent] = []
    var statuses: [JSONValue] = []
    /// The error of a failed computation (upstream's FailedComputeMetricsReplicas message).
    var error: String?

    init(input: HorizontalPodAutoscalerSyncInput, scale: ScaleReading, conditions: HPAConditions) {
        self.input = input
        self.scale = scale
        self.conditions = conditions
    }

    private struct Failure: Error {
        var reason: String
        var message: String
    }

    /// The highest proposal and the metric that made it, or nil when none may be acted on.
    mutating func run() -> (Int, String)? {
        let now = input.now
        if scale.selector.isEmpty {
            events.append(HPAEvent(type: "Warning", reason: "SelectorRequired", message: "selector is required"))
            conditions.set(HorizontalPodAutoscalerView.scalingActive, "False", "InvalidSelector", "the HPA target's scale is missing a selector",
                           now: now)
            error = "selector is required"
            return nil
        }
        let selector: LabelSelector
        do {
            selector = try LabelSelector.parse(scale.selector)
        } catch {
            let message = "couldn't convert selector into a corresponding internal selector object: \(error.message)"
            events.append(HPAEvent(type: "Warning", reason: "InvalidSelector", message: message))
            conditions.set(HorizontalPodAutoscalerView.scalingActive, "False", "InvalidSelector", message, now: now)
            self.error = message
            return nil
        }
        let pods = input.pods.filter { selector.matches($0.labels) }
        let rivals = input.otherSelectors.filter { other in pods.contains { other.selector.matches($0.labels) } }.map(\.name)
        if !rivals.isEmpty {
            let namespace = input.hpa.namespace
            let keys = ([input.hpa.name] + rivals).sorted().map { "{\($0) \(namespace)}" }.joined(separator: " ")
            let message = "pods by selector \(scale.selector) are controlled by multiple HPAs: [\(keys)]"
            events.append(HPAEvent(type: "Warning", reason: "AmbiguousSelector", message: message))
            conditions.set(HorizontalPodAutoscalerView.scalingActive, "False", "AmbiguousSelector", message, now: now)
            error = message
            return nil
        }
        let specs = input.hpa.metrics
        guard !specs.isEmpty else { return nil }
        statuses = Array(repeating: ["type": ""], count: specs.count)
        var replicas = 0
        var metric = ""
        var invalid = 0
        var first: (error: String, condition: Failure)?
        for (i, spec) in specs.enumerated() {
            do {
                let (proposal, name, status) = try compute(spec, pods: pods)
                statuses[i] = status
                if replicas == 0 || proposal > replicas { (replicas, metric) = (proposal, name) }
            } catch let failure as Failure {
                events.append(HPAEvent(type: "Warning", reason: failure.reason, message: failure.message))
                let outer = Self.outerError(spec, failure.message)
                if first == nil {
                    first = (outer, Failure(reason: failure.reason, message: "the HPA was unable to compute the replica count: \(failure.message)"))
                }
                invalid += 1
            } catch {}
        }
        if let first, invalid >= specs.count || replicas < scale.specReplicas {
            conditions.set(HorizontalPodAutoscalerView.scalingActive, "False", first.condition.reason, first.condition.message, now: now)
            error = "invalid metrics (\(invalid) invalid out of \(specs.count)), first error is: \(first.error)"
            return nil
        }
        conditions.set(HorizontalPodAutoscalerView.scalingActive, "True", "ValidMetricFound",
                       "the HPA was able to successfully calculate a replica count from \(metric)", now: now)
        return (replicas, metric)
    }

    /// computeReplicasForMetric's wrapping of a metric's error.
    private static func outerError(_ spec: MetricSpecView, _ message: String) -> String {
        switch spec.type {
        case "Resource": return "failed to get \(spec.resourceName) resource metric value: \(message)"
        case "ContainerResource": return "failed to get \(spec.container ?? "") container metric value: \(message)"
        case "Pods": return "failed to get pods metric value: \(message)"
        case "Object": return "failed to get object metric value: \(message)"
        case "External": return "failed to get \(spec.metricName) external metric value: \(message)"
        default: return message
        }
    }

    private func compute(_ spec: MetricSpecView, pods: [PodView]) throws -> (Int, String, JSONValue) {
        switch spec.type {
        case "Resource", "ContainerResource":
            return try computeResource(spec, pods: pods)
        case "Pods":
            throw Failure(reason: "FailedGetPodsMetric",
                          message: "unable to get metric \(spec.metricName): no custom metrics API (custom.metrics.k8s.io) is served")
        case "Object":
            throw Failure(reason: "FailedGetObjectMetric",
                          message: "unable to get metric \(spec.metricName): no custom metrics API (custom.metrics.k8s.io) is served")
        case "External":
            throw Failure(reason: "FailedGetExternalMetric",
                          message: "unable to get external metric \(input.hpa.namespace)/\(spec.metricName): no external metrics API (external.metrics.k8s.io) is served")
        default:
            throw Failure(reason: "InvalidMetricSourceType", message: "unknown metric source type \(spec.type.goQuoted)")
        }
    }

    private func computeResource(_ spec: MetricSpecView, pods: [PodView]) throws -> (Int, String, JSONValue) {
        let container = spec.container
        let resource = spec.resourceName
        let reason = container == nil ? "FailedGetResourceMetric" : "FailedGetContainerResourceMetric"
        let target = spec.target
        let calculator = ReplicaCalculator(tolerance: input.options.tolerance, cpuInitializationPeriod: input.options.cpuInitializationPeriod,
                                           initialReadinessDelay: input.options.initialReadinessDelay)
        func metrics() throws(ReplicaCalculationError) -> [String: PodMetric] {
            do {
                return try PodMetricsReading.values(try input.podMetrics.get(), resource: resource, container: container)
            } catch {
                throw ReplicaCalculationError("unable to get metrics for resource \(resource): \(error.message)")
            }
        }
        var source: JSONValue = ["name": .string(resource)]
        if let container { source["container"] = .string(container) }
        let key = MetricSpecView.sourceKey(spec.type)
        if let average = target.averageValue {
            do {
                let proposal = try calculator.averageValueReplicas(current: scale.specReplicas, targetAverage: average.milliValue,
                                                                   resource: resource, container: container, pods: pods,
                                                                   metrics: try metrics(), now: input.now)
                source["current"] = ["averageValue": .string(Quantity(milliValue: proposal.rawAverage).description)]
                return (proposal.replicas, "\(resource) resource", ["type": .string(spec.type), key: source])
            } catch {
                throw Failure(reason: reason, message: "failed to get \(resource) usage: \(error.message)")
            }
        }
        guard let utilization = target.averageUtilization else {
            throw Failure(reason: reason,
                          message: "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set")
        }
        do {
            let proposal = try calculator.utilizationReplicas(current: scale.specReplicas, targetUtilization: utilization, resource: resource,
                                                              container: container, pods: pods, metrics: try metrics(), now: input.now)
            source["current"] = ["averageUtilization": .int(proposal.utilization ?? 0),
                                 "averageValue": .string(Quantity(milliValue: proposal.rawAverage).description)]
            let name = container == nil ? "\(resource) resource utilization (percentage of request)"
                : "\(resource) container resource utilization (percentage of request)"
            return (proposal.replicas, name, ["type": .string(spec.type), key: source])
        } catch {
            throw Failure(reason: reason, message: "failed to get \(resource) utilization: \(error.message)")
        }
    }
}
