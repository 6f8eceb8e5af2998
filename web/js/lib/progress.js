// A Job's progress and status, from its spec and status. Pure.

/** The Job's condition of `type` when its status is "True", else undefined. */
export function trueCondition(object, type) {
  return (object?.status?.conditions ?? []).find((c) => c.type === type && c.status === "True");
}

/**
 * Succeeded / failed / active counts out of the Job's target, and the bar's widths in percent.
 * A Job without completions (a work queue) is done when one pod succeeds, so its target is the
 * parallelism or the pods seen so far, whichever is larger.
 */
export function jobProgress(job) {
  const spec = job?.spec ?? {};
  const status = job?.status ?? {};
  const succeeded = status.succeeded ?? 0;
  const failed = status.failed ?? 0;
  const active = status.active ?? 0;
  const completions = spec.completions ?? null;
  const target = completions ?? Math.max(spec.parallelism ?? 1, succeeded + active, 1);
  // Failed pods are retried, so the bar's scale includes them: succeeded + failed + the rest.
  // A Job that has failed for good will run nothing more: its bar is what it did.
  const over = !!trueCondition(job, "Failed");
  const scale = over ? Math.max(succeeded + failed + active, 1) : Math.max(target + failed, succeeded + failed + active, 1);
  const pct = (n) => Math.round((n / scale) * 1000) / 10;
  // Active pods that are not ready yet (waiting for a node or starting) are drawn apart from
  // running ones; without status.ready every active pod counts as running.
  const ready = Math.min(status.ready ?? active, active);
  return {
    succeeded, failed, active, ready, completions, target,
    text: completions == null ? `${succeeded}/1 of ${target}` : `${succeeded}/${completions}`,
    widths: { succeeded: pct(succeeded), failed: pct(failed), active: pct(ready), waiting: pct(active - ready) },
    done: succeeded >= target,
  };
}

/** The Job's status in one word, as `kubectl get jobs` 1.32 shows it (plus Pending, Waiting for dependencies and Queued for quota). */
export function jobStatus(job) {
  if (trueCondition(job, "Failed")) return "Failed";
  if (trueCondition(job, "Complete")) return "Complete";
  if (trueCondition(job, "FailureTarget")) return "FailureTarget";
  if (trueCondition(job, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
  // Held by drover.dev/depends-on: the dependency controller releases it, not its user.
  if (job?.spec?.suspend && job?.metadata?.annotations?.["drover.dev/held-by-dependencies"] === "true") return "Waiting";
  // Waiting in a Kueue queue: the queue manager keeps it suspended and mirrors its Workload's
  // QuotaReserved=False (with its position) onto the Job.
  if (job?.spec?.suspend && queuePosition(job)) return "Queued";
  if (trueCondition(job, "Suspended") || job?.spec?.suspend) return "Suspended";
  if (trueCondition(job, "PodsUnschedulable")) return "Unschedulable";
  if ((job?.status?.active ?? 0) > 0) return "Running";
  return "Pending";
}

/**
 * Why a queued Job (or Workload) waits: its QuotaReserved=False condition's message, reason and
 * since when ("waiting for quota in ClusterQueue research: position 3 of 12; needs …"), or null.
 */
export function queuePosition(object) {
  const c = (object?.status?.conditions ?? []).find((x) => x.type === "QuotaReserved" && x.status === "False");
  if (!c) return null;
  const m = /position (\d+) of (\d+)/.exec(c.message ?? "");
  return { reason: c.reason ?? "", message: c.message ?? "", since: c.lastTransitionTime ?? null,
    position: m ? Number(m[1]) : null, of: m ? Number(m[2]) : null };
}

/** The Job's end: completionTime, or the Failed condition's transition time. */
export function jobEnd(job) {
  return job?.status?.completionTime ?? trueCondition(job, "Failed")?.lastTransitionTime ?? null;
}

/** A pod's status in one word, as `kubectl get pods` shows it (Completed for Succeeded). */
export function podStatus(pod) {
  if (pod?.metadata?.deletionTimestamp) return "Terminating";
  const statuses = pod?.status?.containerStatuses ?? [];
  for (const s of statuses) {
    const reason = s.state?.waiting?.reason ?? (s.state?.terminated && pod.status.phase !== "Succeeded" ? s.state.terminated.reason : null);
    if (reason) return reason;
  }
  if (pod?.status?.phase === "Succeeded") return "Completed";
  if (pod?.status?.phase === "Pending" && unschedulable(pod)) return "Pending";
  return pod?.status?.phase ?? "Unknown";
}

/** The scheduler's reason a pod waits, from its PodScheduled=False condition, or null. */
export function unschedulable(pod) {
  const c = (pod?.status?.conditions ?? []).find((x) => x.type === "PodScheduled" && x.status === "False");
  return c ? (c.message || c.reason || "Unschedulable") : null;
}

/** Restarts summed over a pod's containers. */
export function podRestarts(pod) {
  return (pod?.status?.containerStatuses ?? []).reduce((n, s) => n + (s.restartCount ?? 0), 0);
}

/** The first terminated container's exit code and reason (current state, else the last one). */
export function podExit(pod) {
  for (const s of pod?.status?.containerStatuses ?? []) {
    const t = s.state?.terminated ?? s.lastState?.terminated;
    if (t) return { exitCode: t.exitCode, reason: t.reason ?? "" };
  }
  return null;
}

/** Node readiness and cordon state. */
export function nodeState(node) {
  const ready = (node?.status?.conditions ?? []).find((c) => c.type === "Ready");
  return { ready: ready?.status === "True", cordoned: !!node?.spec?.unschedulable, reason: ready?.reason ?? "" };
}
