// The rows of a live table, kept filtered and sorted as the cache changes: a change of a few
// objects moves only their rows (a binary search each) instead of filtering and sorting the whole
// cache again, so a stream of watch events costs per event, not per cache size.

/** Comparison of two sort keys (numbers or strings; undefined sorts first). */
function compareKeys(a, b) {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A filtered, sorted view of a Map of key → object. `include(object)` filters, `sortKey(object)`
 * orders (computed once per object version), `dir` is "asc" or "desc"; ties go by key, so the
 * order is total and a row can be found again by binary search.
 */
export class SortedRows {
  constructor({ include = () => true, sortKey = () => 0, dir = "asc" } = {}) {
    this.include = include;
    this.sortKey = sortKey;
    this.sign = dir === "desc" ? -1 : 1;
    /** Sorted [{key, object, sort}]. */
    this.entries = [];
    /** key → its entry, for the rows included. */
    this.byKey = new Map();
  }

  /** The included objects in order. */
  get rows() { return this.entries.map((e) => e.object); }

  /** How many rows are included. */
  get length() { return this.entries.length; }

  /** The object at position `i`. */
  at(i) { return this.entries[i]?.object; }

  compare(a, b) {
    return (compareKeys(a.sort, b.sort) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) * this.sign;
  }

  /** Rebuilds from every object in `items` (a Map). */
  reset(items) {
    this.entries = [];
    this.byKey.clear();
    for (const [key, object] of items) {
      if (!this.include(object)) continue;
      const entry = { key, object, sort: this.sortKey(object) };
      this.entries.push(entry);
      this.byKey.set(key, entry);
    }
    this.entries.sort((a, b) => this.compare(a, b));
  }

  /**
   * Applies the changes to `keys` (an iterable of keys whose objects in `items` changed, were
   * added or were deleted). Returns whether the rows changed. Many changes at once rebuild.
   */
  update(keys, items) {
    const list = [...keys];
    if (list.length > 64 && list.length > this.entries.length / 8) {
      this.reset(items);
      return true;
    }
    let changed = false;
    for (const key of list) {
      const object = items.get(key);
      const old = this.byKey.get(key);
      if (old && old.object === object) continue;
      if (old) {
        this.entries.splice(this.position(old), 1);
        this.byKey.delete(key);
        changed = true;
      }
      if (object !== undefined && this.include(object)) {
        const entry = { key, object, sort: this.sortKey(object) };
        this.entries.splice(this.position(entry), 0, entry);
        this.byKey.set(key, entry);
        changed = true;
      }
    }
    return changed;
  }

  /** The index of `entry`, or where it would go (binary search). */
  position(entry) {
    let lo = 0, hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(this.entries[mid], entry) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
}

/**
 * The rows a scroller of `rowHeight` pixels per row shows: [first, end) around the visible part,
 * with `overscan` rows either side, for `count` rows scrolled to `scrollTop` in a `height` pixels tall view.
 */
export function visibleWindow({ count, rowHeight, scrollTop, height, overscan = 8 }) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + Math.max(height, rowHeight)) / rowHeight) + overscan);
  return { first: Math.min(first, count), end: Math.max(end, Math.min(first, count)) };
}
