import { test } from "node:test";
import assert from "node:assert/strict";
import { SortedRows, visibleWindow } from "../js/lib/rows.js";

const job = (name, n, team = "a") => ({ metadata: { name, labels: { team } }, n });
const names = (rows) => rows.rows.map((o) => o.metadata.name);

test("rows are filtered and sorted, ties by key, either direction", () => {
  const items = new Map([["c", job("c", 2)], ["a", job("a", 1)], ["b", job("b", 2, "b")], ["d", job("d", 2)]]);
  const asc = new SortedRows({ include: (o) => o.metadata.labels.team === "a", sortKey: (o) => o.n });
  asc.reset(items);
  assert.deepEqual(names(asc), ["a", "c", "d"]);
  const desc = new SortedRows({ sortKey: (o) => o.n, dir: "desc" });
  desc.reset(items);
  assert.deepEqual(names(desc), ["d", "c", "b", "a"]);
  assert.equal(desc.length, 4);
  assert.equal(desc.at(0).metadata.name, "d");
});

test("a change moves only its row: modified, added, deleted, filtered out, unchanged", () => {
  const items = new Map([["a", job("a", 1)], ["b", job("b", 2)], ["c", job("c", 3)]]);
  const rows = new SortedRows({ include: (o) => o.metadata.labels.team === "a", sortKey: (o) => o.n });
  rows.reset(items);
  let sorts = 0;
  rows.sortKey = (o) => { sorts++; return o.n; };
  items.set("a", job("a", 9));
  items.set("z", job("z", 0));
  items.delete("b");
  assert.equal(rows.update(["a", "z", "b"], items), true);
  assert.deepEqual(names(rows), ["z", "c", "a"]);
  assert.equal(sorts, 2, "only the changed objects' keys are computed");
  items.set("c", job("c", 3, "other"));
  rows.update(["c"], items);
  assert.deepEqual(names(rows), ["z", "a"]);
  assert.equal(rows.update(["a", "nope"], items), false, "the same object, and a key never seen, change nothing");
});

test("updates give the same order as a rebuild, over a random stream", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const items = new Map();
  for (let i = 0; i < 500; i++) items.set(`k${i}`, job(`k${i}`, Math.floor(random() * 20), random() < 0.5 ? "a" : "b"));
  const rows = new SortedRows({ include: (o) => o.metadata.labels.team === "a", sortKey: (o) => o.n, dir: "desc" });
  rows.reset(items);
  for (let step = 0; step < 300; step++) {
    const keys = [];
    for (let j = 0; j < 1 + Math.floor(random() * 5); j++) {
      const key = `k${Math.floor(random() * 600)}`;
      if (random() < 0.2) items.delete(key); else items.set(key, job(key, Math.floor(random() * 20), random() < 0.5 ? "a" : "b"));
      keys.push(key);
    }
    rows.update(keys, items);
  }
  const fresh = new SortedRows({ include: rows.include, sortKey: rows.sortKey, dir: "desc" });
  fresh.reset(items);
  assert.deepEqual(names(rows), names(fresh));
});

test("the visible window covers the view and a few rows either side, within the rows", () => {
  assert.deepEqual(visibleWindow({ count: 10000, rowHeight: 36, scrollTop: 0, height: 720, overscan: 5 }), { first: 0, end: 25 });
  assert.deepEqual(visibleWindow({ count: 10000, rowHeight: 36, scrollTop: 36000, height: 720, overscan: 5 }), { first: 995, end: 1025 });
  assert.deepEqual(visibleWindow({ count: 10, rowHeight: 36, scrollTop: 0, height: 720 }), { first: 0, end: 10 });
  assert.deepEqual(visibleWindow({ count: 0, rowHeight: 36, scrollTop: 0, height: 720 }), { first: 0, end: 0 });
  assert.deepEqual(visibleWindow({ count: 30, rowHeight: 36, scrollTop: 99999, height: 720, overscan: 2 }), { first: 30, end: 30 });
});
