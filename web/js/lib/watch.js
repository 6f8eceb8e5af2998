// The pure half of a watch: splitting a byte stream into JSON lines, applying events to a cache,
// and deciding what to do when a stream ends. The I/O half is js/store.js.

/** Splits text chunks into complete lines; keeps the unfinished tail for the next chunk. */
export class LineBuffer {
  constructor() { this.tail = ""; }
  /** Returns the complete, non-empty lines that `chunk` finishes. */
  push(chunk) {
    const text = this.tail + chunk;
    const lines = text.split("\n");
    this.tail = lines.pop();
    return lines.map((l) => l.trim()).filter((l) => l !== "");
  }
  /** The last line when the stream ends without a newline. */
  flush() {
    const rest = this.tail.trim();
    this.tail = "";
    return rest ? [rest] : [];
  }
}

/** Parses one watch line into {type, object}; throws Error on a line that is not an event. */
export function parseEvent(line) {
  let event;
  try { event = JSON.parse(line); } catch { throw new Error(`watch: not JSON: ${line.slice(0, 80)}`); }
  if (!event || typeof event.type !== "string" || typeof event.object !== "object") {
    throw new Error(`watch: not an event: ${line.slice(0, 80)}`);
  }
  return event;
}

/** The cache key of an object: "namespace/name", or "name" for cluster-scoped kinds. */
export function keyOf(object) {
  const m = object?.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : m.name;
}

/**
 * Applies one event to `items` (a Map of key → object). Returns what the caller must do:
 * {resourceVersion, key} after a change (key: the object changed), {resourceVersion} after a
 * bookmark, {relist:true} after a 410 Gone, {error: Status} after another ERROR event.
 */
export function applyEvent(items, event) {
  const object = event.object;
  switch (event.type) {
    case "ADDED":
    case "MODIFIED": {
      const key = keyOf(object);
      items.set(key, object);
      return { resourceVersion: object.metadata?.resourceVersion, key };
    }
    case "DELETED": {
      const key = keyOf(object);
      items.delete(key);
      return { resourceVersion: object.metadata?.resourceVersion, key };
    }
    case "BOOKMARK":
      return { resourceVersion: object.metadata?.resourceVersion };
    case "ERROR":
      if (object?.code === 410 || object?.reason === "Expired" || object?.reason === "Gone") return { relist: true };
      return { error: object };
    default:
      return {};
  }
}

/**
 * The delay before reconnect attempt `attempt` (0 = first): at once after a clean end (the server
 * closes watches on its timeout), then 0.5 s doubling to 15 s while the server is unreachable.
 */
export function reconnectDelay(attempt, cleanEnd) {
  if (cleanEnd && attempt === 0) return 0;
  return Math.min(15000, 500 * 2 ** Math.max(0, attempt - (cleanEnd ? 1 : 0)));
}

/** The URL of a watch on `path` from `resourceVersion` (path may already carry a query). */
export function watchURL(path, resourceVersion) {
  const sep = path.includes("?") ? "&" : "?";
  const rv = resourceVersion ? `&resourceVersion=${encodeURIComponent(resourceVersion)}` : "";
  return `${path}${sep}watch=true&allowWatchBookmarks=true${rv}`;
}
