// DaemonSets: desired / current / ready / up to date / available / misscheduled as the API's status
// gives them (the DaemonSet controller writes it), and the pods on each node. Cards as in the
// Deployments view; #/daemonsets?name=X narrows to one.
import { h, table, ageCell, badge, link, field } from "../dom.js";
import { podStatus } from "../lib/progress.js";
import { selectorText } from "../lib/selector.js";
import { routeHash } from "../lib/router.js";
import { daemonSetStatus, podsPerNode } from "../lib/daemonsets.js";
import { nameMatches } from "./common.js";

const number = (v) => (v == null ? "—" : String(v));

function podsTable(ds, pods) {
  const rows = podsPerNode(ds, pods);
  return table({
    columns: [
      { key: "node", title: "Node", cell: (r) => (r.node ? link(routeHash("nodes", [], { node: r.node }), r.node) : h("span", { class: "muted" }, "not scheduled")) },
      { key: "pods", title: "Pods", class: "wrap", cell: (r) => r.pods.flatMap((p, i) => [i ? ", " : null,
        link(routeHash("pods", [p.metadata.namespace, p.metadata.name]), p.metadata.name), " ", badge(podStatus(p))]) },
      { key: "count", title: "Count", class: "num", cell: (r) => h("span", { class: r.pods.length > 1 ? "error" : null }, String(r.pods.length)) },
    ],
    rows, limit: 100, caption: `Pods of ${ds.metadata.name} per node`, empty: "No pods yet.", rowKey: (r) => r.node ?? "",
  });
}

function card(ds, pods) {
  const { namespace, name } = ds.metadata;
  const s = daemonSetStatus(ds);
  const template = ds.spec?.template?.spec ?? {};
  const nodeSelector = Object.entries(template.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
  return h("article", { class: "panel", id: `daemonset-${namespace}-${name}`, "aria-labelledby": `ds-${namespace}-${name}` },
    h("div", { class: "detail-head" },
      h("h3", { id: `ds-${namespace}-${name}` }, h("span", { class: "name" }, name), " ", h("span", { class: "muted" }, namespace), " ",
        badge(s.state, s.state === "Available" ? "complete" : "pending"))),
    h("dl", { class: "facts" },
      h("dt", {}, "Desired"), h("dd", { class: "ds-desired" }, number(s.desired)),
      h("dt", {}, "Current"), h("dd", { class: "ds-current" }, number(s.current)),
      h("dt", {}, "Ready"), h("dd", { class: "ds-ready" }, number(s.ready)),
      h("dt", {}, "Up to date"), h("dd", {}, number(s.updated)),
      h("dt", {}, "Available"), h("dd", {}, number(s.available)),
      h("dt", {}, "Misscheduled"), h("dd", {}, number(s.misscheduled)),
      h("dt", {}, "Selector"), h("dd", {}, h("code", {}, selectorText(ds.spec?.selector) || "—")),
      h("dt", {}, "Node selector"), h("dd", {}, nodeSelector ? h("code", {}, nodeSelector) : "every node"),
      h("dt", {}, "Update strategy"), h("dd", {}, ds.spec?.updateStrategy?.type ?? "RollingUpdate"),
      h("dt", {}, "Age"), h("dd", {}, ageCell(ds.metadata.creationTimestamp))),
    s.state === "Not observed" ? h("p", { class: "muted note" }, "No controller has written this DaemonSet's status yet: the numbers appear once the DaemonSet controller runs.") : null,
    podsTable(ds, pods));
}

export default {
  title: () => "DaemonSets",
  needs: () => ["daemonsets", "pods"],
  head(ctx, route) {
    const filter = h("input", { type: "search", value: route.query.name ?? "", "data-key": "ds-filter", placeholder: "part of a name",
      oninput: () => ctx.setQuery({ name: filter.value }) });
    return h("div", { class: "view-head" }, h("h2", {}, "DaemonSets"),
      h("form", { class: "filters", role: "search", "aria-label": "Filter DaemonSets", onsubmit: (e) => e.preventDefault() }, field("Name", filter, "name")));
  },
  body(ctx, route) {
    const daemonSets = ctx.collection("daemonsets").list().filter((ds) => ctx.inNamespace(ds) && nameMatches(route.query.name, ds))
      .sort((a, b) => (`${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1));
    if (daemonSets.length === 0) return h("p", { class: "muted" }, ctx.collection("daemonsets").synced ? "No DaemonSets." : "Loading…");
    // Only pods with an owner that is a DaemonSet (or none) can be one's: the rest are skipped once.
    const pods = ctx.collection("pods").list().filter((p) => (p.metadata.ownerReferences ?? []).every((o) => o.kind === "DaemonSet"));
    return h("div", { id: "daemonsets" }, daemonSets.slice(0, 100).map((ds) => card(ds, pods)),
      daemonSets.length > 100 ? h("p", { class: "more" }, `Showing 100 of ${daemonSets.length}; type a name to narrow.`) : null);
  },
};
