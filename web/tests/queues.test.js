import { test } from "node:test";
import assert from "node:assert/strict";
import { quotaRows, quotaText, workloadState, workloadsByClusterQueue, clusterQueueOf, workloadRequests, ownerJob, formatResource } from "../js/lib/queues.js";

const GiB = 2 ** 30;
const clusterQueue = (status) => ({ metadata: { name: "research" }, spec: { resourceGroups: [
  { coveredResources: ["cpu", "memory"], flavors: [
    { name: "on-demand", resources: [{ name: "cpu", nominalQuota: 8, borrowingLimit: "4" }, { name: "memory", nominalQuota: "36Gi" }] },
    { name: "spot", resources: [{ name: "cpu", nominalQuota: "2" }, { name: "memory", nominalQuota: "8Gi", lendingLimit: "2Gi" }] }] },
  { coveredResources: ["example.com/gpu"], flavors: [{ name: "a100", resources: [{ name: "example.com/gpu", nominalQuota: 4 }] }] }] }, status });

test("quota rows follow the spec's order, nominal from the spec and used from status", () => {
  const rows = quotaRows(clusterQueue({ flavorsUsage: [
    { name: "on-demand", resources: [{ name: "cpu", total: "10", borrowed: "2" }, { name: "memory", total: "9Gi", borrowed: "0" }] },
    { name: "a100", resources: [{ name: "example.com/gpu", total: "1" }] }] }));
  assert.deepEqual(rows.map((r) => [r.flavor, r.resource, r.nominal, r.used, r.borrowed]), [
    ["on-demand", "cpu", 8, 10, 2], ["on-demand", "memory", 36 * GiB, 9 * GiB, 0],
    ["spot", "cpu", 2, 0, 0], ["spot", "memory", 8 * GiB, 0, 0], ["a100", "example.com/gpu", 4, 1, 0]]);
  // 10 used of 8 nominal: the scale is 10, 8 of it own quota (80%), 2 borrowed (20%).
  assert.equal(rows[0].usedPercent, 80);
  assert.equal(rows[0].borrowedPercent, 20);
  assert.equal(rows[0].borrowingLimit, 4);
  assert.equal(rows[3].lendingLimit, 2 * GiB);
  assert.equal(rows[1].usedPercent, 25);                 // 9Gi of 36Gi
  assert.equal(quotaText(rows[0]), "10 of 8 (100%), 2 borrowed");
  assert.equal(quotaText(rows[1]), "9Gi of 36Gi (25%)");
  assert.equal(quotaText(rows[4]), "1 of 4 (25%)");
});

test("before the queue manager writes status, used is unknown", () => {
  const rows = quotaRows(clusterQueue(undefined));
  assert.equal(rows[0].used, null);
  assert.equal(quotaText(rows[0]), "— of 8");
  assert.deepEqual(quotaRows({}), []);
});

test("resources read in their units", () => {
  assert.equal(formatResource("cpu", 0.5), "500m");
  assert.equal(formatResource("memory", 1.5 * GiB), "1.5Gi");
  assert.equal(formatResource("pods", 3), "3");
  assert.equal(formatResource("cpu", null), "—");
});

const cond = (type, status, extra = {}) => ({ type, status, ...extra });
const workload = (name, { ns = "default", queue = "research", conditions = [], admission, active, priority = 0, created = "2026-01-01T00:00:00Z" } = {}) => ({
  metadata: { name, namespace: ns, creationTimestamp: created, ownerReferences: [{ kind: "Job", name: `job-${name}`, controller: true }] },
  spec: { queueName: queue, priority, active, podSets: [{ name: "main", count: 2, template: { spec: { containers: [{ resources: { requests: { cpu: "2", memory: "1Gi" } } }] } } }] },
  status: { conditions, admission } });
const waiting = (n, of, reason = "Pending") => cond("QuotaReserved", "False", { reason, lastTransitionTime: "2026-01-01T00:01:00Z",
  message: `waiting for quota in ClusterQueue research: position ${n} of ${of}; needs 4 cpu, 0 cpu free of 8 nominal` });

test("a workload's state and position", () => {
  assert.deepEqual(workloadState(workload("a", { conditions: [waiting(2, 3)] })), { state: "Pending", position: 2, of: 3,
    message: "waiting for quota in ClusterQueue research: position 2 of 3; needs 4 cpu, 0 cpu free of 8 nominal", since: "2026-01-01T00:01:00Z" });
  assert.equal(workloadState(workload("b", { conditions: [cond("QuotaReserved", "True"), cond("Admitted", "True", { lastTransitionTime: "t" })] })).state, "Admitted");
  assert.equal(workloadState(workload("c", { conditions: [cond("QuotaReserved", "True")] })).state, "Reserved");
  assert.equal(workloadState(workload("d", { conditions: [cond("Finished", "True"), cond("Admitted", "True")] })).state, "Finished");
  assert.equal(workloadState(workload("e", { active: false })).state, "Inactive");
  const evicted = workloadState(workload("f", { conditions: [cond("Evicted", "True", { message: "Preempted to accommodate default/x" }), waiting(1, 1)] }));
  assert.equal(evicted.state, "Evicted");
  assert.match(evicted.message, /^Preempted to accommodate default\/x; waiting for quota/);
  assert.equal(workloadState(workload("g", { conditions: [cond("QuotaReserved", "False", { reason: "Inadmissible", message: "LocalQueue research doesn't exist" })] })).state, "Inadmissible");
  assert.equal(workloadState(workload("h")).message, "not yet looked at by the queue manager");
});

test("workloads go to their ClusterQueue through their admission or their LocalQueue, pending by position", () => {
  const locals = new Map([["default/research", { spec: { clusterQueue: "research" } }], ["team/dev", { spec: { clusterQueue: "dev" } }]]);
  const ws = [
    workload("p3", { conditions: [waiting(3, 3)] }), workload("p1", { conditions: [waiting(1, 3)] }), workload("p2", { conditions: [waiting(2, 3)] }),
    workload("a2", { created: "2026-01-02T00:00:00Z", conditions: [cond("Admitted", "True"), cond("QuotaReserved", "True")], admission: { clusterQueue: "research" } }),
    workload("a1", { conditions: [cond("Admitted", "True"), cond("QuotaReserved", "True")], admission: { clusterQueue: "research" } }),
    workload("done", { conditions: [cond("Finished", "True")], admission: { clusterQueue: "research" } }),
    workload("d1", { ns: "team", queue: "dev" }), workload("lost", { queue: "missing" })];
  const by = workloadsByClusterQueue(ws, locals);
  const research = by.get("research");
  assert.deepEqual(research.pending.map((e) => e.workload.metadata.name), ["p1", "p2", "p3"]);
  assert.deepEqual(research.admitted.map((e) => e.workload.metadata.name), ["a1", "a2"]);
  assert.equal(research.finished, 1);
  assert.deepEqual(by.get("dev").pending.map((e) => e.workload.metadata.name), ["d1"]);
  assert.equal(clusterQueueOf(ws.at(-1), locals), null);
  assert.deepEqual([...by.keys()].sort(), ["dev", "research"]);
});

test("a workload's requests are its pod sets' per-pod requests times their counts; its Job is its owner", () => {
  assert.deepEqual(workloadRequests(workload("a")), { cpu: 4, memory: 2 * GiB });
  assert.equal(ownerJob(workload("a")).name, "job-a");
  assert.equal(ownerJob({ metadata: {} }), null);
});
