// CronJobs: schedule in words and as written, time zone, next run, last schedule, active jobs,
// suspend toggle, "run now", and each CronJob's child jobs with their outcomes.
import { h, table, ageCell, relativeCell, badge } from "../dom.js";
import { cronInWords, nextRun } from "../lib/cron.js";
import { manualJob, manualJobName } from "../lib/manifests.js";
import { objectPath, collectionIn } from "../api.js";
import { jobStatus } from "../lib/progress.js";
import { jobLink, jobBadge, progressBar } from "./common.js";

/** The jobs a CronJob owns, newest first. */
function childrenOf(cronJob, jobs) {
  return jobs.filter((j) => (j.metadata.ownerReferences ?? []).some((o) => o.uid === cronJob.metadata.uid))
    .sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? 1 : -1));
}

function nextText(cj) {
  if (cj.spec?.suspend) return "suspended";
  try {
    const next = nextRun(cj.spec.schedule, Date.now(), cj.spec.timeZone ?? null);
    return next == null ? "never" : relativeCell(new Date(next).toISOString());
  } catch (e) { return e.message; }
}

function card(ctx, cj, jobs) {
  const { namespace, name } = cj.metadata;
  const path = objectPath("cronjobs", namespace, name);
  const suspended = !!cj.spec?.suspend;
  const children = childrenOf(cj, jobs);
  const outcomes = { Complete: 0, Failed: 0 };
  for (const j of children) { const s = jobStatus(j); if (s in outcomes) outcomes[s]++; }
  return h("article", { class: "panel cronjob", id: `cronjob-${namespace}-${name}`, "aria-labelledby": `cj-${namespace}-${name}` },
    h("div", { class: "detail-head" },
      h("h3", { id: `cj-${namespace}-${name}` }, h("span", { class: "name" }, name), " ", h("span", { class: "muted" }, namespace), " ",
        suspended ? badge("Suspended") : badge("Active", "running")),
      h("div", { class: "actions", role: "group", "aria-label": `Actions for ${name}` },
        h("button", { type: "button", "data-key": `cj-suspend-${namespace}-${name}`, class: "secondary",
          onclick: () => ctx.act(suspended ? `${name} resumed.` : `${name} suspended.`, () => ctx.api.mergePatch(path, { spec: { suspend: !suspended } })) },
        suspended ? "Resume" : "Suspend"),
        h("button", { type: "button", "data-key": `cj-run-${namespace}-${name}`, onclick: async () => {
          const created = await ctx.act(null, () => ctx.api.post(collectionIn("jobs", namespace), manualJob(cj, manualJobName(name))));
          if (created) ctx.notify(`Started job ${created.metadata.name}.`);
        } }, "Run now"))),
    h("dl", { class: "facts" },
      h("dt", {}, "Schedule"), h("dd", {}, h("span", { class: "words" }, cronInWords(cj.spec?.schedule)), " ", h("code", {}, cj.spec?.schedule ?? "")),
      h("dt", {}, "Time zone"), h("dd", {}, cj.spec?.timeZone ?? "UTC (server default)"),
      h("dt", {}, "Next run"), h("dd", {}, nextText(cj)),
      h("dt", {}, "Last schedule"), h("dd", {}, cj.status?.lastScheduleTime ? ageCell(cj.status.lastScheduleTime) : "never"),
      h("dt", {}, "Last success"), h("dd", {}, cj.status?.lastSuccessfulTime ? ageCell(cj.status.lastSuccessfulTime) : "—"),
      h("dt", {}, "Active"), h("dd", {}, String((cj.status?.active ?? []).length)),
      h("dt", {}, "Concurrency"), h("dd", {}, cj.spec?.concurrencyPolicy ?? "Allow"),
      h("dt", {}, "Outcomes"), h("dd", {}, `${outcomes.Complete} succeeded, ${outcomes.Failed} failed of ${children.length} kept`)),
    table({
      columns: [
        { key: "name", title: "Job", cell: jobLink },
        { key: "status", title: "Status", cell: jobBadge },
        { key: "progress", title: "Progress", cell: progressBar },
        { key: "how", title: "Started by", cell: (j) => (j.metadata.annotations?.["cronjob.kubernetes.io/instantiate"] === "manual" ? "run now" : "schedule") },
        { key: "age", title: "Age", cell: (j) => ageCell(j.metadata.creationTimestamp) },
      ],
      rows: children, limit: 20, empty: "No child jobs yet.", caption: `Jobs of ${name}`, rowKey: (j) => j.metadata.name,
    }));
}

export default {
  title: () => "CronJobs",
  needs: () => ["cronjobs", "jobs"],
  body(ctx, route) {
    const cronJobs = ctx.collection("cronjobs").list().filter(ctx.inNamespace)
      .filter((c) => !route.query.name || c.metadata.name === route.query.name)
      .sort((a, b) => (`${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1));
    const jobs = ctx.collection("jobs").list();
    return h("div", {}, h("h2", {}, "CronJobs"),
      cronJobs.length === 0 ? h("p", { class: "muted" }, ctx.collection("cronjobs").synced ? "No cron jobs." : "Loading…")
        : cronJobs.slice(0, 200).map((cj) => card(ctx, cj, jobs)));
  },
};
