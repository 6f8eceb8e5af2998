// Watch-backed collections: list, then watch from the list's resourceVersion; reconnect from the
// last resourceVersion after a drop, relist after 410 Gone. Views subscribe and re-render.
import { LineBuffer, parseEvent, applyEvent, keyOf, reconnectDelay, watchURL } from "./lib/watch.js";

/** How many changed keys a collection remembers for `changesSince` before a reader must start over. */
const journalLimit = 20000;

/** One resource's live cache. */
export class Collection {
  constructor(api, path, { sleep = (ms) => new Promise((r) => setTimeout(r, ms)), pageSize = 500, clock = () => Date.now() } = {}) {
    this.api = api;
    this.path = path;
    this.sleep = sleep;
    this.pageSize = pageSize;
    this.clock = clock;
    this.items = new Map();
    this.resourceVersion = "";
    this.synced = false;
    this.error = null;
    this.listeners = new Set();
    this.stopped = true;
    this.controller = null;
    /** Counts for tests and the status line: lists and watches opened. */
    this.stats = { lists: 0, watches: 0 };
    /**
     * Bumped by every change; `journal` holds the keys changed after revision `journalBase`, so a
     * view can update the rows that changed instead of re-sorting the whole cache per frame.
     */
    this.revision = 0;
    this.journal = [];
    this.journalBase = 0;
  }

  /**
   * The keys changed after `revision` (a Set, possibly empty), or null when the cache was replaced
   * since (a list) or too much changed to remember: the reader then starts over from `items`.
   */
  changesSince(revision) {
    if (revision < this.journalBase || revision > this.revision) return null;
    return new Set(this.journal.slice(revision - this.journalBase));
  }

  changed(key) {
    this.revision++;
    this.journal.push(key);
    if (this.journal.length > journalLimit) {
      const dropped = this.journal.length - journalLimit / 2;
      this.journal = this.journal.slice(dropped);
      this.journalBase += dropped;
    }
  }

  /** The cache was replaced wholesale: readers start over. */
  replaced() {
    this.revision++;
    this.journal = [];
    this.journalBase = this.revision;
  }

  /** Adds a listener called after every batch of changes; starts the collection. Returns an unsubscribe function. */
  subscribe(listener) {
    this.listeners.add(listener);
    this.start();
    if (this.synced) listener(this);
    return () => {
      this.listeners.delete(listener);
      // A browser allows only 6 HTTP/1.1 connections per host and each watch holds one, so a
      // collection no view shows stops watching; its cache stays and it resumes from its
      // resourceVersion when a view needs it again.
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** The cached objects as an array. */
  list() { return [...this.items.values()]; }

  notify() { for (const l of this.listeners) l(this); }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.generation = (this.generation ?? 0) + 1;
    this.done = this.run(this.generation);
  }

  /** Ends the watch (when no view needs it, and on sign-out). */
  stop() {
    this.stopped = true;
    this.controller?.abort();
  }

  /**
   * Lists in pages of `pageSize` (the server's limit/continue). The first list shows each page as
   * it arrives, so a big cluster's first rows appear before the last page; a relist (after 410)
   * swaps the cache only when complete, so the view does not shrink meanwhile.
   */
  async relist() {
    const first = !this.synced;
    const items = first ? this.items : new Map();
    if (first) { items.clear(); this.replaced(); }
    let token = "", metadata = {};
    do {
      const sep = this.path.includes("?") ? "&" : "?";
      const page = await this.api.get(`${this.path}${sep}limit=${this.pageSize}${token ? "&continue=" + encodeURIComponent(token) : ""}`,
        { signal: this.controller.signal });
      for (const item of page.items ?? []) {
        const key = keyOf(item);
        items.set(key, item);
        if (first) this.changed(key);
      }
      metadata = page.metadata ?? {};
      token = metadata.continue ?? "";
      if (first && token) this.notify();
    } while (token);
    this.stats.lists++;
    if (!first) {
      this.items = items;
      this.replaced();
    }
    this.resourceVersion = metadata.resourceVersion ?? "";
    this.synced = true;
    this.error = null;
    this.notify();
  }

  /** Reads one watch stream to its end; returns "relist", "clean" or throws. */
  async follow() {
    const response = await this.api.open("GET", watchURL(this.path, this.resourceVersion), { signal: this.controller.signal });
    this.stats.watches++;
    if (this.error) { this.error = null; this.notify(); }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const buffer = new LineBuffer();
    for (;;) {
      const { value, done } = await reader.read();
      const lines = done ? buffer.flush() : buffer.push(decoder.decode(value, { stream: true }));
      let changed = false;
      for (const line of lines) {
        const outcome = applyEvent(this.items, parseEvent(line));
        if (outcome.relist) { reader.cancel().catch(() => {}); return "relist"; }
        if (outcome.error) throw Object.assign(new Error(outcome.error.message ?? "watch error"), { status: outcome.error.code });
        if (outcome.resourceVersion) this.resourceVersion = outcome.resourceVersion;
        if (outcome.key !== undefined) { this.changed(outcome.key); changed = true; }
      }
      if (changed) this.notify();
      if (done) return "clean";
    }
  }

  async run(generation) {
    let attempt = 0;
    // After a stop, resume from the cache's resourceVersion (a 410 relists if it is too old).
    let needList = !this.synced;
    const current = () => !this.stopped && generation === this.generation;
    while (current()) {
      this.controller = new AbortController();
      const began = this.clock();
      try {
        if (needList) { await this.relist(); needList = false; }
        const end = await this.follow();
        if (end === "relist") { needList = true; continue; }
        // The server ends watches on its timeout: reconnect at once, unless streams keep ending quickly.
        attempt = this.clock() - began > 1000 ? 0 : attempt + 1;
        await this.sleep(reconnectDelay(attempt, true));
      } catch (e) {
        if (!current() || e?.name === "AbortError") return;
        if (e?.status === 410) { needList = true; continue; }
        this.error = e;
        this.notify();
        if (e?.isAuth) { this.stopped = true; return; }
        attempt++;
        await this.sleep(reconnectDelay(attempt, false));
      }
    }
  }
}

/** The app's collections, one per resource path, created on first use. */
export class Store {
  constructor(api, options = {}) {
    this.api = api;
    this.options = options;
    this.collections = new Map();
  }
  /** The collection for `path`. */
  collection(path) {
    if (!this.collections.has(path)) this.collections.set(path, new Collection(this.api, path, this.options));
    return this.collections.get(path);
  }
  /** Stops every watch (sign-out) and forgets the caches. */
  reset() {
    for (const c of this.collections.values()) c.stop();
    this.collections.clear();
  }
}
