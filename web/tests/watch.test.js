import { test } from "node:test";
import assert from "node:assert/strict";
import { LineBuffer, parseEvent, applyEvent, reconnectDelay, watchURL, keyOf } from "../js/lib/watch.js";

test("lines split across chunks come out whole", () => {
  const buffer = new LineBuffer();
  assert.deepEqual(buffer.push('{"a":1}\n{"b"'), ['{"a":1}']);
  assert.deepEqual(buffer.push(':2}\n\n{"c":3'), ['{"b":2}']);
  assert.deepEqual(buffer.flush(), ['{"c":3']);
  assert.deepEqual(buffer.flush(), []);
});

test("events that are not JSON or not events are errors", () => {
  assert.throws(() => parseEvent("nope"), /not JSON/);
  assert.throws(() => parseEvent('{"kind":"Status"}'), /not an event/);
  assert.equal(parseEvent('{"type":"ADDED","object":{}}').type, "ADDED");
});

test("events update the cache and the resourceVersion", () => {
  const obj = (name, rv, ns = "default") => ({ metadata: { name, namespace: ns, resourceVersion: rv } });
  const items = new Map([["default/a", obj("a", "1")]]);
  assert.deepEqual(applyEvent(items, { type: "ADDED", object: obj("b", "6") }), { resourceVersion: "6", key: "default/b" });
  assert.deepEqual(applyEvent(items, { type: "MODIFIED", object: obj("a", "7") }), { resourceVersion: "7", key: "default/a" });
  assert.equal(items.get("default/a").metadata.resourceVersion, "7");
  applyEvent(items, { type: "DELETED", object: obj("b", "8") });
  assert.deepEqual([...items.keys()], ["default/a"]);
  assert.deepEqual(applyEvent(items, { type: "BOOKMARK", object: { metadata: { resourceVersion: "9" } } }), { resourceVersion: "9" });
  assert.equal(keyOf({ metadata: { name: "node-1" } }), "node-1");
});

test("a 410 ERROR asks for a relist; other errors are passed on", () => {
  const items = new Map();
  assert.deepEqual(applyEvent(items, { type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } }), { relist: true });
  const status = { kind: "Status", code: 500, message: "boom" };
  assert.deepEqual(applyEvent(items, { type: "ERROR", object: status }), { error: status });
});

test("reconnects are immediate after a clean end and back off while unreachable", () => {
  assert.equal(reconnectDelay(0, true), 0);
  assert.equal(reconnectDelay(1, true), 500);
  assert.deepEqual([1, 2, 3, 4, 10].map((a) => reconnectDelay(a, false)), [1000, 2000, 4000, 8000, 15000]);
});

test("watch URLs carry watch, bookmarks and the resourceVersion", () => {
  assert.equal(watchURL("/api/v1/pods", "42"), "/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=42");
  assert.equal(watchURL("/api/v1/pods?labelSelector=a%3Db", ""), "/api/v1/pods?labelSelector=a%3Db&watch=true&allowWatchBookmarks=true");
});
