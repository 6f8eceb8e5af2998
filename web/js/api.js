// The HTTP half of the public API: requests with the bearer token, errors as the server's Status.

/** An API failure carrying the server's Status (message, reason, code, details.causes). */
export class ApiError extends Error {
  constructor(message, { status = 0, reason = "", details = null, unreachable = false } = {}) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.details = details;
    this.unreachable = unreachable;
  }
  /** Validation causes: [{field, message, reason}]. */
  get causes() { return this.details?.causes ?? []; }
  /** Whether the token is missing, wrong or not allowed. */
  get isAuth() { return this.status === 401 || this.status === 403; }
}

/** Builds an ApiError from a failed response, using its Status body when there is one. */
export async function errorFrom(response) {
  const text = await response.text().catch(() => "");
  let status = null;
  try { status = JSON.parse(text); } catch { /* not JSON */ }
  const message = status?.message || text.trim() || `${response.status} ${response.statusText}`;
  return new ApiError(message, { status: response.status, reason: status?.reason ?? "", details: status?.details ?? null });
}

/**
 * An API client. `token()` gives the current token; `onAuthError(err)` is told about 401/403;
 * `onConnectivity(reachable)` about every success or network failure (the banner).
 */
export function createApi({ fetchFn = (...a) => globalThis.fetch(...a), token = () => null,
  onAuthError = () => {}, onConnectivity = () => {} } = {}) {
  /** Sends a request and returns the raw Response when it succeeded; throws ApiError otherwise. */
  async function open(method, path, { body, contentType = "application/json", accept = "application/json", signal } = {}) {
    const headers = { Accept: accept };
    const t = token();
    if (t) headers.Authorization = `Bearer ${t}`;
    if (body !== undefined) headers["Content-Type"] = contentType;
    let response;
    try {
      response = await fetchFn(path, { method, headers, signal, body: body === undefined ? undefined : (typeof body === "string" ? body : JSON.stringify(body)) });
    } catch (e) {
      if (e?.name === "AbortError") throw e;
      onConnectivity(false);
      throw new ApiError(`The server is unreachable (${e?.message ?? e}).`, { unreachable: true });
    }
    onConnectivity(true);
    if (!response.ok) {
      const error = await errorFrom(response);
      if (error.isAuth) onAuthError(error);
      throw error;
    }
    return response;
  }

  /** Sends a request and parses the JSON answer. */
  async function request(method, path, options) {
    const response = await open(method, path, options);
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  return {
    open,
    request,
    get: (path, o) => request("GET", path, o),
    post: (path, body, o) => request("POST", path, { ...o, body }),
    del: (path, body = { propagationPolicy: "Background" }) => request("DELETE", path, { body }),
    /** A JSON merge patch (what `kubectl scale` and the dashboard's toggles send). */
    mergePatch: (path, body) => request("PATCH", path, { body, contentType: "application/merge-patch+json" }),
  };
}

/** Paths of the resources the dashboard reads (cluster-wide list and watch endpoints). */
export const paths = {
  nodes: "/api/v1/nodes", pods: "/api/v1/pods", events: "/api/v1/events", namespaces: "/api/v1/namespaces",
  jobs: "/apis/batch/v1/jobs", cronjobs: "/apis/batch/v1/cronjobs",
  deployments: "/apis/apps/v1/deployments", replicasets: "/apis/apps/v1/replicasets", daemonsets: "/apis/apps/v1/daemonsets",
  clusterqueues: "/apis/kueue.x-k8s.io/v1beta1/clusterqueues", localqueues: "/apis/kueue.x-k8s.io/v1beta1/localqueues",
  workloads: "/apis/kueue.x-k8s.io/v1beta1/workloads",
};

/** The path of one object: objectPath("jobs", "ns", "x") → /apis/batch/v1/namespaces/ns/jobs/x. */
export function objectPath(resource, namespace, name, sub = "") {
  const base = paths[resource];
  const prefix = base.slice(0, base.lastIndexOf("/"));
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${prefix}${ns}/${resource}/${encodeURIComponent(name)}${sub ? "/" + sub : ""}`;
}

/** The path of a resource's collection in one namespace: collectionIn("jobs", "ns") → /apis/batch/v1/namespaces/ns/jobs. */
export function collectionIn(resource, namespace) {
  const base = paths[resource];
  const prefix = base.slice(0, base.lastIndexOf("/"));
  return `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}
