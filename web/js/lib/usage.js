// Live usage from metrics.k8s.io (what `kubectl top` reads), set against what was requested.
import { parseQuantity, formatCPU, formatBytes } from "./format.js";

/** CPU (cores) and memory (bytes) of one usage entry; null fields when unparsable. */
function amounts(usage) {
  return { cpu: parseQuantity(usage?.cpu ?? null), memory: parseQuantity(usage?.memory ?? null) };
}

/** PodMetricsList → Map "namespace/name" → {cpu, memory, containers: Map name → {cpu, memory}, timestamp}. */
export function podUsageMap(list) {
  const out = new Map();
  for (const item of list?.items ?? []) {
    const containers = new Map();
    let cpu = 0, memory = 0;
    for (const c of item.containers ?? []) {
      const a = amounts(c.usage);
      containers.set(c.name, a);
      cpu += a.cpu ?? 0;
      memory += a.memory ?? 0;
    }
    out.set(`${item.metadata?.namespace}/${item.metadata?.name}`, { cpu, memory, containers, timestamp: item.timestamp });
  }
  return out;
}

/** NodeMetricsList → Map name → {cpu, memory, timestamp}. */
export function nodeUsageMap(list) {
  const out = new Map();
  for (const item of list?.items ?? []) out.set(item.metadata?.name, { ...amounts(item.usage), timestamp: item.timestamp });
  return out;
}

/**
 * "12m of 250m requested (5%)", "12m (nothing requested)", or "—" when there is no sample yet.
 * `kind` is "cpu" or "memory"; `of` names what the figure is set against ("requested", "allocatable").
 */
export function usageText(used, against, kind, of = "requested") {
  if (used == null || !Number.isFinite(used)) return "—";
  const format = kind === "cpu" ? formatCPU : formatBytes;
  if (!against) return `${format(used)} (nothing ${of})`;
  // Not clamped: a pod using more CPU than it requested is common and worth seeing.
  return `${format(used)} of ${format(against)} ${of} (${Math.round((used / against) * 100)}%)`;
}
