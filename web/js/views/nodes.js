// Nodes as a topology: a box per node sized by its CPU capacity, bars of CPU and memory requested
// by its pods (the bin-packing made visible), its pods inside, NotReady and cordoned nodes marked;
// cordon / uncordon / drain. Past 60 nodes (or with ?dense=1) a dense grid of tiles keeps 1,000 readable.
import { h, field } from "../dom.js";
import { nodeState, podStatus } from "../lib/progress.js";
import { formatCPU, formatBytes, percent, podIsActive, podRequests } from "../lib/format.js";
import { objectPath } from "../api.js";
import { routeHash } from "../lib/router.js";
import { allocatable, usageByNode, usageBar } from "./common.js";

const denseThreshold = 60;

function nodeActions(ctx, node, pods) {
  const name = node.metadata.name;
  const path = objectPath("nodes", null, name);
  const cordoned = !!node.spec?.unschedulable;
  // Merge patch: null removes the field, as `kubectl uncordon` does.
  const setCordon = (value) => ctx.api.mergePatch(path, { spec: { unschedulable: value ? true : null } });
  return h("div", { class: "actions", role: "group", "aria-label": `Actions for node ${name}` },
    h("button", { type: "button", class: "secondary", id: `cordon-${name}`, "data-key": `cordon-${name}`,
      onclick: () => ctx.act(cordoned ? `${name} uncordoned.` : `${name} cordoned.`, () => setCordon(!cordoned)) }, cordoned ? "Uncordon" : "Cordon"),
    h("button", { type: "button", class: "secondary danger", "data-key": `drain-${name}`, onclick: () => {
      const victims = pods.filter((p) => podIsActive(p) && !(p.metadata.ownerReferences ?? []).some((o) => o.kind === "DaemonSet"));
      if (!confirm(`Cordon ${name} and evict its ${victims.length} pod(s)?`)) return;
      ctx.act(`${name} drained.`, async () => {
        await setCordon(true);
        for (const p of victims) {
          await ctx.api.post(`${objectPath("pods", p.metadata.namespace, p.metadata.name)}/eviction`,
            { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: p.metadata.name, namespace: p.metadata.namespace } });
        }
      });
    } }, "Drain"));
}

function podChip(pod) {
  const status = podStatus(pod);
  const r = podRequests(pod);
  return h("a", { class: `pod-chip pod-${pod.status?.phase?.toLowerCase() ?? "unknown"}`, href: routeHash("pods", [pod.metadata.namespace, pod.metadata.name]),
    title: `${pod.metadata.namespace}/${pod.metadata.name}: ${status}, ${formatCPU(r.cpu)} CPU, ${formatBytes(r.memory)}` }, pod.metadata.name);
}

function nodeBox(ctx, node, usage, maxCPU) {
  const { ready, cordoned } = nodeState(node);
  const a = allocatable(node);
  const pods = usage?.pods ?? [];
  const active = pods.filter(podIsActive);
  const u = usage ?? { cpu: 0, memory: 0 };
  const name = node.metadata.name;
  // Width grows with CPU capacity (square root, so one huge node does not squeeze the rest).
  const basis = 14 + 16 * Math.sqrt(maxCPU ? a.cpu / maxCPU : 1);
  return h("article", { class: `node${ready ? "" : " not-ready"}${cordoned ? " cordoned" : ""}`, id: `node-${name}`, style: { flexBasis: `${basis}rem` },
    "aria-labelledby": `node-title-${name}` },
    h("div", { class: "node-head" },
      h("h3", { id: `node-title-${name}` }, name),
      h("span", { class: "node-flags" }, ready ? null : h("span", { class: "badge badge-failed" }, "NotReady"),
        cordoned ? h("span", { class: "badge badge-suspended" }, "Cordoned") : null)),
    h("div", { class: "usage-row" }, h("span", { class: "usage-label" }, "CPU"), usageBar(u.cpu, a.cpu, `${name} CPU`),
      h("span", { class: "usage-text" }, `${formatCPU(u.cpu)}/${formatCPU(a.cpu)}`)),
    h("div", { class: "usage-row" }, h("span", { class: "usage-label" }, "Mem"), usageBar(u.memory, a.memory, `${name} memory`),
      h("span", { class: "usage-text" }, `${formatBytes(u.memory)}/${formatBytes(a.memory)}`)),
    h("div", { class: "pods-in-node", "aria-label": `Pods on ${name}` },
      active.length ? active.slice(0, 60).map(podChip) : h("span", { class: "muted" }, "no running pods"),
      active.length > 60 ? h("span", { class: "muted" }, ` +${active.length - 60} more`) : null),
    h("p", { class: "muted small" }, `${active.length} active, ${pods.length - active.length} finished`),
    nodeActions(ctx, node, pods));
}

function denseTile(node, usage) {
  const { ready, cordoned } = nodeState(node);
  const a = allocatable(node);
  const u = usage ?? { cpu: 0, memory: 0, pods: [] };
  const pct = Math.max(percent(u.cpu, a.cpu), percent(u.memory, a.memory));
  const level = pct >= 90 ? "full" : pct >= 50 ? "half" : pct > 0 ? "low" : "empty";
  const name = node.metadata.name;
  return h("a", { class: `tile tile-${level}${ready ? "" : " not-ready"}${cordoned ? " cordoned" : ""}`, href: routeHash("nodes", [], { node: name }),
    title: `${name}: ${ready ? "Ready" : "NotReady"}${cordoned ? ", cordoned" : ""}, CPU ${percent(u.cpu, a.cpu)}%, memory ${percent(u.memory, a.memory)}%, ${u.pods.filter(podIsActive).length} pods`,
    "aria-label": `${name} ${pct}% requested${ready ? "" : ", not ready"}${cordoned ? ", cordoned" : ""}` });
}

export default {
  title: () => "Nodes",
  needs: () => ["nodes", "pods"],
  head(ctx, route) {
    const filter = h("input", { type: "search", value: route.query.node ?? "", "data-key": "node-filter", placeholder: "node name",
      oninput: () => ctx.setQuery({ node: filter.value }) });
    const dense = h("input", { type: "checkbox", checked: route.query.dense === "1", onchange: () => ctx.setQuery({ dense: dense.checked ? "1" : "" }) });
    return h("div", { class: "view-head" }, h("h2", {}, "Nodes"),
      h("form", { class: "filters", role: "search", "aria-label": "Filter nodes", onsubmit: (e) => e.preventDefault() },
        field("Node", filter, "node"), h("label", { class: "check" }, dense, " Dense view")));
  },
  body(ctx, route) {
    const all = ctx.collection("nodes").list().sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const nodes = all.filter((n) => !route.query.node || n.metadata.name.includes(route.query.node));
    const usage = usageByNode(ctx.collection("pods").list());
    const notReady = all.filter((n) => !nodeState(n).ready).length;
    const cordoned = all.filter((n) => nodeState(n).cordoned).length;
    const summary = h("p", { class: "muted", id: "nodes-summary" }, `${all.length} nodes, ${notReady} not ready, ${cordoned} cordoned`);
    if (nodes.length === 0) return h("div", {}, summary, h("p", { class: "muted" }, ctx.collection("nodes").synced ? "No nodes match." : "Loading…"));
    const dense = route.query.dense === "1" || (nodes.length > denseThreshold && route.query.dense !== "0");
    if (dense) {
      return h("div", {}, summary, h("p", { class: "legend" }, "Each tile is a node, coloured by its busier resource: ",
        [["empty", "idle"], ["low", "under 50%"], ["half", "50–90%"], ["full", "90% or more"]].map(([l, text]) =>
          h("span", { class: "legend-item" }, h("span", { class: `tile tile-${l} inline`, "aria-hidden": "true" }), text)),
        h("span", { class: "legend-item" }, h("span", { class: "tile not-ready inline", "aria-hidden": "true" }), "not ready"),
        " — type a name to see its pods."),
      h("div", { class: "dense", id: "topology" }, nodes.map((n) => denseTile(n, usage.get(n.metadata.name)))));
    }
    const maxCPU = Math.max(...nodes.map((n) => allocatable(n).cpu), 0);
    return h("div", {}, summary, h("div", { class: "topology", id: "topology" }, nodes.map((n) => nodeBox(ctx, n, usage.get(n.metadata.name), maxCPU))));
  },
};
