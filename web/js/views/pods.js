// One pod (#/pods/NS/NAME): status, containers, conditions, events, and the log viewer.
import { h, table, ageCell, facts, badge, link } from "../dom.js";
import { podStatus, podRestarts, unschedulable } from "../lib/progress.js";
import { routeHash } from "../lib/router.js";
import { conditionsTable } from "./job-detail.js";
import { eventsTable } from "./common.js";
import { logViewer } from "./logs.js";
import { podRequests, parseQuantity, formatCPU, formatBytes } from "../lib/format.js";
import { usageText } from "../lib/usage.js";

function containersTable(pod, usage) {
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  const used = (c) => usage?.containers.get(c.name);
  return table({
    columns: [
      { key: "name", title: "Container", cell: (c) => c.name },
      { key: "state", title: "State", cell: (c) => { const s = statuses.get(c.name)?.state ?? {}; return Object.keys(s)[0] ?? "—"; } },
      { key: "restarts", title: "Restarts", cell: (c) => String(statuses.get(c.name)?.restartCount ?? 0), class: "num" },
      { key: "exit", title: "Exit code", cell: (c) => { const s = statuses.get(c.name); return String((s?.state?.terminated ?? s?.lastState?.terminated)?.exitCode ?? "—"); }, class: "num" },
      { key: "cpu", title: "CPU used / requested", class: "num",
        cell: (c) => `${formatCPU(used(c)?.cpu)} / ${formatCPU(parseQuantity(c.resources?.requests?.cpu ?? "0"))}` },
      { key: "memory", title: "Memory used / requested", class: "num",
        cell: (c) => `${formatBytes(used(c)?.memory)} / ${formatBytes(parseQuantity(c.resources?.requests?.memory ?? "0"))}` },
      { key: "command", title: "Command", cell: (c) => (c.command ?? []).concat(c.args ?? []).join(" "), class: "wrap mono" },
    ],
    rows: pod.spec?.containers ?? [], rowKey: (c) => c.name,
  });
}

export default {
  title: (route) => `Pod ${route.args[1] ?? ""}`,
  needs: () => ["pods", "events", "usage"],
  headAfter: true,
  head: (ctx, route, state) => (route.args.length >= 2 ? logViewer(ctx, route.args[0], route.args[1], state) : null),
  body(ctx, route) {
    const [namespace, name] = route.args;
    if (!name) return h("p", {}, "Choose a pod from a Job or a node.");
    const pods = ctx.collection("pods");
    const pod = pods.items.get(`${namespace}/${name}`);
    if (!pod) return h("p", { class: "muted" }, pods.synced ? `Pod ${namespace}/${name} was not found.` : "Loading…");
    const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
    // Usage (metrics.k8s.io, refreshed every resolution) against the pod's effective requests.
    const usage = ctx.collection("usage").pods.get(`${namespace}/${name}`);
    const requests = podRequests(pod);
    const events = ctx.collection("events").list().filter((e) => e.involvedObject?.uid === pod.metadata.uid
      || (e.involvedObject?.kind === "Pod" && e.involvedObject?.name === name && e.involvedObject?.namespace === namespace));
    return h("article", { class: "detail", "aria-labelledby": "pod-title" },
      h("h2", { id: "pod-title" }, "Pod ", h("span", { class: "name" }, name), " ", badge(podStatus(pod))),
      h("section", { class: "panel" }, facts([
        ["Namespace", namespace],
        ["Owner", owner ? (owner.kind === "Job" ? link(routeHash("jobs", [namespace, owner.name]), `Job/${owner.name}`) : `${owner.kind}/${owner.name}`) : null],
        ["Node", pod.spec?.nodeName ? link(routeHash("nodes", [], { node: pod.spec.nodeName }), pod.spec.nodeName) : "not scheduled"],
        ["Waiting because", unschedulable(pod)],
        ["Phase", pod.status?.phase], ["Restarts", String(podRestarts(pod))],
        ["Created", ageCell(pod.metadata.creationTimestamp)], ["Pod IP", pod.status?.podIP],
        ["CPU used", h("span", { id: "pod-usage-cpu" }, usageText(usage?.cpu, requests.cpu, "cpu"))],
        ["Memory used", h("span", { id: "pod-usage-memory" }, usageText(usage?.memory, requests.memory, "memory"))],
      ])),
      h("section", { class: "panel" }, h("h3", {}, "Containers"), containersTable(pod, usage)),
      h("section", { class: "panel" }, h("h3", {}, "Conditions"), conditionsTable(pod)),
      h("section", { class: "panel" }, h("h3", {}, "Events"), eventsTable(events, { limit: 50, showObject: false })));
  },
};
