// One pod (#/pods/NS/NAME): status, containers, conditions, events, and the log viewer.
import { h, table, ageCell, facts, badge, link } from "../dom.js";
import { podStatus, podRestarts, unschedulable } from "../lib/progress.js";
import { routeHash } from "../lib/router.js";
import { conditionsTable } from "./job-detail.js";
import { eventsTable } from "./common.js";
import { logViewer } from "./logs.js";

function containersTable(pod) {
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  return table({
    columns: [
      { key: "name", title: "Container", cell: (c) => c.name },
      { key: "state", title: "State", cell: (c) => { const s = statuses.get(c.name)?.state ?? {}; return Object.keys(s)[0] ?? "—"; } },
      { key: "restarts", title: "Restarts", cell: (c) => String(statuses.get(c.name)?.restartCount ?? 0), class: "num" },
      { key: "exit", title: "Exit code", cell: (c) => { const s = statuses.get(c.name); return String((s?.state?.terminated ?? s?.lastState?.terminated)?.exitCode ?? "—"); }, class: "num" },
      { key: "command", title: "Command", cell: (c) => (c.command ?? []).concat(c.args ?? []).join(" "), class: "wrap mono" },
    ],
    rows: pod.spec?.containers ?? [], rowKey: (c) => c.name,
  });
}

export default {
  title: (route) => `Pod ${route.args[1] ?? ""}`,
  needs: () => ["pods", "events"],
  headAfter: true,
  head: (ctx, route, state) => (route.args.length >= 2 ? logViewer(ctx, route.args[0], route.args[1], state) : null),
  body(ctx, route) {
    const [namespace, name] = route.args;
    if (!name) return h("p", {}, "Choose a pod from a Job or a node.");
    const pods = ctx.collection("pods");
    const pod = pods.items.get(`${namespace}/${name}`);
    if (!pod) return h("p", { class: "muted" }, pods.synced ? `Pod ${namespace}/${name} was not found.` : "Loading…");
    const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
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
      ])),
      h("section", { class: "panel" }, h("h3", {}, "Containers"), containersTable(pod)),
      h("section", { class: "panel" }, h("h3", {}, "Conditions"), conditionsTable(pod)),
      h("section", { class: "panel" }, h("h3", {}, "Events"), eventsTable(events, { limit: 50, showObject: false })));
  },
};
