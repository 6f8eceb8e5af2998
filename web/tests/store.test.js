import { test } from "node:test";
import assert from "node:assert/strict";
import { Collection } from "../js/store.js";
import { createApi, ApiError, objectPath } from "../js/api.js";

const pod = (name, rv) => ({ metadata: { name, namespace: "default", resourceVersion: rv } });
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
/** A watch response whose body yields `chunks` and then ends (or hangs when `hang`). */
function stream(chunks, { hang = false } = {}) {
  return new Response(new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      if (!hang) controller.close();
    },
  }));
}
const event = (type, object) => JSON.stringify({ type, object }) + "\n";

/** A fake server: answers each request with the next scripted reply and records the URLs. */
function fakeFetch(replies) {
  const urls = [];
  const fn = async (url, init) => {
    urls.push(url);
    const reply = replies.shift();
    if (!reply) return new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }))));
    if (reply instanceof Error) throw reply;
    return reply();
  };
  return { fn, urls };
}

async function until(predicate, what) {
  for (let i = 0; i < 200; i++) { if (predicate()) return; await new Promise((r) => setTimeout(r, 5)); }
  assert.fail(`timed out waiting for ${what}`);
}

test("a collection lists, watches from the list's version and reconnects from the last event's", async () => {
  const { fn, urls } = fakeFetch([
    () => json({ items: [pod("a", "3")], metadata: { resourceVersion: "10" } }),
    () => stream([event("ADDED", pod("b", "11")), event("MODIFIED", pod("a", "12")).slice(0, 20), event("MODIFIED", pod("a", "12")).slice(20)]),
    () => stream([event("DELETED", pod("b", "13"))]),
  ]);
  const c = new Collection(createApi({ fetchFn: fn }), "/api/v1/pods", { sleep: async () => {} });
  const seen = [];
  c.subscribe((col) => seen.push([...col.items.keys()].join(",")));
  await until(() => urls.length === 4, "the third watch");
  assert.deepEqual(urls.slice(0, 3), ["/api/v1/pods?limit=500", "/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=10",
    "/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=12"]);
  assert.equal(urls[3], "/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=13");
  assert.deepEqual([...c.items.keys()], ["default/a"]);
  assert.equal(c.items.get("default/a").metadata.resourceVersion, "12");
  assert.ok(seen.includes("default/a,default/b"));
  c.stop();
});

test("a 410 Gone on the watch leads to a fresh list", async () => {
  const { fn, urls } = fakeFetch([
    () => json({ items: [pod("a", "3")], metadata: { resourceVersion: "10" } }),
    () => stream([event("ERROR", { kind: "Status", code: 410, reason: "Expired", message: "too old resource version" })], { hang: true }),
    () => json({ items: [pod("z", "50")], metadata: { resourceVersion: "50" } }),
  ]);
  const c = new Collection(createApi({ fetchFn: fn }), "/api/v1/pods", { sleep: async () => {} });
  c.start();
  await until(() => urls.length === 4, "the watch after the relist");
  assert.equal(urls[2], "/api/v1/pods?limit=500");
  assert.match(urls[3], /resourceVersion=50$/);
  assert.deepEqual([...c.items.keys()], ["default/z"]);
  c.stop();
});

test("paged lists are followed to the end", async () => {
  const { fn, urls } = fakeFetch([
    () => json({ items: [pod("a", "1")], metadata: { resourceVersion: "9", continue: "tok 1" } }),
    () => json({ items: [pod("b", "2")], metadata: { resourceVersion: "9" } }),
  ]);
  const c = new Collection(createApi({ fetchFn: fn }), "/api/v1/pods", { sleep: async () => {}, pageSize: 1 });
  c.start();
  await until(() => urls.length === 3, "the watch");
  assert.equal(urls[1], "/api/v1/pods?limit=1&continue=tok%201");
  assert.deepEqual([...c.items.keys()], ["default/a", "default/b"]);
  c.stop();
});

test("an unreachable server is reported, retried with backoff and reported back", async () => {
  const reachability = [];
  const delays = [];
  const { fn, urls } = fakeFetch([
    () => json({ items: [], metadata: { resourceVersion: "10" } }),
    new TypeError("Failed to fetch"),
    new TypeError("Failed to fetch"),
    () => stream([event("ADDED", pod("a", "11"))], { hang: true }),
  ]);
  const api = createApi({ fetchFn: fn, onConnectivity: (up) => reachability.push(up) });
  const c = new Collection(api, "/api/v1/pods", { sleep: async (ms) => { delays.push(ms); } });
  const errors = [];
  c.subscribe((col) => errors.push(col.error?.message ?? null));
  await until(() => c.items.size === 1, "the event after reconnecting");
  assert.deepEqual(reachability, [true, false, false, true]);
  assert.deepEqual(delays, [1000, 2000]);
  assert.match(urls[3], /resourceVersion=10$/);
  assert.ok(errors.some((e) => /unreachable/.test(e ?? "")), "views were told of the outage");
  assert.equal(c.error, null, "the error clears once the watch is back");
  c.stop();
});

test("errors carry the server's Status and 401 reaches the sign-in hook", async () => {
  let auth = null;
  const { fn } = fakeFetch([
    () => json({ kind: "Status", status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 }, 401),
    () => json({ kind: "Status", message: "Job.batch \"x\" is invalid", reason: "Invalid", code: 422,
      details: { causes: [{ field: "spec.parallelism", message: "must be >= 0" }] } }, 422),
  ]);
  const api = createApi({ fetchFn: fn, onAuthError: (e) => { auth = e; } });
  await assert.rejects(api.get("/api/v1/pods"), (e) => e instanceof ApiError && e.isAuth && e.message === "Unauthorized");
  assert.equal(auth.status, 401);
  await assert.rejects(api.post("/apis/batch/v1/namespaces/d/jobs", {}), (e) => e.status === 422 && e.causes[0].field === "spec.parallelism");
});

test("object paths are built from the resource's collection", () => {
  assert.equal(objectPath("jobs", "ns", "a b"), "/apis/batch/v1/namespaces/ns/jobs/a%20b");
  assert.equal(objectPath("nodes", null, "n1"), "/api/v1/nodes/n1");
  assert.equal(objectPath("deployments", "d", "web", "scale"), "/apis/apps/v1/namespaces/d/deployments/web/scale");
  assert.equal(objectPath("pods", "d", "p", "log"), "/api/v1/namespaces/d/pods/p/log");
});

test("collection paths in a namespace", async () => {
  const { collectionIn } = await import("../js/api.js");
  assert.equal(collectionIn("jobs", "ml"), "/apis/batch/v1/namespaces/ml/jobs");
  assert.equal(collectionIn("pods", "a b"), "/api/v1/namespaces/a%20b/pods");
});

test("the last unsubscribe ends the watch and a new subscriber resumes from the cache's version", async () => {
  const { fn, urls } = fakeFetch([
    () => json({ items: [pod("a", "3")], metadata: { resourceVersion: "10" } }),
    () => stream([event("ADDED", pod("b", "11"))], { hang: true }),
  ]);
  const c = new Collection(createApi({ fetchFn: fn }), "/api/v1/pods", { sleep: async () => {} });
  const unsubscribe = c.subscribe(() => {});
  await until(() => c.items.size === 2, "the watch event");
  unsubscribe();
  assert.equal(c.stopped, true);
  let calls = 0;
  c.subscribe(() => { calls++; });
  assert.equal(calls, 1, "a new subscriber sees the cache at once");
  await until(() => urls.length === 3, "the resumed watch");
  assert.equal(urls[2], "/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=11");
  c.stop();
});

test("changesSince names the keys changed since a revision, and null once the cache was replaced", async () => {
  let watch;
  const { fn, urls } = fakeFetch([
    () => json({ items: [pod("a", "3")], metadata: { resourceVersion: "10" } }),
    () => new Response(new ReadableStream({ start(controller) { watch = controller; } })),
    () => json({ items: [pod("z", "50")], metadata: { resourceVersion: "50" } }),
  ]);
  const send = (line) => watch.enqueue(new TextEncoder().encode(line));
  const c = new Collection(createApi({ fetchFn: fn }), "/api/v1/pods", { sleep: async () => {} });
  const revisions = [];
  c.subscribe((col) => revisions.push(col.revision));
  await until(() => watch, "the watch");
  send(event("ADDED", pod("b", "11")) + event("MODIFIED", pod("a", "12")) + event("BOOKMARK", { metadata: { resourceVersion: "13" } }));
  await until(() => c.items.has("default/b") && c.items.get("default/a").metadata.resourceVersion === "12", "the watch events");
  const listed = revisions[0];
  assert.deepEqual([...c.changesSince(listed)], ["default/b", "default/a"]);
  assert.deepEqual([...c.changesSince(c.journalBase)], ["default/a", "default/b"], "the list's items, then the events");
  assert.equal(c.changesSince(c.journalBase - 1), null, "before the list: start over");
  const afterEvents = c.revision;
  send(event("ERROR", { kind: "Status", code: 410, reason: "Expired" }));
  await until(() => urls.length === 4, "the watch after the relist");
  assert.deepEqual([...c.items.keys()], ["default/z"]);
  assert.equal(c.changesSince(afterEvents), null, "a relist replaced the cache");
  assert.deepEqual([...c.changesSince(c.revision)], []);
  c.stop();
});

test("the first list shows each page as it arrives; a relist swaps the cache only when complete", async () => {
  let release;
  const gate = new Promise((r) => { release = r; });
  const { fn, urls } = fakeFetch([
    () => json({ items: [pod("a", "1")], metadata: { resourceVersion: "9", continue: "t" } }),
    async () => { await gate; return json({ items: [pod("b", "2")], metadata: { resourceVersion: "9" } }); },
    () => stream([event("ERROR", { kind: "Status", code: 410, reason: "Expired" })]),
    () => json({ items: [pod("c", "3")], metadata: { resourceVersion: "20", continue: "u" } }),
    () => json({ items: [pod("d", "4")], metadata: { resourceVersion: "20" } }),
  ]);
  const c = new Collection(createApi({ fetchFn: fn }), "/api/v1/pods", { sleep: async () => {}, pageSize: 1 });
  const seen = [];
  c.subscribe((col) => seen.push(`${col.synced ? "synced" : "loading"}:${[...col.items.keys()].join(",")}`));
  await until(() => seen.length === 1, "the first page");
  assert.deepEqual(seen, ["loading:default/a"]);
  release();
  await until(() => urls.length === 6, "the watch after the relist");
  assert.deepEqual(seen, ["loading:default/a", "synced:default/a,default/b", "synced:default/c,default/d"]);
  c.stop();
});
