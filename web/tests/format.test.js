import { test } from "node:test";
import assert from "node:assert/strict";
import { humanDuration, age, duration, parseQuantity, formatCPU, formatBytes, podRequests, percent, relative } from "../js/lib/format.js";

test("durations read like kubectl's", () => {
  const table = [[0, "0s"], [45_000, "45s"], [119_000, "119s"], [200_000, "3m20s"], [42 * 60_000, "42m"],
    [5 * 3600_000 + 600_000, "5h10m"], [30 * 3600_000, "30h"], [3 * 86400_000 + 4 * 3600_000, "3d4h"], [12 * 86400_000, "12d"],
    [800 * 86400_000, "2y"], [-5, "0s"], [null, "—"]];
  for (const [ms, text] of table) assert.equal(humanDuration(ms), text, `${ms}`);
});

test("age, duration and relative times are measured from timestamps", () => {
  const now = Date.parse("2026-12-03T12:00:00Z");
  assert.equal(age("2026-12-03T11:59:30Z", now), "30s");
  assert.equal(duration("2026-12-03T11:00:00Z", "2026-12-03T11:01:05Z", now), "65s");
  assert.equal(duration("2026-12-03T11:58:00Z", null, now), "120s".replace("120s", "2m"));
  assert.equal(duration(null, null, now), "—");
  assert.equal(relative("2026-12-03T12:05:00Z", now), "in 5m");
  assert.equal(relative("2026-12-03T11:59:50Z", now), "10s ago");
  assert.equal(age("not a time", now), "—");
});

test("quantities parse in decimal, binary and exponent forms", () => {
  const table = [["500m", 0.5], ["2", 2], ["1.5", 1.5], ["256Mi", 256 * 2 ** 20], ["1Gi", 2 ** 30], ["1k", 1000],
    ["2G", 2e9], ["1e3", 1000], ["100n", 1e-7], [".5", 0.5], ["bad", null], ["1Zi", null], ["", null], [3, 3]];
  for (const [text, value] of table) assert.equal(parseQuantity(text), value, `${text}`);
});

test("cpu and memory print in kubectl's units", () => {
  assert.equal(formatCPU(0.25), "250m");
  assert.equal(formatCPU(2), "2");
  assert.equal(formatCPU(1.5), "1.5");
  assert.equal(formatCPU(0), "0");
  assert.equal(formatBytes(512 * 2 ** 20), "512Mi");
  assert.equal(formatBytes(1.5 * 2 ** 30), "1.5Gi");
  assert.equal(formatBytes(100), "100");
});

test("a pod's requests sum its containers and cover its largest init container", () => {
  const pod = { spec: { containers: [{ resources: { requests: { cpu: "100m", memory: "64Mi" } } }, { resources: { requests: { cpu: "200m" } } }, {}],
    initContainers: [{ resources: { requests: { cpu: "1", memory: "16Mi" } } }] } };
  assert.deepEqual(podRequests(pod), { cpu: 1, memory: 64 * 2 ** 20 });
  assert.deepEqual(podRequests({}), { cpu: 0, memory: 0 });
});

test("percentages are clamped and safe with a zero whole", () => {
  assert.equal(percent(1, 4), 25);
  assert.equal(percent(5, 4), 100);
  assert.equal(percent(1, 0), 0);
});
