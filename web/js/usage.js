// Usage of pods and nodes from metrics.k8s.io, refreshed while a view shows it. The metrics API
// cannot be watched (upstream's neither), so this is the dashboard's one periodic read: every
// `interval` (the server's --metric-resolution, 15 s, by default), only while subscribed.
import { podUsageMap, nodeUsageMap } from "./lib/usage.js";

const base = "/apis/metrics.k8s.io/v1beta1";

export class UsageSource {
  constructor(api, { interval = 15000, setTimer = (f, ms) => setTimeout(f, ms), clearTimer = (t) => clearTimeout(t) } = {}) {
    this.api = api;
    this.interval = interval;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.pods = new Map();
    this.nodes = new Map();
    this.items = this.pods;
    this.synced = false;
    this.error = null;
    this.listeners = new Set();
    this.timer = null;
    this.stats = { reads: 0 };
    /** Bumped by every sample read, so a view knows when to redraw what shows usage. */
    this.revision = 0;
  }

  /** Adds a listener called after every read; the first one starts the reads. Returns an unsubscribe function. */
  subscribe(listener) {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.read();
    else if (this.synced) listener(this);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer != null) { this.clearTimer(this.timer); this.timer = null; }
    };
  }

  async read() {
    this.timer = null;
    this.stats.reads++;
    try {
      const [pods, nodes] = await Promise.all([this.api.get(`${base}/pods`), this.api.get(`${base}/nodes`)]);
      this.pods = podUsageMap(pods);
      this.items = this.pods;
      this.nodes = nodeUsageMap(nodes);
      this.synced = true;
      this.error = null;
      this.revision++;
    } catch (e) {
      this.error = e;
    }
    for (const listener of this.listeners) listener(this);
    if (this.listeners.size > 0 && this.timer == null) this.timer = this.setTimer(() => this.read(), this.interval);
  }

  /** Forgets everything (sign-out). */
  reset() {
    if (this.timer != null) this.clearTimer(this.timer);
    this.timer = null;
    this.pods = new Map();
    this.items = this.pods;
    this.nodes = new Map();
    this.synced = false;
    this.error = null;
  }
}
