// One node of the topology: a box (bars of CPU and memory requested, its pods inside, actions) or a
// dense tile. Each comes with a signature of what it shows, so the view rebuilds a node's element
// only when that changed.
import { usageText } from "../lib/usage.js";
import { h } from "../dom.js";
import { nodeState, podStatus } from "../lib/progress.js";
import { formatCPU, formatBytes, podIsActive, podRequests } from "../lib/format.js";
import { allocatable, tileLevel } from "../lib/topology.js";
import { objectPath } from "../api.js";
import { routeHash } from "../lib/router.js";
import { usageBar } from "./common.js";

/** How many pod chips a box shows before "+N more". */
const chipLimit = 60;

function nodeActions(ctx, node, podsOn) {
  const name = node.metadata.name;
  const path = objectPath("nodes", null, name);
  const cordoned = !!node.spec?.unschedulable;
  // Merge patch: null removes the field, as `kubectl uncordon` does.
  const setCordon = (value) => ctx.api.mergePatch(path, { spec: { unschedulable: value ? true : null } });
  return h("div", { class: "actions", role: "group", "aria-label": `Actions for node ${name}` },
    h("button", { type: "button", class: "secondary", id: `cordon-${name}`, "data-key": `cordon-${name}`,
      onclick: () => ctx.act(cordoned ? `${name} uncordoned.` : `${name} cordoned.`, () => setCordon(!cordoned)) }, cordoned ? "Uncordon" : "Cordon"),
    h("button", { type: "button", class: "secondary danger", "data-key": `drain-${name}`, onclick: () => {
      // The pods as they are when the button is pressed, not when the box was drawn.
      const victims = podsOn().filter((p) => podIsActive(p) && !(p.metadata.ownerReferences ?? []).some((o) => o.kind === "DaemonSet"));
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

/**
 * A node's box: {signature, build()}. `usage` is the node's NodeUsage entry (what its pods
 * request), `pods` the pods collection's items, `maxCPU` the largest allocatable CPU shown (boxes
 * are sized against it), `live` the node's metrics.k8s.io usage when there is a sample.
 */
export function nodeBox(ctx, node, usage, pods, maxCPU, live) {
  const podsOn = () => [...usage.pods].map((k) => pods.get(k)).filter(Boolean);
  const on = podsOn();
  const active = on.filter(podIsActive).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const shown = active.slice(0, chipLimit);
  const signature = JSON.stringify([node.metadata.resourceVersion, maxCPU, usage.cpu, usage.memory, live?.cpu, live?.memory, on.length,
    shown.map((p) => `${p.metadata.namespace}/${p.metadata.name}:${p.status?.phase}:${podStatus(p)}`), active.length]);
  const build = () => {
    const { ready, cordoned } = nodeState(node);
    const a = allocatable(node);
    const name = node.metadata.name;
    // Width grows with CPU capacity (square root, so one huge node does not squeeze the rest).
    const basis = 14 + 16 * Math.sqrt(maxCPU ? a.cpu / maxCPU : 1);
    return h("article", { class: `node${ready ? "" : " not-ready"}${cordoned ? " cordoned" : ""}`, id: `node-${name}`, style: { flexBasis: `${basis}rem` },
      "aria-labelledby": `node-title-${name}`, "data-node": name },
      h("div", { class: "node-head" },
        h("h3", { id: `node-title-${name}` }, name),
        h("span", { class: "node-flags" }, ready ? null : h("span", { class: "badge badge-failed" }, "NotReady"),
          cordoned ? h("span", { class: "badge badge-suspended" }, "Cordoned") : null)),
      h("div", { class: "usage-row" }, h("span", { class: "usage-label" }, "CPU"), usageBar(usage.cpu, a.cpu, `${name} CPU`),
        h("span", { class: "usage-text" }, `${formatCPU(usage.cpu)}/${formatCPU(a.cpu)}`)),
      h("div", { class: "usage-row" }, h("span", { class: "usage-label" }, "Mem"), usageBar(usage.memory, a.memory, `${name} memory`),
        h("span", { class: "usage-text" }, `${formatBytes(usage.memory)}/${formatBytes(a.memory)}`)),
      live ? h("p", { class: "muted small", id: `node-used-${name}` },
        `Used: CPU ${usageText(live.cpu, a.cpu, "cpu", "allocatable")}, memory ${usageText(live.memory, a.memory, "memory", "allocatable")}`) : null,
      h("div", { class: "pods-in-node", role: "group", "aria-label": `Pods on ${name}` },
        shown.length ? shown.map(podChip) : h("span", { class: "muted" }, "no running pods"),
        active.length > chipLimit ? h("span", { class: "muted" }, ` +${active.length - chipLimit} more`) : null),
      h("p", { class: "muted small" }, `${active.length} active, ${on.length - active.length} finished`),
      nodeActions(ctx, node, podsOn));
  };
  return { signature, build };
}

/** A node's tile in the dense mode: {signature, build()}; it links to the node's box. */
export function denseTile(node, usage, query) {
  const { ready, cordoned } = nodeState(node);
  const t = tileLevel(usage, allocatable(node));
  const name = node.metadata.name;
  const className = `tile tile-${t.level}${ready ? "" : " not-ready"}${cordoned ? " cordoned" : ""}`;
  const title = `${name}: ${ready ? "Ready" : "NotReady"}${cordoned ? ", cordoned" : ""}, CPU ${t.cpu}%, memory ${t.memory}%, ${usage.active} pods`;
  const href = routeHash("nodes", [], { ...query, selected: name });
  return {
    signature: `${className}|${title}|${href}`,
    build: () => h("a", { class: className, href, title, "data-node": name, "data-select": name,
      "aria-label": `${name} ${t.pct}% requested${ready ? "" : ", not ready"}${cordoned ? ", cordoned" : ""}` }),
  };
}
