// Jobs: a filterable, sortable table with progress bars; #/jobs/NS/NAME is one Job's detail.
import { h, ageCell, durationCell, field } from "../dom.js";
import { jobProgress, jobStatus, jobEnd } from "../lib/progress.js";
import { parseTime } from "../lib/format.js";
import { parseSelector, matchesRequirements } from "../lib/selector.js";
import { progressBar, jobBadge, jobLink } from "./common.js";
import jobDetail from "./job-detail.js";
import { liveTable } from "./live-table.js";

const statuses = ["", "Running", "Pending", "Waiting", "Queued", "Complete", "Failed", "Suspended", "Unschedulable"];

function head(ctx, route) {
  if (route.args.length >= 2) return null;
  const q = route.query;
  const name = h("input", { type: "search", value: q.name ?? "", "data-key": "filter-name", placeholder: "part of a name",
    oninput: () => ctx.setQuery({ name: name.value }) });
  const label = h("input", { type: "text", value: q.label ?? "", "data-key": "filter-label", placeholder: "app=web,tier!=db",
    oninput: () => ctx.setQuery({ label: label.value }) });
  const status = h("select", { "data-key": "filter-status", onchange: () => ctx.setQuery({ status: status.value }) },
    statuses.map((s) => h("option", { value: s, selected: (q.status ?? "") === s }, s || "Any status")));
  return h("div", { class: "view-head" }, h("h2", {}, "Jobs"),
    h("form", { class: "filters", role: "search", "aria-label": "Filter jobs", onsubmit: (e) => e.preventDefault() },
      field("Name", name, "name"), field("Label selector", label, "label"), field("Status", status, "status")));
}

const columns = [
  { key: "namespace", title: "Namespace", cell: (j) => j.metadata.namespace, sort: (j) => j.metadata.namespace, width: "9rem" },
  { key: "name", title: "Name", cell: jobLink, sort: (j) => j.metadata.name, width: "22%" },
  { key: "status", title: "Status", cell: jobBadge, sort: jobStatus, width: "9rem" },
  { key: "progress", title: "Progress", cell: progressBar, sort: (j) => { const p = jobProgress(j); return p.succeeded / p.target; } },
  { key: "duration", title: "Duration", cell: (j) => durationCell(j.status?.startTime, jobEnd(j)), width: "7rem",
    sort: (j) => (parseTime(jobEnd(j)) ?? Date.now()) - (parseTime(j.status?.startTime) ?? Date.now()) },
  { key: "age", title: "Age", cell: (j) => ageCell(j.metadata.creationTimestamp), sort: (j) => -(parseTime(j.metadata.creationTimestamp) ?? 0), width: "6rem" },
];

/**
 * The Jobs table: all matching Jobs in a virtually scrolled table kept across frames, so a stream
 * of Job changes moves only the changed rows (see live-table.js).
 */
function list(ctx, route, state) {
  const q = route.query;
  let requirements = [];
  let selectorError = null;
  try { requirements = parseSelector(q.label ?? ""); } catch (e) { selectorError = e.message; }
  const sort = { key: q.sort ?? "age", dir: q.dir ?? "asc" };
  return liveTable(state, {
    collection: ctx.collection("jobs"),
    signature: JSON.stringify([ctx.namespace, q.name, q.label, q.status, sort]),
    include: (j) => ctx.inNamespace(j) && (!q.name || j.metadata.name.includes(q.name))
      && (!q.status || jobStatus(j) === q.status) && matchesRequirements(requirements, j.metadata.labels ?? {}),
    columns, sort, caption: "Jobs", id: "jobs-table", countId: "jobs-count", noun: "job",
    rowKey: (j) => `${j.metadata.namespace}/${j.metadata.name}`,
    onSort: (key) => ctx.setQuery({ sort: key, dir: q.sort === key && q.dir !== "desc" ? "desc" : "asc" }),
    emptyText: "No jobs match.",
    before: selectorError ? h("p", { class: "error", role: "alert" }, selectorError) : null,
  });
}

export default {
  title: (route) => (route.args.length >= 2 ? `Job ${route.args[1]}` : "Jobs"),
  needs: (route) => (route.args.length >= 2 ? ["jobs", "pods", "events", "usage"] : ["jobs"]),
  head,
  body: (ctx, route, state) => (route.args.length >= 2 ? jobDetail(ctx, route.args[0], route.args[1]) : list(ctx, route, state)),
};
