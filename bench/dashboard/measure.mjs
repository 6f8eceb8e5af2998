// The dashboard benchmark's driver (bench/dashboard/run.sh): seeds a running `drover up` with
// Jobs and pods on hollow nodes, opens the dashboard in headless chromium and prints the Jobs view's
// render time, its longest frame and long task while watch events stream in, and the topology
// view's render time. Asserts nothing.
//
// node measure.mjs --server URL --token T [--jobs 1000] [--pods 5000] [--rate 100] [--seconds 20]
//                  [--chromium chromium] [--profile DIR] [--screenshots DIR]
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { Chromium } from "./cdp.mjs";

const { values: o } = parseArgs({ options: {
  server: { type: "string" }, token: { type: "string" }, jobs: { type: "string", default: "1000" }, pods: { type: "string", default: "5000" },
  rate: { type: "string", default: "100" }, seconds: { type: "string", default: "20" }, chromium: { type: "string", default: "chromium" },
  profile: { type: "string", default: "/tmp/drover-bench-chromium" }, screenshots: { type: "string" }, clients: { type: "string", default: "16" },
} });
const jobCount = Number(o.jobs), podCount = Number(o.pods), rate = Number(o.rate), seconds = Number(o.seconds);
const ns = "bench";

async function api(method, path, body, contentType = "application/json") {
  const response = await fetch(o.server + path, { method, headers: { Authorization: `Bearer ${o.token}`, "Content-Type": contentType },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok && response.status !== 409) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Runs `task(i)` for i in [0, n) with `clients` at a time. */
async function parallel(n, task, clients = Number(o.clients)) {
  let next = 0;
  await Promise.all(Array.from({ length: clients }, async () => { while (next < n) await task(next++); }));
}

/** The status of change `k`: every change to a Job differs from its last (a no-op patch sends no event). */
const changeOf = (k) => k + 1 + Math.floor(k / jobCount);
const statusOf = (k, now) => ({ status: { startTime: now, active: 5 - (k % 5), ready: 5 - (k % 5), succeeded: k % 5, failed: 0 } });

async function seed() {
  const started = Date.now();
  await api("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  const nodes = ((await api("GET", "/api/v1/nodes")).items ?? []).map((n) => n.metadata.name);
  if (nodes.length === 0) throw new Error("no nodes: start the hollow nodes first");
  const now = new Date().toISOString();
  const uids = [];
  await parallel(jobCount, async (i) => {
    const job = await api("POST", `/apis/batch/v1/namespaces/${ns}/jobs`, { apiVersion: "batch/v1", kind: "Job",
      metadata: { name: `job-${i}`, labels: { app: i % 2 ? "a" : "b" } },
      spec: { completions: 5, parallelism: 5, template: { spec: { restartPolicy: "Never",
        containers: [{ name: "main", image: "busybox", command: ["true"], resources: { requests: { cpu: "250m", memory: "256Mi" } } }] } } } });
    uids[i] = job?.metadata?.uid;
    await api("PATCH", `/apis/batch/v1/namespaces/${ns}/jobs/job-${i}/status`, statusOf(i, now), "application/merge-patch+json");
  });
  await parallel(podCount, async (i) => {
    const j = i % jobCount;
    await api("POST", `/api/v1/namespaces/${ns}/pods`, { apiVersion: "v1", kind: "Pod",
      metadata: { name: `job-${j}-${Math.floor(i / jobCount)}`, labels: { "job-name": `job-${j}`, "batch.kubernetes.io/controller-uid": uids[j] ?? "" },
        ownerReferences: uids[j] ? [{ apiVersion: "batch/v1", kind: "Job", name: `job-${j}`, uid: uids[j], controller: true }] : [] },
      spec: { nodeName: nodes[i % nodes.length], restartPolicy: "Never",
        containers: [{ name: "main", image: "busybox", command: ["true"], resources: { requests: { cpu: "250m", memory: "256Mi" } } }] } });
  });
  console.log(`== seeded ${jobCount} Jobs and ${podCount} pods on ${nodes.length} nodes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return nodes.length;
}

/** Installed before the app loads: long tasks, every frame, and the first frame at which a named condition held. */
const instrumentation = `
window.__bench = { long: [], frames: [], marks: {}, watches: [] };
new PerformanceObserver((list) => { for (const e of list.getEntries()) __bench.long.push([e.startTime, e.duration]); }).observe({ entryTypes: ["longtask"] });
__bench.watch = (name, predicate) => { delete __bench.marks[name]; __bench.watches.push([name, predicate]); };
let last = null;
const loop = (t) => {
  if (last != null) __bench.frames.push([last, t - last]);
  last = t;
  __bench.watches = __bench.watches.filter(([name, p]) => { let ok = false; try { ok = p(); } catch {} if (ok) __bench.marks[name] = t; return !ok; });
  requestAnimationFrame(loop);
};
requestAnimationFrame(loop);
`;

const collection = (path) => `window.drover?.store.collections.get(${JSON.stringify(path)})`;

/** Frames and long tasks between two page times. */
async function window_(browser, page, from, to) {
  return browser.evaluate(page, `(() => {
    const gaps = __bench.frames.filter(([t]) => t >= ${from} && t <= ${to}).map(([, g]) => g).sort((a, b) => a - b);
    const long = __bench.long.filter(([t]) => t >= ${from} && t <= ${to}).map(([, d]) => d).sort((a, b) => a - b);
    const q = (xs, p) => xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] : 0;
    return { frames: gaps.length, maxGap: gaps.at(-1) ?? 0, p99Gap: q(gaps, 0.99), p50Gap: q(gaps, 0.5),
      over50: gaps.filter((g) => g > 50).length, over100: gaps.filter((g) => g >= 100).length,
      longTasks: long.length, maxLong: long.at(-1) ?? 0 };
  })()`);
}

async function shoot(browser, page, name) {
  if (!o.screenshots) return;
  mkdirSync(o.screenshots, { recursive: true });
  const { data } = await browser.send("Page.captureScreenshot", { format: "png" }, page);
  writeFileSync(`${o.screenshots}/${name}.png`, Buffer.from(data, "base64"));
}

const ms = (x) => `${Math.round(x)} ms`;

/** Sends `total` status merge patches at `rate` a second (`change(k)` → [path, body]); resolves when all are answered. */
async function patchStream(total, change) {
  const started = Date.now();
  let sent = 0, failed = 0;
  await new Promise((resolve) => {
    const inflight = new Set();
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
      while (sent < due) {
        const [path, body] = change(sent++);
        const p = api("PATCH", path, body, "application/merge-patch+json").catch(() => { failed++; }).finally(() => inflight.delete(p));
        inflight.add(p);
      }
      if (sent >= total) { clearInterval(timer); Promise.all(inflight).then(resolve); }
    }, 10);
  });
  return { sent, failed, elapsed: (Date.now() - started) / 1000 };
}

async function main() {
  const nodeCount = await seed();
  const browser = new Chromium(o.chromium, o.profile);
  try {
    const { targetId } = await browser.send("Target.createTarget", { url: "about:blank" });
    const { sessionId: page } = await browser.send("Target.attachToTarget", { targetId, flatten: true });
    await browser.send("Emulation.setDeviceMetricsOverride", { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false }, page);
    await browser.send("Page.enable", {}, page);
    await browser.send("Page.addScriptToEvaluateOnNewDocument", { source: instrumentation + `
      __bench.watch("jobsSynced", () => ${collection("/apis/batch/v1/jobs")}.synced);
      __bench.watch("jobsFirstRows", () => document.querySelector('#jobs-table tr[data-row^="${ns}/"]'));
      __bench.watch("jobsRendered", () => ${collection("/apis/batch/v1/jobs")}.synced && document.querySelector("#jobs-count")?.textContent === "${jobCount} jobs");
    ` }, page);
    await browser.send("Page.navigate", { url: `${o.server}/#/jobs&token=${o.token}` }, page);
    await browser.waitFor(page, "window.__bench?.marks.jobsRendered", "the Jobs view with every Job");
    const jobs = await browser.evaluate(page, "__bench.marks");
    console.log(`== Jobs view, ${jobCount} Jobs (${podCount} pods in the store): page start → first rows ${ms(jobs.jobsFirstRows)}, ` +
      `list complete ${ms(jobs.jobsSynced)}, rendered ${ms(jobs.jobsRendered - jobs.jobsSynced)} after the data arrived`);
    await shoot(browser, page, "jobs-1000");

    // The stream: `rate` Job status changes a second, each a MODIFIED event on the view's watch.
    const before = await browser.evaluate(page, `[performance.now(), ${collection("/apis/batch/v1/jobs")}.revision, drover.ctx.renders?.count ?? 0]`);
    await browser.evaluate(page, "drover.ctx.renders.maxMs = 0");
    const now = new Date().toISOString();
    const total = rate * seconds;
    const { sent, failed, elapsed } = await patchStream(total, (k) => [`/apis/batch/v1/namespaces/${ns}/jobs/job-${k % jobCount}/status`, statusOf(changeOf(k), now)]);
    // The view is live: the last Job patched shows its last progress.
    const lastJob = (total - 1) % jobCount, lastStatus = statusOf(changeOf(total - 1), now).status;
    await browser.evaluate(page, `drover.ctx.setQuery({ name: "job-${lastJob}" })`);
    await browser.waitFor(page, `document.querySelector('tr[data-row="${ns}/job-${lastJob}"] [data-progress]')?.dataset.progress === "${lastStatus.succeeded}/0/${lastStatus.active}"`, "the last change in the view", 60000);
    const after = await browser.evaluate(page, `[performance.now(), ${collection("/apis/batch/v1/jobs")}.revision, drover.ctx.renders?.count ?? 0, drover.ctx.renders?.maxMs ?? 0]`);
    const stream = await window_(browser, page, before[0], after[0]);
    console.log(`== ${sent} Job changes at ${(sent / elapsed).toFixed(0)}/s for ${elapsed.toFixed(1)} s (${failed} failed): ${after[1] - before[1]} events applied, ` +
      `${after[2] - before[2]} renders (longest ${ms(after[3])})`);
    console.log(`   frames ${stream.frames}: gap p50 ${ms(stream.p50Gap)}, p99 ${ms(stream.p99Gap)}, longest ${ms(stream.maxGap)}; ` +
      `${stream.over50} over 50 ms, ${stream.over100} of 100 ms or more; long tasks ${stream.longTasks}, longest ${ms(stream.maxLong)}`);
    await browser.evaluate(page, `drover.ctx.setQuery({ name: "" })`);

    // Topology: the nodes view lists nodes and pods afresh (the Jobs view did not watch them).
    await browser.evaluate(page, `(() => {
      __bench.watch("nodesSynced", () => ${collection("/api/v1/nodes")}?.synced && ${collection("/api/v1/pods")}?.synced);
      __bench.watch("nodesRendered", () => ${collection("/api/v1/nodes")}?.synced && ${collection("/api/v1/pods")}?.synced
        && document.querySelectorAll("#topology .tile").length >= ${nodeCount} && document.querySelector("#nodes-summary")?.textContent.startsWith("${nodeCount} nodes"));
      __bench.marks.nodesStart = performance.now();
      drover.ctx.renders.maxMs = 0;
      location.hash = "#/nodes";
    })()`);
    await browser.waitFor(page, "__bench.marks.nodesRendered", "the topology of every node");
    const nodes = await browser.evaluate(page, "__bench.marks");
    const topology = await window_(browser, page, nodes.nodesStart, nodes.nodesRendered);
    console.log(`== topology, ${nodeCount} nodes and ${podCount} pods: rendered ${ms(nodes.nodesRendered - nodes.nodesSynced)} after the data arrived (0: in the frame it arrived) ` +
      `(${ms(nodes.nodesRendered - nodes.nodesStart)} from the click, lists included); longest frame ${ms(topology.maxGap)}, longest long task ${ms(topology.maxLong)}`);
    const topologyRender = await browser.evaluate(page, "drover.ctx.renders.maxMs");
    console.log(`   the longest topology render (build and DOM update of one frame) took ${ms(topologyRender)}`);
    await shoot(browser, page, "nodes-1000");

    // Pods finishing and restarting on the topology: `rate` pod phase changes a second, each
    // moving its node's requests; only the changed nodes' tiles are rebuilt.
    const tilesBefore = await browser.evaluate(page, `(() => { for (const t of document.querySelectorAll("#topology .tile")) t.__kept = true;
      drover.ctx.renders.maxMs = 0; return [performance.now(), drover.ctx.renders.count]; })()`);
    const podNames = ((await api("GET", `/api/v1/namespaces/${ns}/pods`)).items ?? []).map((p) => p.metadata.name);
    // Each pod alternates Succeeded / Running, so every patch changes it.
    const podStream = await patchStream(total, (k) => [`/api/v1/namespaces/${ns}/pods/${podNames[k % podNames.length]}/status`,
      { status: { phase: Math.floor(k / podNames.length) % 2 ? "Running" : "Succeeded" } }]);
    const lastPod = podNames[(total - 1) % podNames.length];
    await browser.waitFor(page, `${collection("/api/v1/pods")}.items.get("${ns}/${lastPod}")?.status?.phase === "${Math.floor((total - 1) / podNames.length) % 2 ? "Running" : "Succeeded"}"`, "the last pod change in the cache", 60000);
    const tilesAfter = await browser.evaluate(page, `(() => [performance.now(), drover.ctx.renders.count, drover.ctx.renders.maxMs,
      [...document.querySelectorAll("#topology .tile")].filter((t) => !t.__kept).length])()`);
    const podFrames = await window_(browser, page, tilesBefore[0], tilesAfter[0]);
    console.log(`== ${podStream.sent} pod changes at ${(podStream.sent / podStream.elapsed).toFixed(0)}/s on the topology (${podStream.failed} failed): ` +
      `${tilesAfter[1] - tilesBefore[1]} renders (longest ${ms(tilesAfter[2])}), ${tilesAfter[3]} of ${nodeCount} tiles rebuilt`);
    console.log(`   frames ${podFrames.frames}: gap p50 ${ms(podFrames.p50Gap)}, p99 ${ms(podFrames.p99Gap)}, longest ${ms(podFrames.maxGap)}; ` +
      `${podFrames.over50} over 50 ms, ${podFrames.over100} of 100 ms or more; long tasks ${podFrames.longTasks}, longest ${ms(podFrames.maxLong)}`);
  } finally {
    browser.close();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
