// The hash router's pure half: "#/jobs/ns/name?status=Failed" ⇄ {view, args, query}.

/** The views the app knows, in menu order, with their titles. */
export const views = [
  ["overview", "Overview"], ["jobs", "Jobs"], ["cronjobs", "CronJobs"], ["deployments", "Deployments"],
  ["daemonsets", "DaemonSets"], ["nodes", "Nodes"], ["queues", "Queues"], ["events", "Events"], ["submit", "Submit"],
];

/** Parses a location hash; unknown or empty routes go to the overview. */
export function parseRoute(hash) {
  const text = (hash ?? "").replace(/^#\/?/, "");
  const [pathPart, queryPart = ""] = text.split("?");
  const segments = pathPart.split("/").filter((s) => s !== "").map(decodeURIComponent);
  const query = Object.fromEntries(new URLSearchParams(queryPart));
  const known = new Set([...views.map(([v]) => v), "pods", "signin"]);
  const view = known.has(segments[0]) ? segments[0] : "overview";
  return { view, args: known.has(segments[0]) ? segments.slice(1) : [], query };
}

/** The hash for a route: routeHash("jobs", ["ns", "x"], {a: "1"}) → "#/jobs/ns/x?a=1". */
export function routeHash(view, args = [], query = {}) {
  const path = [view, ...args].map(encodeURIComponent).join("/");
  const entries = Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return `#/${path}${entries.length ? "?" + new URLSearchParams(entries).toString() : ""}`;
}

/** The token in a fragment like "#token=abc" or "#/jobs&token=abc", or null. */
export function tokenFromHash(hash) {
  const m = (hash ?? "").match(/[#&?]token=([^&]+)/);
  return m ? decodeURIComponent(m[1]) : null;
}
