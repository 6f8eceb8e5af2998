// Nodes as a topology: a box per node sized by its CPU capacity, bars of CPU and memory requested
// by its pods (the bin-packing made visible), its pods inside, NotReady and cordoned nodes marked;
// cordon / uncordon / drain. Past 60 nodes (or with ?dense=1) a dense grid of tiles keeps 1,000
// readable; ?group= groups by status or a label, with a summary per group; a tile opens its node's
// box above the grid (?selected=). Kept across frames: only the nodes whose object or pods changed
// (the collections' journals) get a new element.
import { h, field } from "../dom.js";
import { formatCPU, formatBytes, percent } from "../lib/format.js";
import { NodeUsage, allocatable, groupNodes, groupingKeys, groupSummary } from "../lib/topology.js";
import { nodeBox, denseTile } from "./node-box.js";
import { routeHash } from "../lib/router.js";

const denseThreshold = 60;
/** node-2 before node-10. */
const byName = new Intl.Collator("en", { numeric: true });

const legend = () => h("p", { class: "legend" }, "Each tile is a node, coloured by its busier resource: ",
  [["empty", "idle"], ["low", "under 50%"], ["half", "50–90%"], ["full", "90% or more"]].map(([l, text]) =>
    h("span", { class: "legend-item" }, h("span", { class: `tile tile-${l} inline`, "aria-hidden": "true" }), text)),
  h("span", { class: "legend-item" }, h("span", { class: "tile not-ready inline", "aria-hidden": "true" }), "not ready"),
  h("span", { class: "legend-item" }, h("span", { class: "tile cordoned inline", "aria-hidden": "true" }), "cordoned"),
  " — choose a tile to see its pods.");

function summaryText(s) {
  return `${s.nodes} node${s.nodes === 1 ? "" : "s"}, ${s.notReady} not ready, ${s.cordoned} cordoned · CPU ${formatCPU(s.cpu)} of ${formatCPU(s.cpuAllocatable)}`
    + ` (${percent(s.cpu, s.cpuAllocatable)}%), memory ${formatBytes(s.memory)} of ${formatBytes(s.memoryAllocatable)} (${percent(s.memory, s.memoryAllocatable)}%) requested · ${s.pods} pods`;
}

/** Requests per node, kept across routes and frames (the pods collection's journal drives it). */
function usageOf(state, pods) {
  let u = state.nodeUsage;
  if (!u || u.collection !== pods) u = state.nodeUsage = { collection: pods, usage: new NodeUsage(), revision: -1 };
  const changes = u.revision < 0 ? null : pods.changesSince(u.revision);
  const touched = changes === null ? null : u.usage.update(changes, pods.items);
  if (changes === null) u.usage.reset(pods.items);
  u.revision = pods.revision;
  return { usage: u.usage, touched };
}

/** The layout of the nodes shown: filtered, sorted, grouped; recomputed only when nodes change. */
function layoutOf(route, nodesCollection) {
  const q = route.query;
  const all = nodesCollection.list().sort((a, b) => byName.compare(a.metadata.name, b.metadata.name));
  const nodes = all.filter((n) => !q.node || n.metadata.name.includes(q.node));
  const dense = q.dense === "1" || (nodes.length > denseThreshold && q.dense !== "0");
  const groups = groupNodes(nodes, q.group ?? "");
  const maxCPU = Math.max(0, ...nodes.map((n) => allocatable(n).cpu));
  return { all, nodes, dense, groups, maxCPU, keys: groupingKeys(all) };
}

/** The group select's options follow the label keys the nodes carry. */
function updateGroupOptions(select, keys, chosen) {
  if (!select) return;
  const wanted = ["", "status", ...keys, ...(chosen && chosen !== "status" && !keys.includes(chosen) ? [chosen] : [])];
  if ([...select.options].map((o) => o.value).join("\n") === wanted.join("\n")) return;
  select.replaceChildren(...wanted.map((k) => h("option", { value: k, selected: k === (chosen ?? "") }, k === "" ? "No grouping" : k === "status" ? "Status" : k)));
}

function topology(ctx, route, state) {
  const q = route.query;
  const nodesCollection = ctx.collection("nodes"), podsCollection = ctx.collection("pods");
  const { usage, touched } = usageOf(state, podsCollection);
  const signature = JSON.stringify([q.node, q.group, q.dense]);
  let t = state.topology;
  if (!t || t.signature !== signature || t.collection !== nodesCollection) {
    const summary = h("p", { class: "muted", id: "nodes-summary" });
    // A tile or the Close link changes ?selected= in place (no remount of the view).
    const pick = (event) => {
      const target = event.target.closest?.("[data-select]");
      if (!target || event.button !== 0 || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      ctx.setQuery({ selected: target.dataset.select });
    };
    const detail = h("div", { id: "node-detail", onclick: pick });
    const grid = h("div", { id: "topology", onclick: pick });
    const legendSlot = h("div", { class: "legend-slot" });
    t = state.topology = { signature, collection: nodesCollection, revision: -1, summary, detail, grid, legend: legendSlot, layout: null,
      items: new Map(), sections: state.topology?.sections ?? new Map(), element: h("div", {}, summary, detail, legendSlot, grid), order: "" };
  }
  const nodeChanges = t.revision < 0 ? null : nodesCollection.changesSince(t.revision);
  t.revision = nodesCollection.revision;
  // A new usage sample (metrics.k8s.io) touches the nodes it has numbers for.
  const usageSource = ctx.collection("usage");
  const live = usageSource.nodes;
  const freshUsage = t.usageRevision !== usageSource.revision;
  t.usageRevision = usageSource.revision;
  const relayout = nodeChanges === null || nodeChanges.size > 0 || !t.layout;
  if (relayout) {
    const before = t.layout;
    t.layout = layoutOf(route, nodesCollection);
    updateGroupOptions(state.groupSelect, t.layout.keys, q.group);
    if (state.denseBox) state.denseBox.checked = t.layout.dense;
    // A new widest node resizes every box.
    if (before && before.maxCPU !== t.layout.maxCPU) t.items.clear();
    const shown = new Set(t.layout.nodes.map((n) => n.metadata.name));
    for (const name of t.items.keys()) if (!shown.has(name)) t.items.delete(name);
  }
  const { nodes, dense, groups, maxCPU } = t.layout;
  const dirty = (name) => touched === null || touched.has(name) || nodeChanges === null || nodeChanges.has(name) || !t.items.has(name)
    || (freshUsage && live.has(name));
  const itemOf = (node) => (dense ? denseTile(node, usage.get(node.metadata.name), q) : nodeBox(ctx, node, usage.get(node.metadata.name), podsCollection.items, maxCPU, live.get(node.metadata.name)));

  // Each node whose object or pods changed: a new element only when what it shows changed.
  let rebuilt = 0;
  const touchedGroups = new Set();
  for (const group of groups) {
    for (const node of group.nodes) {
      const name = node.metadata.name;
      if (!dirty(name)) continue;
      touchedGroups.add(group.key);
      const item = itemOf(node);
      const old = t.items.get(name);
      if (old && old.signature === item.signature) continue;
      const element = item.build();
      t.items.set(name, { signature: item.signature, element });
      rebuilt++;
      // In place; a changed layout then moves the elements (placeAll).
      if (old?.element.isConnected) old.element.replaceWith(element);
    }
  }
  if (relayout) placeAll(t, nodes, groups, dense, q.group);
  // Group headings carry their totals; only the groups with a changed node are summed again.
  for (const group of groups) {
    const section = t.sections.get(group.key);
    if (!section || !(relayout || touchedGroups.has(group.key))) continue;
    const text = summaryText(groupSummary(group.nodes, usage));
    if (section.totals.textContent !== text) section.totals.textContent = text;
  }
  if (relayout || touched === null || touched.size) {
    const text = summaryText(groupSummary(t.layout.all, usage));
    if (t.summary.textContent !== text) t.summary.textContent = text;
  }
  updateDetail(ctx, t, q, usage, podsCollection, nodesCollection, maxCPU, touched, nodeChanges);
  t.rebuilt = rebuilt;
  state.topologyStats = { rebuilt, relayout, nodes: nodes.length };
  if (nodes.length === 0) {
    const text = nodesCollection.synced ? "No nodes match." : "Loading…";
    if (t.grid.textContent !== text) t.grid.replaceChildren(h("p", { class: "muted" }, text));
    t.order = "";
  }
  return t.element;
}

/** Puts every node's element in its group, moving existing elements (no rebuild). */
function placeAll(t, nodes, groups, dense, groupBy) {
  const order = JSON.stringify([dense, groupBy ?? "", groups.map((g) => [g.key, g.nodes.map((n) => n.metadata.name)])]);
  if (order === t.order) return;
  t.order = order;
  t.grid.className = dense ? "dense" : "topology";
  const grids = [];
  if (!groupBy) {
    const grid = h("div", { class: "node-grid" }, nodes.map((n) => t.items.get(n.metadata.name).element));
    grids.push(grid);
  } else {
    for (const group of groups) {
      let section = t.sections.get(group.key);
      if (!section) {
        // <details> keeps a group folded across updates; its summary is keyboard-operable.
        const totals = h("span", { class: "group-totals muted" });
        const title = h("span", { class: "group-title" });
        const grid = h("div", { class: "node-grid" });
        const details = h("details", { class: "node-group", open: true, "data-group": group.key },
          h("summary", {}, title, " ", totals), grid);
        section = { details, title, totals, grid };
        t.sections.set(group.key, section);
      }
      section.title.textContent = group.title;
      section.grid.replaceChildren(...group.nodes.map((n) => t.items.get(n.metadata.name).element));
      grids.push(section.details);
    }
  }
  t.grid.replaceChildren(...grids);
  t.legend.replaceChildren(...(dense ? [legend()] : []));
}

/** The selected node's box above the dense grid (?selected=NAME). */
function updateDetail(ctx, t, query, usage, pods, nodesCollection, maxCPU, touched, nodeChanges) {
  const selected = query.selected;
  const node = selected ? nodesCollection.items.get(selected) : null;
  // The chosen tile is marked (the mark moves with the choice; a rebuilt tile is marked again).
  const tile = selected ? t.items.get(selected)?.element : null;
  if (t.marked !== tile) { t.marked?.removeAttribute("aria-current"); t.marked = tile; }
  if (tile && !tile.hasAttribute("aria-current")) tile.setAttribute("aria-current", "true");
  if (!node || !t.layout.dense) {
    if (t.detail.childNodes.length) t.detail.replaceChildren();
    t.detailItem = null;
    return;
  }
  const changed = !t.detailItem || t.detailFor !== selected || touched === null || touched.has(selected) || nodeChanges === null || nodeChanges.has(selected);
  if (!changed) return;
  const item = nodeBox(ctx, node, usage.get(selected), pods.items, maxCPU, ctx.collection("usage").nodes.get(selected));
  if (t.detailItem?.signature === item.signature) return;
  t.detailItem = item;
  t.detailFor = selected;
  t.detail.replaceChildren(h("div", { class: "selected-node" }, item.build(),
    h("a", { class: "close-detail", "data-select": "", href: routeHash("nodes", [], { ...query, selected: "" }) }, "Close")));
}

export default {
  title: () => "Nodes",
  needs: () => ["nodes", "pods", "usage"],
  head(ctx, route, state) {
    const filter = h("input", { type: "search", value: route.query.node ?? "", "data-key": "node-filter", placeholder: "part of a name",
      oninput: () => ctx.setQuery({ node: filter.value, selected: "" }) });
    const group = h("select", { "data-key": "node-group", onchange: () => ctx.setQuery({ group: group.value }) });
    state.groupSelect = group;
    updateGroupOptions(group, [], route.query.group);
    // Checked while the tiles show (past 60 nodes by default); unchecking shows boxes even then.
    const dense = h("input", { type: "checkbox", id: "f-dense", checked: route.query.dense === "1", onchange: () => ctx.setQuery({ dense: dense.checked ? "1" : "0" }) });
    state.denseBox = dense;
    return h("div", { class: "view-head" }, h("h2", {}, "Nodes"),
      h("form", { class: "filters", role: "search", "aria-label": "Filter nodes", onsubmit: (e) => e.preventDefault() },
        field("Node", filter, "node"), field("Group by", group, "group"), h("label", { class: "check", for: "f-dense" }, dense, " Dense view")));
  },
  body: topology,
};
