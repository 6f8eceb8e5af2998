// One Job: spec summary, dependency chain, conditions (with Drover's PodsUnschedulable and
// DependenciesSatisfied), pods, events and actions.
import { h, table, ageCell, facts, badge } from "../dom.js";
import { jobStatus, jobEnd, podStatus, podRestarts, podExit, queuePosition } from "../lib/progress.js";
import { duration, formatCPU, formatBytes } from "../lib/format.js";
import { selectorText } from "../lib/selector.js";
import { rerunJob } from "../lib/manifests.js";
import { objectPath, collectionIn } from "../api.js";
import { routeHash } from "../lib/router.js";
import { upstreamOf, downstreamOf, dependencyState } from "../lib/dependencies.js";
import { progressBar, jobBadge, jobLink, podLink, eventsTable } from "./common.js";

/** The pods a Job owns: by controller ownerReference, else by its selector's controller-uid. */
export function podsOf(job, pods) {
  const uid = job.metadata.uid;
  return pods.filter((p) => (p.metadata.ownerReferences ?? []).some((o) => o.uid === uid)
    || p.metadata.labels?.["batch.kubernetes.io/controller-uid"] === uid);
}

export function conditionsTable(object) {
  return table({
    columns: [
      { key: "type", title: "Type", cell: (c) => c.type },
      { key: "status", title: "Status", cell: (c) => c.status },
      { key: "reason", title: "Reason", cell: (c) => c.reason ?? "" },
      { key: "message", title: "Message", cell: (c) => c.message ?? "", class: "wrap" },
      { key: "since", title: "Since", cell: (c) => ageCell(c.lastTransitionTime) },
    ],
    rows: object.status?.conditions ?? [], empty: "No conditions.", rowKey: (c) => c.type,
  });
}

function actions(ctx, job) {
  const path = objectPath("jobs", job.metadata.namespace, job.metadata.name);
  const suspended = !!job.spec?.suspend;
  const finished = ["Complete", "Failed"].includes(jobStatus(job));
  // A queued Job is started by the queue manager when quota frees; resuming it by hand is undone.
  const queued = jobStatus(job) === "Queued";
  return h("div", { class: "actions", role: "group", "aria-label": "Job actions" },
    finished || queued ? null : h("button", { type: "button", id: "job-suspend", "data-key": "job-suspend",
      onclick: () => ctx.act(suspended ? "Job resumed." : "Job suspended.", () => ctx.api.mergePatch(path, { spec: { suspend: !suspended } })) },
    suspended ? "Resume" : "Suspend"),
    h("button", { type: "button", id: "job-rerun", "data-key": "job-rerun", onclick: async () => {
      const created = await ctx.act(null, () => ctx.api.post(collectionIn("jobs", job.metadata.namespace), rerunJob(job)));
      if (created) { ctx.notify(`Created job ${created.metadata.name}.`); ctx.navigate("jobs", [created.metadata.namespace, created.metadata.name]); }
    } }, "Rerun"),
    h("button", { type: "button", class: "danger", id: "job-delete", "data-key": "job-delete", onclick: async () => {
      if (!confirm(`Delete job ${job.metadata.name} and its pods?`)) return;
      const done = await ctx.act(`Job ${job.metadata.name} deleted.`, () => ctx.api.del(path));
      if (done !== null) ctx.navigate("jobs");
    } }, "Delete"));
}

/**
 * What the Job waits for (drover.dev/depends-on) and what waits for it, each Job linked with its
 * state; null when it has neither.
 */
function dependencyPanel(job, jobs) {
  const upstream = upstreamOf(job, jobs);
  const downstream = downstreamOf(job, jobs);
  if (!upstream.length && !downstream.length) return null;
  const verdictBadge = (v) => badge(v, v === "satisfied" ? "complete" : v === "never" ? "failed" : "pending");
  return h("section", { class: "panel", id: "job-dependencies" }, h("h3", {}, "Dependencies"),
    upstream.length ? table({
      caption: "Waits for",
      columns: [
        { key: "requirement", title: "Requirement", cell: (r) => r.requirement },
        { key: "job", title: "Job", cell: (r) => (r.job ? jobLink(r.job) : r.name ?? (r.blockers.length ? h("span", {}, r.blockers.flatMap((b, i) => [i ? ", " : "", jobLink(b)])) : "—")) },
        { key: "state", title: "State", cell: (r) => (r.name ? badge(r.state) : r.blockers.map((b) => badge(`${b.metadata.name} ${dependencyState(b)}`, dependencyState(b)))) },
        { key: "verdict", title: "Verdict", cell: (r) => verdictBadge(r.verdict) },
      ],
      rows: upstream, rowKey: (r) => r.requirement,
    }) : null,
    downstream.length ? table({
      caption: "Waited for by",
      columns: [
        { key: "job", title: "Job", cell: (r) => jobLink(r.job) },
        { key: "requirement", title: "Requires", cell: (r) => r.requirement },
        { key: "state", title: "State", cell: (r) => badge(r.state) },
      ],
      rows: downstream, rowKey: (r) => `${r.job.metadata.name} ${r.requirement}`,
    }) : null);
}

function podsTable(pods, usage) {
  const used = (p) => usage.get(`${p.metadata.namespace}/${p.metadata.name}`);
  return table({
    columns: [
      { key: "name", title: "Pod", cell: podLink, sort: (p) => p.metadata.name },
      { key: "phase", title: "Phase", cell: (p) => p.status?.phase ?? "—", sort: (p) => p.status?.phase ?? "" },
      { key: "status", title: "Status", cell: (p) => badge(podStatus(p)), sort: podStatus },
      { key: "node", title: "Node", cell: (p) => p.spec?.nodeName ?? "—", sort: (p) => p.spec?.nodeName ?? "" },
      { key: "restarts", title: "Restarts", cell: (p) => String(podRestarts(p)), class: "num", sort: podRestarts },
      { key: "exit", title: "Exit code", cell: (p) => String(podExit(p)?.exitCode ?? "—"), class: "num" },
      { key: "cpu", title: "CPU used", cell: (p) => formatCPU(used(p)?.cpu), class: "num", sort: (p) => used(p)?.cpu ?? -1 },
      { key: "memory", title: "Memory used", cell: (p) => formatBytes(used(p)?.memory), class: "num", sort: (p) => used(p)?.memory ?? -1 },
      { key: "reason", title: "Reason", cell: (p) => podExit(p)?.reason || (p.status?.conditions ?? []).find((c) => c.status === "False")?.message || "", class: "wrap" },
      { key: "age", title: "Age", cell: (p) => ageCell(p.metadata.creationTimestamp), sort: (p) => p.metadata.creationTimestamp },
    ],
    rows: pods, sort: { key: "age", dir: "asc" }, empty: "No pods yet.", rowKey: (p) => p.metadata.name,
  });
}

const queueLabel = "kueue.x-k8s.io/queue-name";

/**
 * Where a queued Job waits, from the QuotaReserved condition the queue manager mirrors onto it:
 * resuming it by hand would not help (the queue manager suspends it again until quota is free).
 */
function queueNote(job) {
  const waiting = job.spec?.suspend ? queuePosition(job) : null;
  if (!waiting) return null;
  return h("p", { class: "panel notice-panel", id: "job-queue", role: "status" },
    waiting.position ? h("strong", {}, `Position ${waiting.position} of ${waiting.of} in its queue. `) : null,
    waiting.message, " ", h("a", { href: routeHash("queues") }, "See the queues"), ".");
}

/** The detail page body. */
export default function jobDetail(ctx, namespace, name) {
  const jobs = ctx.collection("jobs");
  const job = jobs.items.get(`${namespace}/${name}`);
  if (!job) return h("p", { class: "muted" }, jobs.synced ? `Job ${namespace}/${name} was not found (it may have been deleted).` : "Loading…");
  const spec = job.spec ?? {};
  const container = spec.template?.spec?.containers?.[0] ?? {};
  const pods = podsOf(job, ctx.collection("pods").list());
  const events = ctx.collection("events").list().filter((e) => e.involvedObject?.uid === job.metadata.uid
    || (e.involvedObject?.kind === "Job" && e.involvedObject?.name === name && e.involvedObject?.namespace === namespace)
    || pods.some((p) => e.involvedObject?.uid === p.metadata.uid));
  const owner = (job.metadata.ownerReferences ?? []).find((o) => o.controller);
  return h("article", { class: "detail", "aria-labelledby": "job-title" },
    h("div", { class: "detail-head" },
      h("h2", { id: "job-title" }, "Job ", h("span", { class: "name" }, name), " ", jobBadge(job)),
      actions(ctx, job)),
    queueNote(job),
    h("div", { class: "panel" }, progressBar(job)),
    h("section", { class: "panel" }, h("h3", {}, "Spec"), facts([
      ["Namespace", namespace],
      ["Queue", job.metadata.labels?.[queueLabel] ? h("a", { href: routeHash("queues") }, `LocalQueue ${job.metadata.labels[queueLabel]}`) : null],
      ["Owner", owner ? (owner.kind === "CronJob" ? h("a", { href: routeHash("cronjobs", [], { name: owner.name }) }, `CronJob/${owner.name}`) : `${owner.kind}/${owner.name}`) : null],
      ["Completions", String(spec.completions ?? "—")], ["Parallelism", String(spec.parallelism ?? 1)],
      ["Completion mode", spec.completionMode ?? "NonIndexed"], ["Backoff limit", String(spec.backoffLimit ?? 6)],
      ["Suspend", spec.suspend ? "yes" : "no"], ["Selector", selectorText(spec.selector)],
      ["Command", (container.command ?? []).concat(container.args ?? []).join(" ")], ["Image", container.image],
      ["Requests", Object.entries(container.resources?.requests ?? {}).map(([k, v]) => `${k}=${v}`).join(", ")],
      ["Started", job.status?.startTime ? ageCell(job.status.startTime) : null],
      ["Duration", duration(job.status?.startTime, jobEnd(job))],
      ["Labels", Object.entries(job.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(", ")],
    ])),
    dependencyPanel(job, jobs.list()),
    h("section", { class: "panel", id: "job-conditions" }, h("h3", {}, "Conditions"), conditionsTable(job)),
    h("section", { class: "panel", id: "job-pods" }, h("h3", {}, `Pods (${pods.length})`), podsTable(pods, ctx.collection("usage").pods)),
    h("section", { class: "panel", id: "job-events" }, h("h3", {}, "Events"), eventsTable(events, { limit: 50 })));
}
