// Events: all events, filterable by object (kind/name) and type, newest first.
import { h, field } from "../dom.js";
import { eventsTable } from "./common.js";

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
  body(ctx, route) {
    const q = route.query;
    const wanted = (q.object ?? "").toLowerCase();
    const events = ctx.collection("events").list().filter((e) => ctx.inNamespace(e)
      && (!q.type || e.type === q.type)
      && (!wanted || `${e.involvedObject?.kind}/${e.involvedObject?.name}`.toLowerCase().includes(wanted)));
    const limit = Number(q.limit ?? 200);
    return h("div", { id: "events-list" }, h("p", { class: "muted" }, `${events.length} events`),
      eventsTable(events, { limit, onMore: () => ctx.setQuery({ limit: String(limit + 500) }) }));
  },
};
