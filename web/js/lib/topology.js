// The topology view's pure half: requests per node kept up to date from the pods collection's
// journal (so a pod change touches its node, not all 1,000), node groups (by status or a label),
// group summaries and the tile level of the dense mode.
import { parseQuantity, podIsActive, podRequests, percent } from "./format.js";
import { nodeState } from "./progress.js";

/** A node's allocatable CPU (cores) and memory (bytes). */
export function allocatable(node) {
  const a = node?.status?.allocatable ?? node?.status?.capacity ?? {};
  return { cpu: parseQuantity(a.cpu ?? "0") ?? 0, memory: parseQuantity(a.memory ?? "0") ?? 0 };
}

const emptyUsage = () => ({ cpu: 0, memory: 0, pods: new Set(), active: 0 });

/**
 * Requests of the active pods on each node, updated per changed pod. `reset(items)` rebuilds from
 * a Map of pod key → pod; `update(keys, items)` applies the changed keys and returns the names of
 * the nodes whose usage or pod list changed.
 */
export class NodeUsage {
  constructor() {
    /** node name → {cpu, memory, pods: Set of pod keys, active (count)} */
    this.nodes = new Map();
    /** pod key → what it contributed: {node, cpu, memory, active} */
    this.pods = new Map();
  }

  /** The usage of one node (zero when no pod is bound to it). */
  get(name) { return this.nodes.get(name) ?? emptyUsage(); }

  /** Rebuilds from every pod; returns the names of all nodes with pods. */
  reset(items) {
    this.nodes.clear();
    this.pods.clear();
    for (const [key, pod] of items) this.add(key, pod);
    return new Set(this.nodes.keys());
  }

  /** Applies the changed pod keys (added, modified or deleted in `items`); returns the nodes touched. */
  update(keys, items) {
    const touched = new Set();
    for (const key of keys) {
      const before = this.pods.get(key);
      const pod = items.get(key);
      const after = pod ? contribution(pod) : null;
      if (before && after && before.node === after.node && before.cpu === after.cpu && before.memory === after.memory
        && before.active === after.active && before.phase === after.phase) continue;
      if (before) { this.remove(key, before); touched.add(before.node); }
      if (pod) { const c = this.add(key, pod); if (c) touched.add(c.node); }
    }
    return touched;
  }

  add(key, pod) {
    const c = contribution(pod);
    if (!c) return null;
    const u = this.nodes.get(c.node) ?? emptyUsage();
    u.pods.add(key);
    if (c.active) { u.cpu += c.cpu; u.memory += c.memory; u.active++; }
    this.nodes.set(c.node, u);
    this.pods.set(key, c);
    return c;
  }

  remove(key, c) {
    this.pods.delete(key);
    const u = this.nodes.get(c.node);
    if (!u) return;
    u.pods.delete(key);
    if (c.active) { u.cpu -= c.cpu; u.memory -= c.memory; u.active--; }
    if (u.pods.size === 0) this.nodes.delete(c.node);
  }
}

/** What a pod adds to its node: its requests while active, and its phase; null when it is not bound. */
function contribution(pod) {
  const node = pod?.spec?.nodeName;
  if (!node) return null;
  const active = podIsActive(pod);
  const r = active ? podRequests(pod) : { cpu: 0, memory: 0 };
  // The phase too: a box's chip shows it, though the requests stay.
  return { node, cpu: r.cpu, memory: r.memory, active, phase: pod.status?.phase ?? "" };
}

/** A node's status word for grouping: NotReady wins over Cordoned. */
export function nodeStatusGroup(node) {
  const { ready, cordoned } = nodeState(node);
  return !ready ? "NotReady" : cordoned ? "Cordoned" : "Ready";
}

const statusOrder = { NotReady: 0, Cordoned: 1, Ready: 2 };

/**
 * Nodes in groups: `by` is "" (one group), "status" (NotReady, Cordoned, Ready — the ones that need
 * a look first) or a label key (by its value; nodes without it last). Each group's nodes keep the
 * order given. Returns [{key, title, nodes}].
 */
export function groupNodes(nodes, by) {
  if (!by) return [{ key: "", title: "", nodes }];
  const groups = new Map();
  for (const node of nodes) {
    const key = by === "status" ? nodeStatusGroup(node) : node.metadata?.labels?.[by] ?? null;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(node);
  }
  const rank = (k) => (by === "status" ? statusOrder[k] : k === null ? "\uffff" : k);
  return [...groups.keys()].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0))
    .map((key) => ({ key: key ?? "", title: key === null ? `no ${by} label` : by === "status" ? key : `${by}=${key}`, nodes: groups.get(key) }));
}

/**
 * Label keys worth grouping by: present on some node and not unique to each node (a hostname
 * label makes 1,000 groups of one), sorted.
 */
export function groupingKeys(nodes) {
  const values = new Map();
  for (const node of nodes) {
    for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
      if (!values.has(k)) values.set(k, new Set());
      values.get(k).add(v);
    }
  }
  return [...values.entries()].filter(([, vs]) => nodes.length <= 1 || vs.size < nodes.length).map(([k]) => k).sort();
}

/** One group's line: nodes, how many not ready or cordoned, CPU and memory requested vs allocatable. */
export function groupSummary(nodes, usage) {
  const s = { nodes: nodes.length, notReady: 0, cordoned: 0, cpu: 0, cpuAllocatable: 0, memory: 0, memoryAllocatable: 0, pods: 0 };
  for (const node of nodes) {
    const { ready, cordoned } = nodeState(node);
    if (!ready) s.notReady++;
    if (cordoned) s.cordoned++;
    const a = allocatable(node);
    const u = usage.get(node.metadata.name);
    s.cpuAllocatable += a.cpu;
    s.memoryAllocatable += a.memory;
    s.cpu += u.cpu;
    s.memory += u.memory;
    s.pods += u.active;
  }
  return s;
}

/** The dense mode's tile: the busier resource's percentage and its level (empty, low, half, full). */
export function tileLevel(usage, alloc) {
  const cpu = percent(usage.cpu, alloc.cpu), memory = percent(usage.memory, alloc.memory);
  const pct = Math.max(cpu, memory);
  return { cpu, memory, pct, level: pct >= 90 ? "full" : pct >= 50 ? "half" : pct > 0 ? "low" : "empty" };
}
