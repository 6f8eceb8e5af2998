// Queues: Kueue's ClusterQueues (kueue.x-k8s.io/v1beta1), one card each — quota used vs nominal
// per flavor and resource as bars (borrowed quota drawn apart), the pending Workloads in queue
// order with their position and why they wait, the admitted ones, the LocalQueues that feed it;
// hold / resume (spec.stopPolicy). The namespace selector narrows the Workloads shown.
import { h, table, ageCell, badge, bar, field, link } from "../dom.js";
import { objectPath } from "../api.js";
import { routeHash } from "../lib/router.js";
import { formatCPU, formatBytes } from "../lib/format.js";
import { selectorText } from "../lib/selector.js";
import { keyOf } from "../lib/watch.js";
import { quotaRows, quotaText, formatResource, workloadsByClusterQueue, workloadRequests, ownerJob } from "../lib/queues.js";
import { nameMatches } from "./common.js";

/** Pending and admitted rows a card shows; ?queue=NAME shows one queue with up to 500. */
const shortLimit = 20, longLimit = 500;

function quotaTable(cq) {
  const rows = quotaRows(cq);
  if (rows.length === 0) return h("p", { class: "muted" }, "No resource groups.");
  const name = cq.metadata.name;
  return h("table", { class: "quota", id: `quota-${name}` },
    h("caption", {}, `Quota of ${name}`),
    h("thead", {}, h("tr", {}, ["Flavor", "Resource", "Used of nominal", "", "Borrowing limit"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((r) => {
      const text = quotaText(r);
      const level = r.borrowed > 0 ? "warn" : r.usedPercent >= 90 ? "bad" : "ok";
      return h("tr", { "data-quota": `${r.flavor}/${r.resource}`, "data-used": r.used ?? "", "data-nominal": r.nominal },
        h("td", {}, r.flavor), h("td", {}, h("code", {}, r.resource)),
        h("td", { class: "quota-bar" }, bar([{ value: r.usedPercent, class: level }, { value: r.borrowedPercent, class: "borrowed" }],
          `${r.flavor} ${r.resource}: ${text}`)),
        h("td", { class: "usage-text" }, text),
        h("td", {}, r.borrowingLimit == null ? (cq.spec?.cohort ? "unlimited" : "—") : formatResource(r.resource, r.borrowingLimit)));
    })));
}

const requestsText = (w) => { const r = workloadRequests(w); return `${formatCPU(r.cpu)} CPU, ${formatBytes(r.memory)}`; };

function jobCell(w) {
  const owner = ownerJob(w);
  return owner ? link(routeHash("jobs", [w.metadata.namespace, owner.name]), owner.name, { title: `Workload ${w.metadata.name}` }) : w.metadata.name;
}

function pendingTable(entries, limit, more) {
  return table({
    columns: [
      { key: "position", title: "#", cell: (e) => (e.state.position == null ? "—" : String(e.state.position)), class: "num" },
      { key: "job", title: "Job", cell: (e) => jobCell(e.workload) },
      { key: "queue", title: "Queue", cell: (e) => `${e.workload.metadata.namespace}/${e.workload.spec?.queueName ?? ""}` },
      { key: "priority", title: "Priority", cell: (e) => String(e.workload.spec?.priority ?? 0), class: "num" },
      { key: "requests", title: "Requests", cell: (e) => requestsText(e.workload) },
      { key: "waiting", title: "Waiting", cell: (e) => ageCell(e.state.since) },
      { key: "why", title: "Why", cell: (e) => h("span", { class: "reason" }, e.state.state === "Pending" ? "" : `${e.state.state}: `, e.state.message), class: "wrap" },
    ],
    rows: entries, limit, onMore: more, empty: "Nothing waits.", rowKey: (e) => keyOf(e.workload),
  });
}

function admittedTable(entries, limit, more) {
  const flavors = (w) => [...new Set((w.status?.admission?.podSetAssignments ?? []).flatMap((a) => Object.values(a.flavors ?? {})))].join(", ");
  return table({
    columns: [
      { key: "job", title: "Job", cell: (e) => jobCell(e.workload) },
      { key: "queue", title: "Queue", cell: (e) => `${e.workload.metadata.namespace}/${e.workload.spec?.queueName ?? ""}` },
      { key: "priority", title: "Priority", cell: (e) => String(e.workload.spec?.priority ?? 0), class: "num" },
      { key: "requests", title: "Requests", cell: (e) => requestsText(e.workload) },
      { key: "flavors", title: "Flavors", cell: (e) => flavors(e.workload) || "—" },
      { key: "admitted", title: "Admitted for", cell: (e) => (e.state.state === "Reserved" ? "quota reserved" : ageCell(e.state.since)) },
    ],
    rows: entries, limit, onMore: more, empty: "Nothing admitted.", rowKey: (e) => keyOf(e.workload),
  });
}

function holdButton(ctx, cq) {
  const name = cq.metadata.name;
  const held = (cq.spec?.stopPolicy ?? "None") !== "None";
  // Hold stops new admissions and keeps what runs (Kueue's stopPolicy Hold); None resumes.
  const set = (policy) => ctx.act(held ? `${name} resumed.` : `${name} held: nothing new is admitted.`,
    () => ctx.api.mergePatch(objectPath("clusterqueues", null, name), { spec: { stopPolicy: policy } }));
  return h("button", { type: "button", class: "secondary", id: `queue-hold-${name}`, "data-key": `queue-hold-${name}`,
    onclick: () => set(held ? "None" : "Hold") }, held ? "Resume" : "Hold");
}

function card(ctx, cq, work, localQueues, limit, more) {
  const name = cq.metadata.name;
  const s = cq.status ?? {};
  const active = (s.conditions ?? []).find((c) => c.type === "Active");
  const state = active ? (active.status === "True" ? "Active" : active.reason || "Inactive") : "Not observed";
  const mine = (e) => ctx.inNamespace(e.workload);
  const pending = work.pending.filter(mine), admitted = work.admitted.filter(mine);
  const locals = localQueues.filter((l) => l.spec?.clusterQueue === name && ctx.inNamespace(l));
  const count = (n) => (n == null ? "—" : String(n));
  return h("article", { class: "panel queue", id: `clusterqueue-${name}`, "aria-labelledby": `cq-title-${name}` },
    h("div", { class: "detail-head" },
      h("h3", { id: `cq-title-${name}` }, link(routeHash("queues", [], { queue: name }), name), " ",
        badge(state, state === "Active" ? "complete" : state === "Not observed" ? "pending" : "suspended")),
      h("div", { class: "actions", role: "group", "aria-label": `Actions for ClusterQueue ${name}` }, holdButton(ctx, cq))),
    active && active.status !== "True" ? h("p", { class: "muted note" }, active.message) : null,
    h("dl", { class: "facts" },
      h("dt", {}, "Pending"), h("dd", { class: "cq-pending" }, count(s.pendingWorkloads)),
      h("dt", {}, "Reserving"), h("dd", {}, count(s.reservingWorkloads)),
      h("dt", {}, "Admitted"), h("dd", { class: "cq-admitted" }, count(s.admittedWorkloads)),
      h("dt", {}, "Strategy"), h("dd", {}, cq.spec?.queueingStrategy ?? "BestEffortFIFO"),
      h("dt", {}, "Cohort"), h("dd", {}, cq.spec?.cohort ?? "none"),
      h("dt", {}, "Namespaces"), h("dd", {}, cq.spec?.namespaceSelector == null ? "none" : h("code", {}, selectorText(cq.spec.namespaceSelector) || "all")),
      h("dt", {}, "LocalQueues"), h("dd", { class: "cq-locals" }, locals.length ? locals.map((l, i) => [i ? ", " : "",
        `${l.metadata.namespace}/${l.metadata.name}`, h("span", { class: "muted" }, ` (${count(l.status?.pendingWorkloads)} pending, ${count(l.status?.admittedWorkloads)} admitted)`)]) : "none")),
    quotaTable(cq),
    h("h4", { id: `cq-pending-${name}` }, `Pending (${pending.length})`),
    h("div", { id: `pending-${name}` }, pendingTable(pending, limit, more)),
    h("h4", {}, `Admitted (${admitted.length})`, work.finished ? h("span", { class: "muted" }, ` · ${work.finished} finished`) : null),
    h("div", { id: `admitted-${name}` }, admittedTable(admitted, limit, more)));
}

export default {
  title: () => "Queues",
  needs: () => ["clusterqueues", "localqueues", "workloads"],
  head(ctx, route) {
    const filter = h("input", { type: "search", value: route.query.queue ?? "", "data-key": "queue-filter", placeholder: "part of a name",
      oninput: () => ctx.setQuery({ queue: filter.value }) });
    return h("div", { class: "view-head" }, h("h2", {}, "Queues"),
      h("form", { class: "filters", role: "search", "aria-label": "Filter queues", onsubmit: (e) => e.preventDefault() }, field("ClusterQueue", filter, "queue")));
  },
  body(ctx, route, state) {
    const queues = ctx.collection("clusterqueues");
    const clusterQueues = queues.list().filter((cq) => nameMatches(route.query.queue, cq))
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    if (clusterQueues.length === 0) {
      return h("p", { class: "muted", id: "queues-empty" }, queues.synced
        ? "No ClusterQueues match. Create one (kueue.x-k8s.io/v1beta1) and label Jobs with kueue.x-k8s.io/queue-name to queue them." : "Loading…");
    }
    const localQueues = ctx.collection("localqueues").list();
    const byKey = new Map(localQueues.map((l) => [keyOf(l), l]));
    const work = workloadsByClusterQueue(ctx.collection("workloads").list(), byKey);
    const none = { pending: [], admitted: [], finished: 0 };
    const one = clusterQueues.length === 1;
    const limit = state.limit ?? (one ? longLimit : shortLimit);
    const more = () => { state.limit = (state.limit ?? limit) * 4; ctx.setQuery({}); };
    return h("div", { id: "queues" }, clusterQueues.slice(0, 50).map((cq) => card(ctx, cq, work.get(cq.metadata.name) ?? none, localQueues, limit, more)),
      clusterQueues.length > 50 ? h("p", { class: "more" }, `Showing 50 of ${clusterQueues.length} ClusterQueues; type a name to narrow.`) : null);
  },
};
