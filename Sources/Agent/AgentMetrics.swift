import Foundation
import Metrics

/// The agent's metrics with the kubelet's names: pod start latency, running pods and
/// containers, and containers the cgroup OOM killer ended.
enum AgentMetrics {
    static let podStart = MetricsRegistry.shared.histogram(
        "kubelet_pod_start_duration_seconds", "Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run",
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 45, 60, 120, 300, 600])
    static let runningPods = MetricsRegistry.shared.gauge("kubelet_running_pods", "Number of pods that have a running pod sandbox")
    static let runningContainers = MetricsRegistry.shared.gauge("kubelet_running_containers", "Number of containers currently running",
                                                                labels: ["container_state"])
    static let oomKills = MetricsRegistry.shared.counter("kubelet_container_oom_kills_total",
                                                         "Containers ended by the cgroup OOM killer")

    /// Reports `index`'s running pods and containers at every scrape (nothing once it is gone).
    static func observe(_ index: LogIndex) {
        runningPods.observe { [weak index] in
            index.map { [([], Double($0.all().filter { $0.pod.containers.contains { $0.state.running } }.count))] }
        }
        runningContainers.observe { [weak index] in
            index.map { [(["running"], Double($0.all().reduce(0) { $0 + $1.pod.containers.filter { $0.state.running }.count }))] }
        }
    }
}
