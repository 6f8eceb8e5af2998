// Small DOM helpers shared by the views: element building, tables, bars, ticking times.
import { age, relative, parseTime, duration } from "./lib/format.js";

/** Creates an element: h("a", {href: "#/x", class: "k"}, "text", child). `on*` attributes become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "style" && typeof v === "object") Object.assign(el.style, v);
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** A link to a route. */
export const link = (hash, text, attrs = {}) => h("a", { href: hash, ...attrs }, text);

/** A <time> showing the age of `timestamp`; the ticker keeps it current. */
export function ageCell(timestamp) {
  return h("time", { datetime: timestamp ?? "", "data-age": timestamp ?? "", title: timestamp ?? "" }, age(timestamp));
}

/** A <time> showing "in 3m" / "5s ago"; the ticker keeps it current. */
export function relativeCell(timestamp) {
  return h("time", { datetime: timestamp ?? "", "data-relative": timestamp ?? "", title: timestamp ?? "" }, relative(timestamp));
}

/** A duration from `start` to `end`, or to now while there is no end; the ticker keeps it current. */
export function durationCell(start, end) {
  const attrs = end ? {} : { "data-since": start ?? "" };
  return h("span", { class: "duration", ...attrs }, duration(start, end));
}

/** Updates every ticking time on the page (called once a second). */
export function tick(root = document) {
  const now = Date.now();
  // Text is written only when it changed: an unchanged write still costs the table a layout.
  const set = (el, text) => { if (el.textContent !== text) el.textContent = text; };
  for (const el of root.querySelectorAll("time[data-age]")) if (parseTime(el.dataset.age) != null) set(el, age(el.dataset.age, now));
  for (const el of root.querySelectorAll("[data-since]")) if (parseTime(el.dataset.since) != null) set(el, duration(el.dataset.since, null, now));
  for (const el of root.querySelectorAll("time[data-relative]")) if (parseTime(el.dataset.relative) != null) set(el, relative(el.dataset.relative, now));
}

/** A horizontal bar of segments [{value (percent), class, label}], with a text label for screen readers. */
export function bar(segments, label, attrs = {}) {
  return h("div", { class: "bar", role: "img", "aria-label": label, title: label, ...attrs },
    segments.filter((s) => s.value > 0).map((s) => h("span", { class: `seg ${s.class}`, style: { width: `${s.value}%` } })));
}

/** A status badge. */
export const badge = (text, kind = text) => h("span", { class: `badge badge-${String(kind).toLowerCase()}` }, text);

/**
 * A sortable table for small sets (a Job's pods, a CronJob's children); big lists use
 * VirtualTable (js/virtual.js). columns: [{key, title, cell(row) → node|string, sort(row) → comparable}].
 * `sort` is {key, dir}; `onSort(key)` is called when a header is activated. Shows `limit` rows and
 * a "show more" button.
 */
export function table({ columns, rows, sort, onSort, limit = 200, onMore, empty = "Nothing here yet.", caption, rowKey }) {
  const sorted = sort?.key ? sortRows(rows, columns.find((c) => c.key === sort.key), sort.dir) : rows;
  const shown = sorted.slice(0, limit);
  const head = h("tr", {}, columns.map((c) => {
    const active = sort?.key === c.key;
    const ariaSort = active ? (sort.dir === "desc" ? "descending" : "ascending") : "none";
    return h("th", { scope: "col", "aria-sort": c.sort ? ariaSort : null },
      c.sort && onSort ? h("button", { class: "sort", type: "button", "data-key": `sort-${c.key}`, onclick: () => onSort(c.key) },
        c.title, active ? (sort.dir === "desc" ? " ▾" : " ▴") : "") : c.title);
  }));
  const body = shown.length === 0
    ? [h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, empty))]
    : shown.map((r) => h("tr", { "data-row": rowKey ? rowKey(r) : null }, columns.map((c) => h("td", { class: c.class }, c.cell(r)))));
  const t = h("table", {}, caption ? h("caption", {}, caption) : null, h("thead", {}, head), h("tbody", {}, body));
  const more = sorted.length > limit
    ? h("p", { class: "more" }, `Showing ${limit} of ${sorted.length}. `,
      onMore ? h("button", { type: "button", "data-key": "more", onclick: onMore }, "Show more") : null)
    : null;
  return h("div", { class: "table-wrap" }, t, more);
}

function sortRows(rows, column, dir) {
  if (!column?.sort) return rows;
  const sign = dir === "desc" ? -1 : 1;
  // Each row's key is computed once, not once per comparison.
  const keyed = rows.map((row) => ({ row, key: column.sort(row) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * sign);
  return keyed.map((k) => k.row);
}

/** A definition list from [[term, value], ...], skipping empty values. */
export function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== "")
    .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

/** A labelled form control: label text, then the control, then a slot for the field's error. */
export function field(labelText, control, name) {
  const id = control.id || `f-${name}`;
  control.id = id;
  const error = h("span", { class: "field-error", id: `${id}-error`, "data-error-for": name, "aria-live": "polite" });
  control.setAttribute("aria-describedby", error.id);
  return h("div", { class: "field" }, h("label", { for: id }, labelText), control, error);
}
