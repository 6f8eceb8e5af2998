import { test } from "node:test";
import assert from "node:assert/strict";
import { rolloutProgress } from "../js/lib/rollout.js";

const deployment = (replicas, status, generation = 2) => ({ metadata: { generation }, spec: { replicas }, status });

test("a rollout in the middle: new replicas available, starting, and old ones left", () => {
  // 4 wanted; 5 exist (surge): 3 updated of which 2 available, 2 old.
  const p = rolloutProgress(deployment(4, { observedGeneration: 2, replicas: 5, updatedReplicas: 3, availableReplicas: 4, readyReplicas: 4,
    conditions: [{ type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: 'ReplicaSet "web-2" is progressing.' }] }));
  assert.equal(p.done, false);
  assert.equal(p.old, 2);
  assert.equal(p.text, "3 of 4 updated, 4 available, 2 old");
  assert.equal(p.message, 'ReplicaSet "web-2" is progressing.');
  // The scale is 5 (3 updated + 2 old): 3 updated and available (min of 3 and 4) is 60%, none starting, 2 old 40%.
  assert.deepEqual(p.widths, { updatedAvailable: 60, updating: 0, old: 40 });
});

test("done once this generation is observed with every replica updated and available", () => {
  assert.equal(rolloutProgress(deployment(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })).done, true);
  assert.equal(rolloutProgress(deployment(2, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })).done, false, "an older generation");
  const fresh = rolloutProgress(deployment(3, {}));
  assert.equal(fresh.observed, false);
  assert.deepEqual(fresh.widths, { updatedAvailable: 0, updating: 0, old: 0 });
  const starting = rolloutProgress(deployment(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }));
  assert.deepEqual(starting.widths, { updatedAvailable: 50, updating: 50, old: 0 });
});
