import Foundation
import Metrics
import Model

/// The Job controller's metrics with upstream's names (pkg/controller/job/metrics).
enum JobMetrics {
    static let syncDuration = MetricsRegistry.shared.histogram(
        "job_controller_job_sync_duration_seconds", "The time it took to sync a job",
        labels: ["completion_mode", "result", "action"], buckets: Histogram.exponentialSeconds)
    static let finished = MetricsRegistry.shared.counter(
        "job_controller_jobs_finished_total", "The number of finished jobs", labels: ["completion_mode", "result", "reason"])

    /// Counts a Job that became finished between `before` and `after` (reason of its condition).
    static func recordFinish(before: JSONValue, after: JSONValue) {
        let old = JobView(before), new = JobView(after)
        guard !old.isFinished, new.isFinished else { return }
        let failed = new.condition(JobCondition.failed)?.isTrue ?? false
        let reason = failed ? (new.condition(JobCondition.failed)?.reason ?? "") : ""
        finished.inc(new.isIndexed ? "Indexed" : "NonIndexed", failed ? "failed" : "succeeded", reason)
    }
}
