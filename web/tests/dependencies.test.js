import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDependencies, dependencyState, verdict, upstreamOf, downstreamOf } from "../js/lib/dependencies.js";

const done = (type) => ({ conditions: [{ type, status: "True" }] });
function job(name, { dependsOn, status = {}, suspend = false, held = false, generateName, created = "2026-01-01T00:00:00Z", namespace = "default" } = {}) {
  const annotations = {};
  if (dependsOn) annotations["drover.dev/depends-on"] = dependsOn;
  if (held) annotations["drover.dev/held-by-dependencies"] = "true";
  return { metadata: { name, namespace, generateName, creationTimestamp: created, annotations }, spec: { suspend }, status };
}

test("annotation values parse into one requirement per job, as Slurm's --dependency", () => {
  assert.deepEqual(parseDependencies("afterok:a:b, afterany:c,singleton"),
    [{ type: "afterok", name: "a" }, { type: "afterok", name: "b" }, { type: "afterany", name: "c" }, { type: "singleton", name: null }]);
  assert.deepEqual(parseDependencies(""), []);
  assert.throws(() => parseDependencies("afterok"), /needs a job name/);
  assert.throws(() => parseDependencies("later:x"), /unknown dependency type "later"/);
  assert.throws(() => parseDependencies("afterok:a?afterok:b"), /not supported/);
});

test("states: held jobs wait, user-suspended ones are suspended, gone ones deleted", () => {
  assert.equal(dependencyState(job("a", { suspend: true, held: true })), "Waiting");
  assert.equal(dependencyState(job("a", { suspend: true })), "Suspended");
  assert.equal(dependencyState(job("a")), "Pending");
  assert.equal(dependencyState(job("a", { status: { active: 1 } })), "Running");
  assert.equal(dependencyState(job("a", { status: done("Complete") })), "Complete");
  assert.equal(dependencyState(job("a", { status: done("Failed") })), "Failed");
  assert.equal(dependencyState(null), "Deleted");
});

test("each type's verdict follows the upstream job's outcome", () => {
  const running = job("a", { status: { active: 1 } }), ok = job("a", { status: done("Complete") }), failed = job("a", { status: done("Failed") });
  assert.deepEqual(["after", "afterok", "afternotok", "afterany"].map((t) => verdict(t, running)), ["satisfied", "waiting", "waiting", "waiting"]);
  assert.deepEqual(["after", "afterok", "afternotok", "afterany"].map((t) => verdict(t, ok)), ["satisfied", "satisfied", "never", "satisfied"]);
  assert.deepEqual(["after", "afterok", "afternotok", "afterany"].map((t) => verdict(t, failed)), ["satisfied", "never", "satisfied", "satisfied"]);
  assert.deepEqual(["after", "afterok", "afternotok", "afterany"].map((t) => verdict(t, null)), ["satisfied", "never", "never", "satisfied"]);
});

test("a chain shows upstream and downstream jobs with their states", () => {
  const a = job("a", { status: done("Failed") });
  const b = job("b", { dependsOn: "afterok:a", suspend: true, held: true, status: done("Failed") });
  const c = job("c", { dependsOn: "afterany:b", suspend: true, held: true });
  const elsewhere = job("d", { dependsOn: "afterok:b", namespace: "other" });
  const jobs = [a, b, c, elsewhere];
  assert.deepEqual(upstreamOf(b, jobs).map((r) => [r.requirement, r.state, r.verdict, r.job?.metadata.name]), [["afterok:a", "Failed", "never", "a"]]);
  assert.deepEqual(downstreamOf(b, jobs).map((r) => [r.job.metadata.name, r.requirement, r.state]), [["c", "afterany:b", "Waiting"]]);
  assert.deepEqual(upstreamOf(c, jobs).map((r) => r.verdict), ["satisfied"]);
  assert.deepEqual(upstreamOf(job("x", { dependsOn: "afterok:gone" }), jobs).map((r) => [r.state, r.verdict]), [["Deleted", "never"]]);
});

test("singleton waits for the earlier unfinished jobs of its generateName", () => {
  const first = job("s-1", { generateName: "s-", created: "2026-01-01T00:00:00Z", status: { active: 1 } });
  const me = job("s-2", { generateName: "s-", created: "2026-01-01T00:00:05Z", dependsOn: "singleton", suspend: true, held: true });
  const later = job("s-3", { generateName: "s-", created: "2026-01-01T00:00:09Z", dependsOn: "singleton", suspend: true, held: true });
  const [row] = upstreamOf(me, [first, me, later]);
  assert.equal(row.verdict, "waiting");
  assert.deepEqual(row.blockers.map((j) => j.metadata.name), ["s-1"]);
  assert.deepEqual(downstreamOf(me, [first, me, later]).map((r) => r.job.metadata.name), ["s-3"]);
});

test("a rerun of a held job keeps its dependencies and is held afresh", async () => {
  const { rerunJob } = await import("../js/lib/manifests.js");
  const held = job("train", { dependsOn: "afterok:prep", suspend: true, held: true });
  held.metadata.annotations["drover.dev/dependencies-satisfied"] = "afterok:prep";
  const copy = rerunJob(held);
  assert.deepEqual(copy.metadata.annotations, { "drover.dev/depends-on": "afterok:prep", "drover.dev/rerun-of": "train" });
  assert.equal(copy.spec.suspend, false);
  assert.equal(rerunJob(job("mine", { suspend: true })).spec.suspend, true, "a job its user suspended stays suspended");
});
