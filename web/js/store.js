// Watch-backed collections: list, then watch from the list's resourceVersion; reconnect from the
// last resourceVersion after a drop, relist after 410 Gone. Views subscribe and re-render.
import { LineBuffer, parseEvent, applyEvent, applyList, reconnectDelay, watchURL } from "./lib/watch.js";

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

  async relist() {
    const all = { items: [], metadata: {} };
    let token = "";
    do {
      const sep = this.path.includes("?") ? "&" : "?";
      const page = await this.api.get(`${this.path}${sep}limit=${this.pageSize}${token ? "&continue=" + encodeURIComponent(token) : ""}`,
        { signal: this.controller.signal });
      all.items.push(...(page.items ?? []));
      all.metadata = page.metadata ?? {};
      token = page.metadata?.continue ?? "";
    } while (token);
    this.stats.lists++;
    this.resourceVersion = applyList(this.items, all);
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
        changed = true;
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
