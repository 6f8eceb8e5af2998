import Foundation
import Metrics

/// The scheduler's metrics with upstream's names (pkg/scheduler/metrics): attempts by result,
/// attempt latency, and pending pods by queue (active: ready to try; backoff: waiting out a retry
/// delay, which is where upstream's unschedulable pods also wait here; gated: gang members
/// waiting for their gang).
enum SchedulerMetrics {
    static let attempts = MetricsRegistry.shared.counter(
        "scheduler_schedule_attempts_total", "Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.",
        labels: ["result", "profile"])
    static let attemptDuration = MetricsRegistry.shared.histogram(
        "scheduler_scheduling_attempt_duration_seconds", "Scheduling attempt latency in seconds (scheduling algorithm + binding)",
        labels: ["result", "profile"], buckets: Histogram.exponentialSeconds)
    static let pending = MetricsRegistry.shared.gauge(
        "scheduler_pending_pods", "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'gated' is the number of gang members waiting for their gang.",
        labels: ["queue"])

    /// One attempt's outcome and how long deciding took (seconds).
    static func attempt(_ result: String, profile: String, seconds: Double) {
        attempts.inc(result, profile)
        attemptDuration.observe(seconds, result, profile)
    }
}
