import { test } from "node:test";
import assert from "node:assert/strict";
import { daemonSetStatus, podsPerNode, ownedByDaemonSet } from "../js/lib/daemonsets.js";

const ds = (status, generation = 1) => ({ metadata: { name: "agentd", namespace: "kube-system", uid: "ds1", generation },
  spec: { selector: { matchLabels: { app: "agentd" } } }, status });
const pod = (name, node, { uid = "ds1", labels = { app: "agentd" }, namespace = "kube-system", owners } = {}) => ({
  metadata: { name, namespace, labels, ownerReferences: owners ?? [{ kind: "DaemonSet", uid, controller: true }] }, spec: { nodeName: node } });

test("a DaemonSet's status is shown as the API gives it, absent numbers as null", () => {
  assert.deepEqual(daemonSetStatus(ds(undefined)), { desired: null, current: null, ready: null, updated: null, available: null,
    unavailable: null, misscheduled: null, observed: false, state: "Not observed" });
  const full = { observedGeneration: 1, desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 3, numberAvailable: 3, numberMisscheduled: 0 };
  assert.equal(daemonSetStatus(ds(full)).state, "Available");
  assert.equal(daemonSetStatus(ds({ ...full, numberReady: 2 })).state, "Progressing");
  assert.equal(daemonSetStatus(ds(full, 2)).state, "Progressing", "a newer spec than the controller saw");
  assert.equal(daemonSetStatus(ds({ ...full, numberMisscheduled: 1 })).misscheduled, 1);
});

test("pods are grouped by node, by owner uid, else by selector in the namespace", () => {
  const pods = [pod("a-2", "n2"), pod("a-1", "n1"), pod("a-1b", "n1"), pod("pending", undefined),
    pod("other-owner", "n1", { uid: "x" }), pod("orphan", "n3", { owners: [] }), pod("orphan-elsewhere", "n3", { owners: [], namespace: "default" })];
  assert.deepEqual(podsPerNode(ds(), pods).map((r) => [r.node, r.pods.map((p) => p.metadata.name)]),
    [["n1", ["a-1", "a-1b"]], ["n2", ["a-2"]], ["n3", ["orphan"]], [null, ["pending"]]]);
  assert.equal(ownedByDaemonSet(pod("x", "n1", { uid: "x" }), ds()), false);
});
