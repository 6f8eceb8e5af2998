// Formatting of times, durations and resource quantities, as kubectl prints them. Pure.

/** Milliseconds since the epoch for an RFC 3339 timestamp, or null. */
export function parseTime(text) {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** A duration in kubectl's short human form: 45s, 3m20s, 42m, 5h10m, 30h, 3d4h, 12d, 2y. */
export function humanDuration(ms) {
  if (ms == null || !Number.isFinite(ms)) return "—";
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** The age of an object created at `timestamp`, at `now` (ms). */
export function age(timestamp, now = Date.now()) {
  const t = parseTime(timestamp);
  return t == null ? "—" : humanDuration(now - t);
}

/** How long something ran: from start to end, or to now while it still runs. */
export function duration(start, end, now = Date.now()) {
  const s = parseTime(start);
  if (s == null) return "—";
  const e = parseTime(end);
  return humanDuration((e ?? now) - s);
}

/** A time relative to now, in words: "in 3m" or "5s ago". */
export function relative(timestamp, now = Date.now()) {
  const t = parseTime(timestamp);
  if (t == null) return "—";
  return t > now ? `in ${humanDuration(t - now)}` : `${humanDuration(now - t)} ago`;
}

const decimal = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binary = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** A Kubernetes quantity ("500m", "1.5", "256Mi", "1e3", "2G") as a number; null when malformed. */
export function parseQuantity(text) {
  if (typeof text === "number") return text;
  if (typeof text !== "string") return null;
  const match = text.trim().match(/^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/);
  if (!match) return null;
  const value = Number(match[1] + (match[2] ?? ""));
  const suffix = match[3] ?? "";
  if (binary[suffix]) return value * binary[suffix];
  // Divide for the small suffixes so 100n is exactly 1e-7, not 1.0000000000000001e-7.
  const exponent = decimal[suffix];
  return exponent < 0 ? value / 10 ** -exponent : value * 10 ** exponent;
}

/** CPU cores as kubectl shows them: "250m", "2", "1.5". */
export function formatCPU(cores) {
  if (cores == null || !Number.isFinite(cores)) return "—";
  if (cores === 0) return "0";
  if (cores < 1) return `${Math.round(cores * 1000)}m`;
  return `${Number(cores.toFixed(2))}`;
}

/** Bytes in binary units: "512Mi", "1.5Gi", "900Ki". */
export function formatBytes(bytes) {
  if (bytes == null || !Number.isFinite(bytes)) return "—";
  if (bytes === 0) return "0";
  const units = ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"];
  for (const unit of units) {
    const size = binary[unit];
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))}${unit}`;
  }
  return `${bytes}`;
}

/** A pod's effective requests: the sum over containers, at least the largest init container. */
export function podRequests(pod) {
  const sum = { cpu: 0, memory: 0 };
  for (const c of pod?.spec?.containers ?? []) {
    sum.cpu += parseQuantity(c.resources?.requests?.cpu ?? "0") ?? 0;
    sum.memory += parseQuantity(c.resources?.requests?.memory ?? "0") ?? 0;
  }
  for (const c of pod?.spec?.initContainers ?? []) {
    sum.cpu = Math.max(sum.cpu, parseQuantity(c.resources?.requests?.cpu ?? "0") ?? 0);
    sum.memory = Math.max(sum.memory, parseQuantity(c.resources?.requests?.memory ?? "0") ?? 0);
  }
  return sum;
}

/** Whether a pod still holds its node's resources (not finished). */
export function podIsActive(pod) {
  const phase = pod?.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed";
}

/** A fraction as a whole percentage clamped to 0…100. */
export function percent(part, whole) {
  if (!whole || whole <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((part / whole) * 100)));
}
