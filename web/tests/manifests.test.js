import { test } from "node:test";
import assert from "node:assert/strict";
import { rerunJob, manualJob, manualJobName, parseEnv, splitCommand, jobFromForm, formFieldForCause, collectionPath, discoveryPath, manifestsIn } from "../js/lib/manifests.js";

const job = {
  metadata: { name: "train", namespace: "ml", uid: "u1", resourceVersion: "9",
    labels: { team: "a", "batch.kubernetes.io/job-name": "train", "controller-uid": "u1" },
    annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", note: "x" } },
  spec: { completions: 2, selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "u1" } }, manualSelector: false,
    template: { metadata: { labels: { "batch.kubernetes.io/controller-uid": "u1", "job-name": "train", app: "t" } }, spec: { containers: [{ name: "main" }] } } },
  status: { succeeded: 2 },
};

test("a rerun copies the spec with generateName and without the controller's selector and labels", () => {
  const copy = rerunJob(job);
  assert.deepEqual(copy.metadata, { generateName: "train-", namespace: "ml", labels: { team: "a" }, annotations: { note: "x", "drover.dev/rerun-of": "train" } });
  assert.equal(copy.spec.selector, undefined);
  assert.equal(copy.spec.manualSelector, undefined);
  assert.deepEqual(copy.spec.template.metadata.labels, { app: "t" });
  assert.equal(copy.status, undefined);
  assert.equal(job.spec.selector.matchLabels["batch.kubernetes.io/controller-uid"], "u1", "the original is untouched");
  assert.equal(rerunJob({ ...copy, metadata: { ...copy.metadata, name: "train-abcde" } }).metadata.generateName, "train-");
});

test("a manual run of a CronJob is owned by it and marked manual", () => {
  const cronJob = { metadata: { name: "nightly", namespace: "ops", uid: "c1" },
    spec: { jobTemplate: { metadata: { labels: { app: "n" } }, spec: { template: { spec: { containers: [] } } } } } };
  const run = manualJob(cronJob, "nightly-manual-abcde");
  assert.deepEqual(run.metadata.annotations, { "cronjob.kubernetes.io/instantiate": "manual" });
  assert.deepEqual(run.metadata.ownerReferences, [{ apiVersion: "batch/v1", kind: "CronJob", name: "nightly", uid: "c1", controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(run.metadata.labels, { app: "n" });
  assert.match(manualJobName("nightly", () => 0), /^nightly-manual-b{5}$/);
  assert.ok(manualJobName("x".repeat(80)).length <= 63);
});

test("the submit form becomes a Job, leaving empty fields to the server's defaults", () => {
  const made = jobFromForm({ name: "hello", command: `sh -c 'echo "hi there"'`, parallelism: "2", completions: "", cpu: "100m", memory: "", env: "A=1\n# c\nB=x=y" });
  assert.deepEqual(made.metadata, { name: "hello" });
  assert.equal(made.spec.parallelism, 2);
  assert.equal("completions" in made.spec, false);
  const c = made.spec.template.spec.containers[0];
  assert.deepEqual(c.command, ["sh", "-c", 'echo "hi there"']);
  assert.deepEqual(c.resources, { requests: { cpu: "100m" } });
  assert.deepEqual(c.env, [{ name: "A", value: "1" }, { name: "B", value: "x=y" }]);
  assert.deepEqual(jobFromForm({ command: "true" }).metadata, { generateName: "job-" });
  assert.throws(() => parseEnv("NOVALUE"), /expected KEY=value/);
  assert.throws(() => splitCommand("echo 'oops"), /unterminated/);
});

test("validation causes land on the field they name", () => {
  const table = [["metadata.name", "name"], ["spec.template.spec.containers[0].command", "command"], ["spec.parallelism", "parallelism"],
    ["spec.template.spec.containers[0].resources.requests.cpu", "cpu"], ["spec.template.spec.containers[0].resources.requests[memory]", "memory"], ["spec.template.spec.containers[0].env[1].name", "env"], ["spec.ttl", null]];
  for (const [path, field] of table) assert.equal(formFieldForCause(path), field, path);
});

test("manifests are posted to their kind's collection", () => {
  const batch = { resources: [{ name: "jobs", kind: "Job", namespaced: true }, { name: "jobs/status", kind: "Job", namespaced: true }] };
  const core = { resources: [{ name: "nodes", kind: "Node", namespaced: false }, { name: "pods", kind: "Pod", namespaced: true }] };
  const kueue = { resources: [{ name: "clusterqueues", kind: "ClusterQueue", namespaced: false }, { name: "localqueues", kind: "LocalQueue", namespaced: true }] };
  assert.equal(collectionPath({ apiVersion: "batch/v1", kind: "Job", metadata: {} }, "ml", batch), "/apis/batch/v1/namespaces/ml/jobs");
  assert.equal(collectionPath({ apiVersion: "batch/v1", kind: "Job", metadata: {} }, "", batch), "/apis/batch/v1/namespaces/default/jobs");
  assert.equal(collectionPath({ apiVersion: "v1", kind: "Pod", metadata: { namespace: "web" } }, "ml", core), "/api/v1/namespaces/web/pods");
  assert.equal(collectionPath({ apiVersion: "v1", kind: "Node", metadata: {} }, "ml", core), "/api/v1/nodes");
  assert.equal(collectionPath({ apiVersion: "kueue.x-k8s.io/v1beta1", kind: "ClusterQueue" }, "ml", kueue), "/apis/kueue.x-k8s.io/v1beta1/clusterqueues");
  assert.equal(collectionPath({ apiVersion: "kueue.x-k8s.io/v1beta1", kind: "LocalQueue" }, "ml", kueue), "/apis/kueue.x-k8s.io/v1beta1/namespaces/ml/localqueues");
  assert.equal(collectionPath({ apiVersion: "v1", kind: "Widget" }, "ml", core), null);
  assert.equal(collectionPath({ kind: "Job" }, "ml", batch), null, "no apiVersion");
  assert.equal(discoveryPath({ apiVersion: "v1" }), "/api/v1");
  assert.equal(discoveryPath({ apiVersion: "apps/v1" }), "/apis/apps/v1");
  assert.equal(discoveryPath({}), null);
});

test("a rollback replaces the template with the ReplicaSet's, minus its hash, and takes its change cause", async () => {
  const { rollbackPatch } = await import("../js/lib/manifests.js");
  const deployment = { metadata: { annotations: { "deployment.kubernetes.io/revision": "3", owner: "me", "kubernetes.io/change-cause": "v3" } },
    spec: { template: { spec: { containers: [{ name: "web", image: "v3" }] } } } };
  const rs = { metadata: { annotations: { "deployment.kubernetes.io/revision": "1", "kubernetes.io/change-cause": "v1" } },
    spec: { template: { metadata: { labels: { app: "web", "pod-template-hash": "abc" } }, spec: { containers: [{ name: "web", image: "v1" }] } } } };
  assert.deepEqual(rollbackPatch(deployment, rs), [
    { op: "replace", path: "/spec/template", value: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "v1" }] } } },
    { op: "add", path: "/metadata/annotations", value: { owner: "me", "kubernetes.io/change-cause": "v1", "deployment.kubernetes.io/revision": "3" } },
  ]);
  assert.equal(rs.spec.template.metadata.labels["pod-template-hash"], "abc", "the ReplicaSet is untouched");
});

test("the manifest box holds JSON or YAML: documents, Lists and arrays become objects, null documents are skipped", () => {
  const table = [
    ['{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}', [{ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }]],
    ['[{"kind": "Pod"}, {"kind": "Job"}]', [{ kind: "Pod" }, { kind: "Job" }]],
    // Starts like JSON but is YAML's flow style: read as YAML, as kubectl falls back to it.
    ["{kind: Pod, metadata: {name: p}}", [{ kind: "Pod", metadata: { name: "p" } }]],
    ["kind: List\napiVersion: v1\nitems:\n- {kind: Job}\n- {kind: Pod}\n---\n~\n---\nkind: Service\n", [{ kind: "Job" }, { kind: "Pod" }, { kind: "Service" }]],
    ["x: &m {app: a}\nkind: Pod\nmetadata:\n  labels: *m", [{ x: { app: "a" }, kind: "Pod", metadata: { labels: { app: "a" } } }]],
    ["# nothing\n---\nnull\n", []],
  ];
  for (const [text, objects] of table) assert.deepEqual(manifestsIn(text), objects, text);
  assert.throws(() => manifestsIn("{kind: Pod"), /line 1: expected , or \}/);
});
