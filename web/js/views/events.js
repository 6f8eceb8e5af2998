// Events: all events, filterable by object (kind/name) and type, newest first, in a virtually
// scrolled live table (a cluster keeps thousands).
import { h, field } from "../dom.js";
import { eventColumns } from "./common.js";
import { keyOf } from "../lib/watch.js";
import { liveTable } from "./live-table.js";

export default {
  title: () => "Events",
  needs: () => ["events"],
  head(ctx, route) {
    const object = h("input", { type: "search", value: route.query.object ?? "", "data-key": "events-object", placeholder: "Job/name or a name",
      oninput: () => ctx.setQuery({ object: object.value }) });
    const type = h("select", { "data-key": "events-type", onchange: () => ctx.setQuery({ type: type.value }) },
      ["", "Normal", "Warning"].map((t) => h("option", { value: t, selected: (route.query.type ?? "") === t }, t || "Any type")));
    return h("div", { class: "view-head" }, h("h2", {}, "Events"),
      h("form", { class: "filters", role: "search", "aria-label": "Filter events", onsubmit: (e) => e.preventDefault() },
        field("Object", object, "object"), field("Type", type, "type")));
  },
  body(ctx, route, state) {
    const q = route.query;
    const wanted = (q.object ?? "").toLowerCase();
    const columns = eventColumns();
    const sort = { key: q.sort ?? "last", dir: q.dir ?? (q.sort ? "asc" : "desc") };
    return liveTable(state, {
      collection: ctx.collection("events"),
      signature: JSON.stringify([ctx.namespace, q.type, wanted, sort]),
      include: (e) => ctx.inNamespace(e) && (!q.type || e.type === q.type)
        && (!wanted || `${e.involvedObject?.kind}/${e.involvedObject?.name}`.toLowerCase().includes(wanted)),
      columns, sort, caption: "Events", id: "events-list", countId: "events-count", noun: "event", rowKey: keyOf,
      onSort: (key) => ctx.setQuery({ sort: key, dir: (q.sort ?? "last") === key && sort.dir !== "desc" ? "desc" : "asc" }),
      emptyText: "No events match.",
    });
  },
};
