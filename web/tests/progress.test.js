import { test } from "node:test";
import assert from "node:assert/strict";
import { jobProgress, jobStatus, jobEnd, queuePosition, podStatus, unschedulable, podRestarts, podExit, nodeState } from "../js/lib/progress.js";

const cond = (type, status = "True", extra = {}) => ({ type, status, ...extra });

test("progress counts succeeded, failed and active out of completions", () => {
  const p = jobProgress({ spec: { completions: 4, parallelism: 2 }, status: { succeeded: 1, active: 2, failed: 0 } });
  assert.equal(p.text, "1/4");
  assert.deepEqual(p.widths, { succeeded: 25, failed: 0, active: 50, waiting: 0 });
  assert.equal(p.done, false);
});

test("failed pods widen the bar's scale because they are retried", () => {
  const p = jobProgress({ spec: { completions: 2 }, status: { succeeded: 1, failed: 2 } });
  assert.deepEqual(p.widths, { succeeded: 25, failed: 50, active: 0, waiting: 0 });
});

test("a job that failed for good fills its bar with what it did", () => {
  const p = jobProgress({ spec: { completions: 1 }, status: { failed: 1, conditions: [cond("Failed")] } });
  assert.deepEqual(p.widths, { succeeded: 0, failed: 100, active: 0, waiting: 0 });
});

test("active pods that are not ready are drawn as waiting", () => {
  const p = jobProgress({ spec: { completions: 4 }, status: { active: 2, ready: 1 } });
  assert.deepEqual(p.widths, { succeeded: 0, failed: 0, active: 25, waiting: 25 });
  assert.equal(jobProgress({ spec: {}, status: { active: 1, ready: 5 } }).ready, 1);
});

test("a work-queue job without completions is measured against its parallelism", () => {
  const p = jobProgress({ spec: { parallelism: 3 }, status: { active: 3 } });
  assert.equal(p.target, 3);
  assert.equal(p.completions, null);
  assert.equal(jobProgress({ spec: {}, status: {} }).target, 1);
  assert.equal(jobProgress({ spec: { completions: 1 }, status: { succeeded: 1 } }).done, true);
});

test("status follows the conditions, then suspend, then active pods", () => {
  assert.equal(jobStatus({ status: { conditions: [cond("Complete")] } }), "Complete");
  assert.equal(jobStatus({ status: { conditions: [cond("Failed"), cond("Complete", "False")] } }), "Failed");
  assert.equal(jobStatus({ spec: { suspend: true }, status: {} }), "Suspended");
  assert.equal(jobStatus({ metadata: { annotations: { "drover.dev/held-by-dependencies": "true" } }, spec: { suspend: true },
    status: { conditions: [cond("Suspended")] } }), "Waiting");
  assert.equal(jobStatus({ status: { conditions: [cond("PodsUnschedulable")] } }), "Unschedulable");
  const queued = { type: "QuotaReserved", status: "False", reason: "Pending", message: "waiting for quota in ClusterQueue q: position 2 of 5; needs 4 cpu" };
  assert.equal(jobStatus({ spec: { suspend: true }, status: { conditions: [cond("Suspended"), queued] } }), "Queued");
  assert.equal(jobStatus({ spec: { suspend: false }, status: { active: 1, conditions: [{ ...queued, status: "True" }] } }), "Running");
  assert.equal(jobStatus({ status: { active: 1 } }), "Running");
  assert.equal(jobStatus({ status: {} }), "Pending");
});

test("a job ends at completionTime or when it failed", () => {
  assert.equal(jobEnd({ status: { completionTime: "t1" } }), "t1");
  assert.equal(jobEnd({ status: { conditions: [cond("Failed", "True", { lastTransitionTime: "t2" })] } }), "t2");
  assert.equal(jobEnd({ status: {} }), null);
});

test("pods report Completed, waiting reasons, the scheduler's message, restarts and exit codes", () => {
  assert.equal(podStatus({ status: { phase: "Succeeded", containerStatuses: [{ state: { terminated: { reason: "Completed" } } }] } }), "Completed");
  assert.equal(podStatus({ status: { phase: "Failed", containerStatuses: [{ state: { terminated: { reason: "Error", exitCode: 3 } } }] } }), "Error");
  assert.equal(podStatus({ status: { phase: "Pending", containerStatuses: [{ state: { waiting: { reason: "ContainerCreating" } } }] } }), "ContainerCreating");
  assert.equal(podStatus({ metadata: { deletionTimestamp: "x" }, status: { phase: "Running" } }), "Terminating");
  const pending = { status: { phase: "Pending", conditions: [cond("PodScheduled", "False", { reason: "Unschedulable", message: "0/1 nodes are available: 1 Insufficient cpu." })] } };
  assert.equal(unschedulable(pending), "0/1 nodes are available: 1 Insufficient cpu.");
  assert.equal(unschedulable({ status: { conditions: [cond("PodScheduled")] } }), null);
  const restarted = { status: { containerStatuses: [{ restartCount: 2, lastState: { terminated: { exitCode: 1, reason: "Error" } }, state: { running: {} } }, { restartCount: 1 }] } };
  assert.equal(podRestarts(restarted), 3);
  assert.deepEqual(podExit(restarted), { exitCode: 1, reason: "Error" });
  assert.equal(podExit({ status: {} }), null);
});

test("nodes are ready from their Ready condition and cordoned from spec.unschedulable", () => {
  assert.deepEqual(nodeState({ spec: { unschedulable: true }, status: { conditions: [cond("Ready")] } }), { ready: true, cordoned: true, reason: "" });
  assert.equal(nodeState({ status: { conditions: [cond("Ready", "Unknown", { reason: "NodeStatusUnknown" })] } }).ready, false);
  assert.equal(nodeState({}).ready, false);
});

test("a queued Job's position and reason come from its QuotaReserved=False condition", () => {
  const job = { status: { conditions: [{ type: "QuotaReserved", status: "False", reason: "Pending", lastTransitionTime: "2026-01-01T00:00:00Z",
    message: "waiting for quota in ClusterQueue research: position 3 of 12; needs 8 cpu, 2 cpu free of 40 nominal" }] } };
  assert.deepEqual(queuePosition(job), { reason: "Pending", since: "2026-01-01T00:00:00Z", position: 3, of: 12,
    message: "waiting for quota in ClusterQueue research: position 3 of 12; needs 8 cpu, 2 cpu free of 40 nominal" });
  const inadmissible = { status: { conditions: [{ type: "QuotaReserved", status: "False", reason: "Inadmissible", message: "LocalQueue x doesn't exist" }] } };
  assert.equal(queuePosition(inadmissible).position, null);
  assert.equal(queuePosition({ status: { conditions: [{ type: "QuotaReserved", status: "True" }] } }), null);
  assert.equal(queuePosition({}), null);
});
