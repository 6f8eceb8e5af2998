// Overview: nodes ready / not ready, cluster requests vs allocatable, job outcomes, pending pods
// with the scheduler's reason, latest events.
import { h } from "../dom.js";
import { nodeState, jobStatus, unschedulable } from "../lib/progress.js";
import { formatCPU, formatBytes, percent } from "../lib/format.js";
import { routeHash } from "../lib/router.js";
import { allocatable, usageByNode, usageBar, eventsTable, podLink } from "./common.js";

const card = (id, count, label, href) => h("a", { class: "card", id, href }, h("div", { class: "count" }, String(count)), h("div", { class: "label" }, label));

export default {
  title: () => "Overview",
  needs: () => ["nodes", "pods", "jobs", "events"],
  body(ctx) {
    const nodes = ctx.collection("nodes").list();
    const pods = ctx.collection("pods").list().filter(ctx.inNamespace);
    const jobs = ctx.collection("jobs").list().filter(ctx.inNamespace);
    const events = ctx.collection("events").list().filter(ctx.inNamespace);
    const ready = nodes.filter((n) => nodeState(n).ready).length;
    const counts = { Running: 0, Complete: 0, Failed: 0 };
    for (const j of jobs) { const s = jobStatus(j); if (s in counts) counts[s]++; }
    let cpu = 0, memory = 0;
    for (const n of nodes) { const a = allocatable(n); cpu += a.cpu; memory += a.memory; }
    let usedCPU = 0, usedMemory = 0;
    // Requests count against the whole cluster, whatever namespace is selected.
    for (const u of usageByNode(ctx.collection("pods").list()).values()) { usedCPU += u.cpu; usedMemory += u.memory; }
    const pending = pods.filter((p) => p.status?.phase === "Pending" && !p.spec?.nodeName);
    return h("div", { class: "overview" },
      h("h2", {}, "Overview"),
      h("section", { class: "cards", "aria-label": "Counts" },
        card("count-nodes-ready", ready, "Nodes ready", routeHash("nodes")),
        card("count-nodes-not-ready", nodes.length - ready, "Nodes not ready", routeHash("nodes")),
        card("count-jobs-running", counts.Running, "Jobs running", routeHash("jobs", [], { status: "Running" })),
        card("count-jobs-succeeded", counts.Complete, "Jobs succeeded", routeHash("jobs", [], { status: "Complete" })),
        card("count-jobs-failed", counts.Failed, "Jobs failed", routeHash("jobs", [], { status: "Failed" }))),
      h("section", { class: "panel", "aria-labelledby": "capacity-title" },
        h("h3", { id: "capacity-title" }, "Cluster requests"),
        h("div", { class: "usage-row", id: "cluster-cpu" }, h("span", { class: "usage-label" }, "CPU"), usageBar(usedCPU, cpu, "CPU"),
          h("span", { class: "usage-text" }, `${formatCPU(usedCPU)} of ${formatCPU(cpu)} (${percent(usedCPU, cpu)}%)`)),
        h("div", { class: "usage-row", id: "cluster-memory" }, h("span", { class: "usage-label" }, "Memory"), usageBar(usedMemory, memory, "Memory"),
          h("span", { class: "usage-text" }, `${formatBytes(usedMemory)} of ${formatBytes(memory)} (${percent(usedMemory, memory)}%)`))),
      h("section", { class: "panel", "aria-labelledby": "pending-title" },
        h("h3", { id: "pending-title" }, `Pending pods (${pending.length})`),
        pending.length === 0 ? h("p", { class: "muted" }, "No pods are waiting for a node.")
          : h("ul", { class: "pending", id: "pending-pods" }, pending.slice(0, 50).map((p) =>
            h("li", {}, podLink(p), " — ", h("span", { class: "reason" }, unschedulable(p) ?? "waiting for the scheduler"))))),
      h("section", { class: "panel", "aria-labelledby": "events-title" },
        h("h3", { id: "events-title" }, "Latest events"),
        eventsTable(events, { limit: 10 }),
        h("p", {}, h("a", { href: routeHash("events") }, "All events"))));
  },
};
