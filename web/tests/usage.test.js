import { test } from "node:test";
import assert from "node:assert/strict";
import { podUsageMap, nodeUsageMap, usageText } from "../js/lib/usage.js";
import { UsageSource } from "../js/usage.js";

test("pod metrics sum their containers; node metrics parse; quantities as kubectl top gives them", () => {
  const pods = podUsageMap({ items: [{ metadata: { namespace: "default", name: "web" }, timestamp: "t",
    containers: [{ name: "a", usage: { cpu: "12500000n", memory: "10Mi" } }, { name: "b", usage: { cpu: "7m", memory: "1024Ki" } }] }] });
  const web = pods.get("default/web");
  assert.equal(Math.round(web.cpu * 1000), 20);
  assert.equal(web.memory, 11 * 1024 * 1024);
  assert.deepEqual(web.containers.get("b"), { cpu: 0.007, memory: 1024 * 1024 });
  const nodes = nodeUsageMap({ items: [{ metadata: { name: "n1" }, usage: { cpu: "1500m", memory: "2Gi" } }] });
  assert.deepEqual({ cpu: nodes.get("n1").cpu, memory: nodes.get("n1").memory }, { cpu: 1.5, memory: 2 * 1024 ** 3 });
  assert.equal(podUsageMap(null).size, 0);
});

test("usage reads against what was requested or is allocatable", () => {
  const cases = [
    [[0.012, 0.25, "cpu"], "12m of 250m requested (5%)"],
    [[64 * 1024 ** 2, 64 * 1024 ** 2, "memory"], "64Mi of 64Mi requested (100%)"],
    [[0.3, 0.25, "cpu"], "300m of 250m requested (120%)"],
    [[0.012, 0, "cpu"], "12m (nothing requested)"],
    [[undefined, 0.25, "cpu"], "—"],
    [[1.5, 4, "cpu", "allocatable"], "1.5 of 4 allocatable (38%)"],
  ];
  for (const [args, expected] of cases) assert.equal(usageText(...args), expected, JSON.stringify(args));
});

test("the source reads while subscribed, again every interval, and stops with its last listener", async () => {
  const timers = [];
  let reads = 0;
  const api = { get: async (path) => { reads++; return path.endsWith("/pods") ? { items: [{ metadata: { namespace: "d", name: "p" }, containers: [] }] } : { items: [] }; } };
  const source = new UsageSource(api, { interval: 1000, setTimer: (f) => { timers.push(f); return timers.length; }, clearTimer: () => { timers.length = 0; } });
  const seen = [];
  const unsubscribe = source.subscribe((s) => seen.push(s.revision));
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(seen, [1]);
  assert.equal(reads, 2);  // pods and nodes
  assert.ok(source.pods.has("d/p"));
  assert.equal(timers.length, 1);
  await timers.shift()();
  assert.deepEqual(seen, [1, 2]);
  unsubscribe();
  assert.equal(timers.length, 0, "no read scheduled once nobody listens");
});

test("a failed read keeps the error for the view and retries", async () => {
  const timers = [];
  const api = { get: async () => { throw Object.assign(new Error("the server could not find the requested resource"), { status: 404 }); } };
  const source = new UsageSource(api, { setTimer: (f) => { timers.push(f); return 1; }, clearTimer: () => {} });
  source.subscribe(() => {});
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(source.error.message, "the server could not find the requested resource");
  assert.equal(source.synced, false);
  assert.equal(timers.length, 1);
});
