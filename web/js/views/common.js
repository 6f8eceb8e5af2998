// Pieces several views share: job status badges and progress bars, events tables, node usage.
import { h, bar, badge, table, ageCell, link } from "../dom.js";
import { jobProgress, jobStatus } from "../lib/progress.js";
import { podRequests, podIsActive, percent } from "../lib/format.js";
import { routeHash } from "../lib/router.js";

/** A Job's progress bar with its "1/4" text. */
export function progressBar(job) {
  const p = jobProgress(job);
  const waiting = p.active - p.ready;
  const label = `${p.succeeded} succeeded, ${p.failed} failed, ${p.ready} running${waiting ? `, ${waiting} waiting` : ""} of ${p.completions ?? p.target}`;
  return h("div", { class: "progress", "data-progress": `${p.succeeded}/${p.failed}/${p.active}` },
    bar([{ value: p.widths.succeeded, class: "ok" }, { value: p.widths.failed, class: "bad" }, { value: p.widths.active, class: "run" },
      { value: p.widths.waiting, class: "wait" }], label),
    h("span", { class: "progress-text" }, p.text));
}

/** The Job's status badge. */
export const jobBadge = (job) => badge(jobStatus(job));

/** A link to a Job's detail page. */
export const jobLink = (job) => link(routeHash("jobs", [job.metadata.namespace, job.metadata.name]), job.metadata.name);

/** A link to a pod's detail page. */
export const podLink = (pod) => link(routeHash("pods", [pod.metadata.namespace, pod.metadata.name]), pod.metadata.name);

/** Events newest first. */
export function sortedEvents(events) {
  return [...events].sort((a, b) => (eventTime(a) < eventTime(b) ? 1 : eventTime(a) > eventTime(b) ? -1 : 0));
}

/** The object an event is about, as a link when the dashboard has a page for it. */
export function involvedLink(e) {
  const o = e.involvedObject ?? {};
  const text = `${o.kind ?? "?"}/${o.name ?? "?"}`;
  if (o.kind === "Job") return link(routeHash("jobs", [o.namespace, o.name]), text);
  if (o.kind === "Pod") return link(routeHash("pods", [o.namespace, o.name]), text);
  if (o.kind === "Node") return link(routeHash("nodes", [], { node: o.name }), text);
  return text;
}

/** When an event last happened (an ISO string, so it sorts as text). */
export const eventTime = (e) => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? "";

/** The columns of an events table. */
export function eventColumns({ showObject = true } = {}) {
  return [
    { key: "last", title: "Last seen", cell: (e) => ageCell(eventTime(e)), sort: eventTime, width: "7rem" },
    { key: "type", title: "Type", cell: (e) => badge(e.type ?? "Normal"), sort: (e) => e.type ?? "", width: "6rem" },
    { key: "reason", title: "Reason", cell: (e) => e.reason ?? "", sort: (e) => e.reason ?? "", width: "11rem" },
    showObject ? { key: "object", title: "Object", cell: involvedLink, sort: (e) => `${e.involvedObject?.kind}/${e.involvedObject?.name}`, width: "16rem" } : null,
    { key: "message", title: "Message", cell: (e) => h("span", { title: e.message ?? "" }, e.message ?? ""), class: "wrap" },
    { key: "count", title: "Count", cell: (e) => String(e.count ?? 1), class: "num", width: "4.5rem" },
  ].filter(Boolean);
}

/** A table of a few events (newest first). */
export function eventsTable(events, { limit = 200, showObject = true } = {}) {
  return table({ columns: eventColumns({ showObject }), rows: sortedEvents(events), limit, empty: "No events.", rowKey: (e) => e.metadata?.name });
}

export { allocatable } from "../lib/topology.js";

/** Requests of the active pods on each node: Map nodeName → {cpu, memory, pods[]}. */
export function usageByNode(pods) {
  const usage = new Map();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node) continue;
    const u = usage.get(node) ?? { cpu: 0, memory: 0, pods: [] };
    u.pods.push(pod);
    if (podIsActive(pod)) {
      const r = podRequests(pod);
      u.cpu += r.cpu;
      u.memory += r.memory;
    }
    usage.set(node, u);
  }
  return usage;
}

/** A requested-vs-allocatable bar. */
export function usageBar(used, total, label) {
  const pct = percent(used, total);
  return bar([{ value: pct, class: pct >= 90 ? "bad" : pct >= 70 ? "warn" : "ok" }], `${label}: ${pct}% requested`, { "data-percent": pct });
}

/** Whether the route's text filter query matches an object's name. */
export const nameMatches = (filter, object) => !filter || object.metadata.name.includes(filter);
