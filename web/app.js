// The dashboard's entry point: sign-in, the hash router, the namespace selector, the banner, and
// mounting one view at a time. Views re-render from watch-backed collections (js/store.js).
import { createApi, paths } from "./js/api.js";
import { UsageSource } from "./js/usage.js";
import { Store } from "./js/store.js";
import { parseRoute, routeHash, tokenFromHash, views as menu } from "./js/lib/router.js";
import { h, tick } from "./js/dom.js";
import overview from "./js/views/overview.js";
import jobs from "./js/views/jobs.js";
import pods from "./js/views/pods.js";
import cronjobs from "./js/views/cronjobs.js";
import deployments from "./js/views/deployments.js";
import daemonsets from "./js/views/daemonsets.js";
import nodes from "./js/views/nodes.js";
import queues from "./js/views/queues.js";
import events from "./js/views/events.js";
import submit from "./js/views/submit.js";
import signin from "./js/views/signin.js";

const viewModules = { overview, jobs, pods, cronjobs, deployments, daemonsets, nodes, queues, events, submit, signin };
const $ = (id) => document.getElementById(id);

/** Everything a view may use. */
const ctx = {
  token: sessionStorage.getItem("drover-token"),
  namespace: sessionStorage.getItem("drover-namespace") ?? "",
  signInMessage: "",
  route: parseRoute(location.hash),
  /** How many times a view body was rendered and the slowest (for the benchmark, bench/dashboard). */
  renders: { count: 0, maxMs: 0, last: null },
  /** The live collection of a resource (see paths in js/api.js). */
  collection: (name) => (name === "usage" ? usage : store.collection(paths[name])),
  /** Whether an object is in the selected namespace (all when none is selected). */
  inNamespace: (object) => !ctx.namespace || object?.metadata?.namespace === ctx.namespace,
  navigate: (view, args = [], query = {}) => { location.hash = routeHash(view, args, query); },
  /** Changes the current route's query without a history entry and re-renders the body. */
  setQuery(changes) {
    const query = { ...ctx.route.query, ...changes };
    history.replaceState(null, "", routeHash(ctx.route.view, ctx.route.args, query));
    ctx.route = parseRoute(location.hash);
    current?.refresh();
  },
  showError,
  notify,
  /** Runs an action, showing the server's Status message on failure and `done` on success. */
  async act(done, fn) {
    try {
      const result = await fn();
      if (done) notify(done);
      return result;
    } catch (e) {
      showError(e.message);
      return null;
    }
  },
  signIn(message) {
    // Several requests may fail at once (and the reset aborts the rest); the first one's message counts.
    if (location.hash.startsWith("#/signin")) return;
    ctx.signInMessage = message;
    ctx.namespacesLoaded = false;
    store.reset();
    usage.reset();
    ctx.navigate("signin", [], { next: location.hash.replace(/^#/, "") });
  },
  setToken(token) {
    ctx.token = token || null;
    if (token) sessionStorage.setItem("drover-token", token); else sessionStorage.removeItem("drover-token");
    store.reset();
    usage.reset();
  },
};

const api = createApi({
  token: () => ctx.token,
  onAuthError: (e) => ctx.signIn(e.message),
  onConnectivity: (up) => { $("banner").hidden = up; },
});
ctx.api = api;
const store = new Store(api);
ctx.store = store;
/** Pods' and nodes' usage (metrics.k8s.io), read while a view needs "usage". */
const usage = new UsageSource(api);
// For the browser tests and for poking at the caches from the console.
window.drover = { ctx, store, usage };

function showError(message) {
  $("error-text").textContent = message ?? "";
  $("error").hidden = !message;
}

let noticeTimer = null;
function notify(message) {
  $("notice").textContent = message;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { $("notice").textContent = ""; }, 5000);
}

/** The mounted view: its collections' subscriptions and a throttled re-render of its body. */
let current = null;

function mount() {
  // The old view lets go of its collections only after the new one holds them, so a collection
  // both need keeps its watch.
  const previous = current;
  ctx.route = parseRoute(location.hash);
  const module = viewModules[ctx.route.view];
  for (const a of $("menu").querySelectorAll("a")) a.toggleAttribute("aria-current", a.dataset.view === ctx.route.view);
  const root = $("view");
  const body = h("div", { class: "view-body" });
  const unsubscribes = [];
  let frame = null;
  let timer = null, nextAllowed = 0;
  const render = () => {
    frame = null;
    const started = performance.now();
    // Keep keyboard focus on the same control across re-renders (controls carry data-key).
    const focused = document.activeElement?.dataset?.key;
    let built = started;
    try {
      const content = module.body(ctx, ctx.route, state);
      built = performance.now();
      // A collection that cannot list or watch says why, in the server's words, above the view.
      const errors = (module.needs?.(ctx.route) ?? []).map((name) => [name, ctx.collection(name).error]).filter(([, e]) => e && !e.unreachable);
      const children = [...errors.map(([name, e]) => h("p", { class: "error", role: "alert" }, `${name}: ${e.message} (retrying)`)), content];
      // A view that keeps its element across frames (a live table) is updated in place: putting it
      // back would cost a layout and lose its scroll position.
      const same = children.length === body.childNodes.length && children.every((c, i) => c === body.childNodes[i]);
      if (!same) body.replaceChildren(...children);
    } catch (e) {
      body.replaceChildren(h("p", { class: "error" }, `This view failed to render: ${e.message}`));
      console.error(e);
    }
    if (focused) body.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
    tick(body);
    const took = performance.now() - started;
    ctx.renders.count++;
    ctx.renders.maxMs = Math.max(ctx.renders.maxMs, took);
    ctx.renders.last = { buildMs: built - started, totalMs: took };
    // A slow render (a big cluster under a stream of changes) waits 3× its own time before the
    // next, so at most a quarter of the main thread goes to re-rendering and input stays responsive.
    nextAllowed = took > 12 ? performance.now() + 3 * took : 0;
  };
  const refresh = () => {
    if (frame != null || timer != null) return;
    const wait = nextAllowed - performance.now();
    if (wait > 0) timer = setTimeout(() => { timer = null; frame = requestAnimationFrame(render); }, wait);
    else frame = requestAnimationFrame(render);
  };
  const state = { cleanup: null };
  current = {
    refresh,
    unmount() {
      unsubscribes.forEach((u) => u());
      if (frame != null) cancelAnimationFrame(frame);
      if (timer != null) clearTimeout(timer);
      state.cleanup?.();
    },
  };
  const head = module.head?.(ctx, ctx.route, state);
  // A view's head (filters, forms, the log viewer) is built once; most sit above the body.
  root.replaceChildren(...(module.headAfter ? [body, head] : [head, body]).filter(Boolean));
  document.title = `${module.title?.(ctx.route) ?? "Drover"} · Drover`;
  for (const name of module.needs?.(ctx.route) ?? []) unsubscribes.push(ctx.collection(name).subscribe(refresh));
  previous?.unmount();
  render();
}

function buildChrome() {
  $("menu").replaceChildren(...menu.map(([view, title]) => h("a", { href: routeHash(view), "data-view": view }, title)));
  $("error-close").addEventListener("click", () => showError(""));
  $("sign-out").addEventListener("click", () => { ctx.setToken(null); ctx.signIn("Signed out."); });
  const select = $("namespace");
  select.value = ctx.namespace;
  select.addEventListener("focus", loadNamespaces);
  select.addEventListener("change", () => {
    ctx.namespace = select.value;
    sessionStorage.setItem("drover-namespace", ctx.namespace);
    current?.refresh();
  });
}

/**
 * Fills the namespace selector from a list of namespaces. It lists on start and again when the
 * selector gets focus, rather than watching: the browser's 6 connections per host are kept for
 * the current view's watches and the actions.
 */
async function loadNamespaces() {
  let list;
  try { list = await api.get(paths.namespaces); } catch { return; }
  const select = $("namespace");
  const names = (list.items ?? []).map((n) => n.metadata.name).sort();
  if (ctx.namespace && !names.includes(ctx.namespace)) names.push(ctx.namespace);
  const wanted = ["", ...names].join("\n");
  const have = [...select.options].map((o) => o.value).join("\n");
  if (wanted !== have) {
    select.replaceChildren(h("option", { value: "" }, "All namespaces"), ...names.map((n) => h("option", { value: n }, n)));
    select.value = ctx.namespace;
  }
}

async function start() {
  // The token `drover up` prints travels in the fragment: keep it for this tab, then remove it
  // from the address bar so it is not bookmarked or shared.
  const token = tokenFromHash(location.hash);
  if (token) {
    ctx.setToken(token);
    const rest = location.hash.replace(/[#&?]?token=[^&]+/, "").replace(/^#?&/, "#");
    history.replaceState(null, "", location.pathname + (rest && rest !== "#" ? rest : "#/overview"));
  }
  buildChrome();
  window.addEventListener("hashchange", () => {
    showError("");
    mount();
    if (ctx.route.view !== "signin" && !ctx.namespacesLoaded) startData();
  });
  setInterval(() => tick(document), 1000);
  api.get("/version").then((v) => { $("version").textContent = `server ${v.gitVersion}`; }, () => {});
  mount();
  if (ctx.route.view !== "signin") startData();
}

function startData() {
  ctx.namespacesLoaded = true;
  loadNamespaces();
}

start();
