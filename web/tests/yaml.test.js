import { test } from "node:test";
import assert from "node:assert/strict";
import { parseYAMLDocuments } from "../js/lib/yaml.js";

test("a Job manifest in YAML reads as its JSON", () => {
  const [job] = parseYAMLDocuments(`
apiVersion: batch/v1   # the group
kind: Job
metadata:
  name: "hello"
  labels: {app: web, tier: 'front'}
spec:
  completions: 3
  suspend: false
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        command: ["sh", "-c"]
        args:
          - |
            echo one
            echo two
        env:
          - name: A
            value: "1"
          - {name: B, value: x}
        resources:
          requests: {cpu: 100m, memory: 64Mi}
`);
  assert.deepEqual(job, {
    apiVersion: "batch/v1", kind: "Job", metadata: { name: "hello", labels: { app: "web", tier: "front" } },
    spec: { completions: 3, suspend: false, template: { spec: { restartPolicy: "Never", containers: [{
      name: "main", image: "busybox", command: ["sh", "-c"], args: ["echo one\necho two\n"],
      env: [{ name: "A", value: "1" }, { name: "B", value: "x" }],
      resources: { requests: { cpu: "100m", memory: "64Mi" } } }] } } },
  });
});

test("scalars, folded blocks, nulls and several documents", () => {
  const docs = parseYAMLDocuments("a: ~\nb: 1.5\nc: 'it''s'\nd: >-\n  one\n  two\ne: a # not a comment#\n---\n- x\n-\n  y: 2\n");
  assert.deepEqual(docs, [{ a: null, b: 1.5, c: "it's", d: "one two", e: "a" }, ["x", { y: 2 }]]);
  assert.deepEqual(parseYAMLDocuments("# only a comment\n"), []);
});

test("what the subset cannot read is an error with its line", () => {
  assert.throws(() => parseYAMLDocuments("a: 1\n   b: 2"), /line 2: unexpected indentation/);
  assert.throws(() => parseYAMLDocuments("a:\n\t b: 2"), /line 2: tabs/);
  assert.throws(() => parseYAMLDocuments("a: &x 1"), /line 1: anchors/);
  assert.throws(() => parseYAMLDocuments("just words here"), /line 1: expected "key: value"/);
  assert.throws(() => parseYAMLDocuments("a: [1, 2"), /line 1: expected , or \]/);
});
