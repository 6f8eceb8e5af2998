// A virtually scrolled table: all rows scroll, only those in view (and a few either side) are in
// the DOM, so 10,000 rows cost what 40 do. Rows are a fixed height; the rest of the scroll height
// is two spacer rows. Built once per view and updated in place as its rows change.
import { h } from "./dom.js";
import { visibleWindow } from "./lib/rows.js";

/**
 * columns: [{key, title, cell(row) → node|string, sort?, class?, width?}]; `sort` {key, dir} and
 * `onSort(key)` make sortable headers. A row's cells may depend on nothing but its object: an
 * unchanged object (the same reference) keeps its <tr>.
 */
export class VirtualTable {
  constructor({ columns, rowKey, caption, sort, onSort, empty = "Nothing here yet.", rowHeight = 36, id }) {
    this.columns = columns;
    this.rowKey = rowKey;
    this.rowHeight = rowHeight;
    this.emptyText = empty;
    this.source = { length: 0, at: () => undefined };
    /** key → {object, tr} of the rows in the DOM. */
    this.rendered = new Map();
    this.shown = [];
    this.shownKeys = [];
    this.frame = null;
    const headRow = h("tr", { "aria-rowindex": 1 }, columns.map((c) => {
      const active = sort?.key === c.key;
      const ariaSort = active ? (sort.dir === "desc" ? "descending" : "ascending") : "none";
      return h("th", { scope: "col", "aria-sort": c.sort ? ariaSort : null, style: c.width ? { width: c.width } : null },
        c.sort && onSort ? h("button", { class: "sort", type: "button", "data-key": `sort-${c.key}`, onclick: () => onSort(c.key) },
          c.title, active ? (sort.dir === "desc" ? " ▾" : " ▴") : "") : c.title);
    }));
    this.top = this.spacer();
    this.bottom = this.spacer();
    this.body = h("tbody", {});
    this.table = h("table", { class: "virtual" }, caption ? h("caption", {}, caption) : null, h("thead", {}, headRow), this.body);
    // The scroller is focusable so the keyboard can scroll it (arrows, Page Up/Down).
    this.element = h("div", { class: "vscroll", tabindex: "0", role: "region", "aria-label": caption ?? "Table", id,
      onscroll: () => { this.scrollTop = this.element.scrollTop; this.schedule(); } }, this.table);
    // The scroll offset and height are remembered from their events, so a redraw under a stream of
    // changes never forces a layout by reading them.
    this.scrollTop = 0;
    this.height = 0;
    new ResizeObserver(([entry]) => {
      const height = Math.round(entry.contentRect.height);
      if (height !== this.height) { this.height = height; this.schedule(); }
    }).observe(this.element);
  }

  spacer() {
    return h("tr", { class: "spacer", "aria-hidden": "true" }, h("td", { colspan: this.columns.length }));
  }

  /**
   * Shows `source` ({length, at(i)}, e.g. a SortedRows): redraws the rows in view, building only
   * those whose object changed.
   */
  setRows(source, { emptyText } = {}) {
    this.source = source;
    if (emptyText) this.emptyText = emptyText;
    this.table.setAttribute("aria-rowcount", String(source.length + 1));
    this.draw();
  }

  schedule() {
    if (this.frame == null) this.frame = requestAnimationFrame(() => { this.frame = null; this.draw(); });
  }

  buildRow(object, index) {
    const tr = h("tr", { "data-row": this.rowKey(object), "aria-rowindex": index + 2 },
      this.columns.map((c) => h("td", { class: c.class }, c.cell(object))));
    return { object, tr };
  }

  draw() {
    const count = this.source.length;
    if (count === 0) {
      this.rendered.clear();
      this.shown = [];
      this.shownKeys = [];
      this.body.replaceChildren(h("tr", {}, h("td", { colspan: this.columns.length, class: "muted" }, this.emptyText)));
      return;
    }
    // Before the first layout the scroller has no height: assume a screenful.
    const height = this.height || 900;
    const { first, end } = visibleWindow({ count, rowHeight: this.rowHeight, scrollTop: this.scrollTop, height });
    const next = new Map();
    const shown = [];
    const replaced = [];
    for (let i = first; i < end; i++) {
      const object = this.source.at(i);
      const key = this.rowKey(object);
      let row = this.rendered.get(key);
      if (!row || row.object !== object) {
        const old = row;
        row = this.buildRow(object, i);
        if (old) replaced.push([old.tr, row.tr]);
      } else if (row.tr.getAttribute("aria-rowindex") !== String(i + 2)) row.tr.setAttribute("aria-rowindex", String(i + 2));
      next.set(key, row);
      shown.push(row.tr);
    }
    this.top.firstChild.style.height = `${first * this.rowHeight}px`;
    this.bottom.firstChild.style.height = `${(count - end) * this.rowHeight}px`;
    // The same rows in the same order (a change to rows in view, say): swap just the changed ones.
    const sameOrder = this.shown.length === shown.length && this.body.firstChild === this.top
      && [...next.keys()].every((key, i) => key === this.shownKeys[i]);
    if (sameOrder) for (const [old, tr] of replaced) old.replaceWith(tr);
    else this.body.replaceChildren(this.top, ...shown, this.bottom);
    this.rendered = next;
    this.shown = shown;
    this.shownKeys = [...next.keys()];
  }
}
