// The Queues view's pure half, over Kueue's kinds (kueue.x-k8s.io/v1beta1): a ClusterQueue's quota
// per flavor and resource (nominal from its spec, used and borrowed from its status), a Workload's
// state and position, and which Workloads belong to which ClusterQueue.
import { parseQuantity, podRequests, formatCPU, formatBytes, percent } from "./format.js";
import { queuePosition } from "./progress.js";

/** A resource amount in its usual unit: cores for cpu, bytes for memory, a count otherwise. */
export function formatResource(resource, amount) {
  if (amount == null) return "—";
  if (resource === "cpu") return formatCPU(amount);
  if (resource === "memory" || resource.endsWith("-storage") || resource === "storage") return formatBytes(amount);
  return String(Number(amount.toFixed(3)));
}

const q = (text) => (text == null ? null : parseQuantity(String(text)));

/**
 * One row per (flavor, resource) of a ClusterQueue, in the order its spec lists them:
 * {flavor, resource, nominal, used, borrowed, borrowingLimit, lendingLimit, usedPercent, borrowedPercent}.
 * `used` is null until the queue manager writes status. The bar's scale is the nominal quota, or
 * what is used when borrowing takes it past it (so the borrowed part shows).
 */
export function quotaRows(clusterQueue) {
  const usage = new Map();
  for (const f of clusterQueue?.status?.flavorsUsage ?? []) {
    for (const r of f.resources ?? []) usage.set(`${f.name}\u0000${r.name}`, { total: q(r.total) ?? 0, borrowed: q(r.borrowed) ?? 0 });
  }
  const hasStatus = Array.isArray(clusterQueue?.status?.flavorsUsage);
  const rows = [];
  for (const group of clusterQueue?.spec?.resourceGroups ?? []) {
    for (const flavor of group.flavors ?? []) {
      for (const r of flavor.resources ?? []) {
        const nominal = q(r.nominalQuota) ?? 0;
        const u = usage.get(`${flavor.name}\u0000${r.name}`);
        const used = u ? u.total : hasStatus ? 0 : null;
        const borrowed = u ? u.borrowed : 0;
        const scale = Math.max(nominal, used ?? 0);
        rows.push({ flavor: flavor.name, resource: r.name, nominal, used, borrowed,
          borrowingLimit: q(r.borrowingLimit), lendingLimit: q(r.lendingLimit),
          usedPercent: percent((used ?? 0) - borrowed, scale), borrowedPercent: percent(borrowed, scale) });
      }
    }
  }
  return rows;
}

/** "4 of 8 (50%)", with what is borrowed. */
export function quotaText(row) {
  if (row.used == null) return `— of ${formatResource(row.resource, row.nominal)}`;
  const text = `${formatResource(row.resource, row.used)} of ${formatResource(row.resource, row.nominal)} (${percent(row.used, row.nominal)}%)`;
  return row.borrowed > 0 ? `${text}, ${formatResource(row.resource, row.borrowed)} borrowed` : text;
}

const isTrue = (object, type) => (object?.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");

/**
 * A Workload's state: Finished, Admitted, Reserved (quota reserved, not yet admitted), Evicted
 * (and waiting again), Inactive (spec.active false), Pending or Inadmissible; with its position
 * and message while it waits. {state, position, of, message, since}.
 */
export function workloadState(workload) {
  const pending = queuePosition(workload);
  const base = { position: null, of: null, message: "", since: null };
  if (isTrue(workload, "Finished")) return { ...base, state: "Finished" };
  if (workload?.spec?.active === false) return { ...base, state: "Inactive", message: "deactivated" };
  if (isTrue(workload, "Admitted")) return { ...base, state: "Admitted", since: condition(workload, "Admitted")?.lastTransitionTime ?? null };
  if (isTrue(workload, "QuotaReserved")) return { ...base, state: "Reserved" };
  const evicted = isTrue(workload, "Evicted") ? condition(workload, "Evicted") : null;
  if (pending) {
    return { state: pending.reason === "Inadmissible" ? "Inadmissible" : evicted ? "Evicted" : "Pending", position: pending.position, of: pending.of,
      message: evicted ? `${evicted.message}; ${pending.message}` : pending.message, since: pending.since ?? workload?.metadata?.creationTimestamp ?? null };
  }
  return { ...base, state: evicted ? "Evicted" : "Pending", message: evicted?.message ?? "not yet looked at by the queue manager",
    since: workload?.metadata?.creationTimestamp ?? null };
}

function condition(object, type) {
  return (object?.status?.conditions ?? []).find((c) => c.type === type);
}

/** The ClusterQueue a Workload belongs to: its admission's, else its LocalQueue's; null when unknown. */
export function clusterQueueOf(workload, localQueues) {
  const admitted = workload?.status?.admission?.clusterQueue;
  if (admitted) return admitted;
  const local = localQueues.get(`${workload?.metadata?.namespace}/${workload?.spec?.queueName}`);
  return local?.spec?.clusterQueue ?? null;
}

/**
 * The Workloads of each ClusterQueue, by state: Map name → {pending (by position, then priority
 * and age), admitted (oldest first), finished (a count)}. `localQueues` is a Map "ns/name" → LocalQueue.
 */
export function workloadsByClusterQueue(workloads, localQueues) {
  const out = new Map();
  const entry = (name) => {
    if (!out.has(name)) out.set(name, { pending: [], admitted: [], finished: 0 });
    return out.get(name);
  };
  for (const workload of workloads) {
    const name = clusterQueueOf(workload, localQueues);
    if (!name) continue;
    const state = workloadState(workload);
    const e = entry(name);
    if (state.state === "Finished") e.finished++;
    else if (state.state === "Admitted" || state.state === "Reserved") e.admitted.push({ workload, state });
    else e.pending.push({ workload, state });
  }
  const created = (w) => w.metadata?.creationTimestamp ?? "";
  for (const e of out.values()) {
    e.pending.sort((a, b) => (a.state.position ?? Infinity) - (b.state.position ?? Infinity)
      || (b.workload.spec?.priority ?? 0) - (a.workload.spec?.priority ?? 0) || (created(a.workload) < created(b.workload) ? -1 : 1));
    e.admitted.sort((a, b) => (created(a.workload) < created(b.workload) ? -1 : 1));
  }
  return out;
}

/** What a Workload asks for in all: each pod set's per-pod requests times its count. {cpu, memory}. */
export function workloadRequests(workload) {
  const total = { cpu: 0, memory: 0 };
  for (const set of workload?.spec?.podSets ?? []) {
    const r = podRequests(set.template);
    total.cpu += r.cpu * (set.count ?? 1);
    total.memory += r.memory * (set.count ?? 1);
  }
  return total;
}

/** The Job a Workload was made for (its controller owner), or null. */
export function ownerJob(workload) {
  return (workload?.metadata?.ownerReferences ?? []).find((o) => o.kind === "Job") ?? null;
}
