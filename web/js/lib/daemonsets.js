// A DaemonSet's status as the API gives it, and its pods grouped by node (pure, unit-tested).
import { matchesSelector } from "./selector.js";

/**
 * The status numbers of a DaemonSet, null where the API has none yet (no controller has written
 * status), and whether the controller has observed the current spec.
 */
export function daemonSetStatus(ds) {
  const s = ds?.status ?? {};
  const n = (v) => (typeof v === "number" ? v : null);
  const observed = s.observedGeneration != null && s.observedGeneration >= (ds?.metadata?.generation ?? 1);
  const desired = n(s.desiredNumberScheduled);
  const settled = observed && desired != null && [s.currentNumberScheduled, s.updatedNumberScheduled, s.numberReady, s.numberAvailable]
    .every((v) => v === desired) && (s.numberMisscheduled ?? 0) === 0;
  return {
    desired, current: n(s.currentNumberScheduled), ready: n(s.numberReady), updated: n(s.updatedNumberScheduled),
    available: n(s.numberAvailable), unavailable: n(s.numberUnavailable), misscheduled: n(s.numberMisscheduled),
    observed, state: s.observedGeneration == null ? "Not observed" : settled ? "Available" : "Progressing",
  };
}

/** Whether `pod` belongs to `ds`: its controller reference, else (no owner) the selector in its namespace. */
export function ownedByDaemonSet(pod, ds) {
  const owners = pod?.metadata?.ownerReferences ?? [];
  if (owners.length) return owners.some((o) => o.uid === ds.metadata.uid);
  return pod.metadata.namespace === ds.metadata.namespace && !!ds.spec?.selector && matchesSelector(ds.spec.selector, pod.metadata.labels ?? {});
}

/** The DaemonSet's pods by node, nodes in name order, unscheduled pods last under node null: [{node, pods}]. */
export function podsPerNode(ds, pods) {
  const byNode = new Map();
  for (const pod of pods) {
    if (!ownedByDaemonSet(pod, ds)) continue;
    const node = pod.spec?.nodeName || null;
    if (!byNode.has(node)) byNode.set(node, []);
    byNode.get(node).push(pod);
  }
  return [...byNode].map(([node, list]) => ({ node, pods: list.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1)) }))
    .sort((a, b) => (a.node === null ? 1 : b.node === null ? -1 : a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}
