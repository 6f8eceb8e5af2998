// A view's big table over one collection, kept across re-renders: a SortedRows model that moves
// only the rows whose objects changed since the last frame (the collection's journal), and a
// VirtualTable that builds only the rows in view. Rebuilt when the filters or the sort change.
import { h } from "../dom.js";
import { SortedRows } from "../lib/rows.js";
import { VirtualTable } from "../virtual.js";

/**
 * The element of a live table, from `state` (the view's per-route state) when its `signature`
 * (filters, sort, namespace: anything `include` or the columns read) is unchanged.
 * options: {collection, signature, include, columns, sort {key, dir}, onSort, rowKey, caption,
 * id, countId, noun ("job"), emptyText, loadingText, before (nodes above the count)}.
 */
export function liveTable(state, options) {
  const { collection, signature } = options;
  let live = state.liveTable;
  if (!live || live.signature !== signature || live.collection !== collection) {
    const column = options.columns.find((c) => c.key === options.sort?.key);
    const rows = new SortedRows({ include: options.include, sortKey: column?.sort ?? (() => 0), dir: options.sort?.dir });
    const table = new VirtualTable({ columns: options.columns, rowKey: options.rowKey, caption: options.caption, id: options.id,
      sort: options.sort, onSort: options.onSort });
    const count = h("p", { class: "muted", id: options.countId });
    live = { signature, collection, rows, table, count, revision: -1,
      element: h("div", {}, options.before ?? null, count, table.element) };
    state.liveTable = live;
  }
  const changes = live.revision < 0 ? null : collection.changesSince(live.revision);
  if (changes === null) live.rows.reset(collection.items);
  else if (changes.size) live.rows.update(changes, collection.items);
  live.revision = collection.revision;
  const n = live.rows.length;
  live.table.setRows(live.rows, { emptyText: collection.synced ? options.emptyText : options.loadingText ?? "Loading…" });
  const text = `${n} ${options.noun}${n === 1 ? "" : "s"}${collection.synced ? "" : " so far (loading)"}`;
  if (live.count.textContent !== text) live.count.textContent = text;
  return live.element;
}
