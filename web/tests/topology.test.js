import { test } from "node:test";
import assert from "node:assert/strict";
import { NodeUsage, allocatable, groupNodes, groupingKeys, groupSummary, nodeStatusGroup, tileLevel } from "../js/lib/topology.js";

const pod = (name, node, cpu, memory, phase = "Running") => ({ metadata: { name, namespace: "ns" },
  spec: { nodeName: node, containers: [{ name: "c", resources: { requests: { cpu, memory } } }] }, status: { phase } });
const node = (name, { ready = true, cordoned = false, labels = {}, cpu = "4", memory = "8Gi" } = {}) => ({
  metadata: { name, labels }, spec: cordoned ? { unschedulable: true } : {},
  status: { allocatable: { cpu, memory }, conditions: [{ type: "Ready", status: ready ? "True" : "False" }] } });
const names = (nodes) => nodes.map((n) => n.metadata.name);

test("usage sums the active pods' requests per node and reports only the nodes a change touches", () => {
  const items = new Map([["ns/a", pod("a", "n1", "500m", "1Gi")], ["ns/b", pod("b", "n1", "1", "1Gi")], ["ns/c", pod("c", "n2", "2", "2Gi")],
    ["ns/p", pod("p", undefined, "1", "1Gi", "Pending")], ["ns/d", pod("d", "n2", "1", "1Gi", "Succeeded")]]);
  const usage = new NodeUsage();
  assert.deepEqual([...usage.reset(items)].sort(), ["n1", "n2"]);
  assert.equal(usage.get("n1").cpu, 1.5);            // 500m + 1
  assert.equal(usage.get("n1").memory, 2 * 2 ** 30);
  assert.equal(usage.get("n2").cpu, 2);              // the Succeeded pod holds nothing
  assert.equal(usage.get("n2").pods.size, 2);        // but is still on the node
  assert.equal(usage.get("n2").active, 1);
  assert.equal(usage.get("n3").cpu, 0);              // a node without pods

  // a finishes (n1), c moves to n3 (n2 and n3), p is bound (n3), d is deleted (n2); b is rewritten unchanged.
  items.set("ns/a", pod("a", "n1", "500m", "1Gi", "Succeeded"));
  items.set("ns/c", pod("c", "n3", "2", "2Gi"));
  items.set("ns/p", pod("p", "n3", "1", "1Gi"));
  items.delete("ns/d");
  items.set("ns/b", pod("b", "n1", "1", "1Gi"));
  const touched = usage.update(["ns/a", "ns/c", "ns/p", "ns/d", "ns/b"], items);
  assert.deepEqual([...touched].sort(), ["n1", "n2", "n3"]);
  assert.equal(usage.get("n1").cpu, 1);
  assert.equal(usage.get("n2").pods.size, 0);
  assert.equal(usage.get("n3").cpu, 3);
  assert.deepEqual(usage.update(["ns/b"], items), new Set(), "an unchanged pod touches nothing");
  // A phase change that keeps the pod active still redraws its chip.
  items.set("ns/b", pod("b", "n1", "1", "1Gi", "Pending"));
  assert.deepEqual(usage.update(["ns/b"], items), new Set(["n1"]));
});

test("nodes group by status (the ones needing a look first) or by a label value (unlabelled last)", () => {
  const nodes = [node("a", { labels: { zone: "z2" } }), node("b", { ready: false, labels: { zone: "z1" } }),
    node("c", { cordoned: true }), node("d", { ready: false, cordoned: true, labels: { zone: "z1" } })];
  assert.deepEqual(groupNodes(nodes, "").map((g) => names(g.nodes)), [["a", "b", "c", "d"]]);
  assert.deepEqual(groupNodes(nodes, "status").map((g) => [g.title, names(g.nodes)]),
    [["NotReady", ["b", "d"]], ["Cordoned", ["c"]], ["Ready", ["a"]]]);
  assert.deepEqual(groupNodes(nodes, "zone").map((g) => [g.title, names(g.nodes)]),
    [["zone=z1", ["b", "d"]], ["zone=z2", ["a"]], ["no zone label", ["c"]]]);
  assert.equal(nodeStatusGroup(nodes[3]), "NotReady");
});

test("grouping keys leave out labels unique to every node", () => {
  const nodes = [node("a", { labels: { "kubernetes.io/hostname": "a", zone: "z1", pool: "x" } }),
    node("b", { labels: { "kubernetes.io/hostname": "b", zone: "z1" } })];
  assert.deepEqual(groupingKeys(nodes), ["pool", "zone"]);
  assert.deepEqual(groupingKeys([nodes[0]]), ["kubernetes.io/hostname", "pool", "zone"]);
});

test("a group's summary counts states and sums requests against allocatable", () => {
  const nodes = [node("n1"), node("n2", { ready: false, cordoned: true })];
  const usage = new NodeUsage();
  usage.reset(new Map([["ns/a", pod("a", "n1", "2", "1Gi")], ["ns/b", pod("b", "n2", "1", "1Gi")]]));
  assert.deepEqual(groupSummary(nodes, usage), { nodes: 2, notReady: 1, cordoned: 1, cpu: 3, cpuAllocatable: 8,
    memory: 2 * 2 ** 30, memoryAllocatable: 16 * 2 ** 30, pods: 2 });
});

test("a tile's level is its busier resource's share", () => {
  const a = allocatable(node("n", { cpu: "4", memory: "8Gi" }));
  assert.deepEqual(tileLevel({ cpu: 0, memory: 0 }, a), { cpu: 0, memory: 0, pct: 0, level: "empty" });
  assert.equal(tileLevel({ cpu: 1, memory: 0 }, a).level, "low");                 // 25%
  assert.equal(tileLevel({ cpu: 1, memory: 4 * 2 ** 30 }, a).level, "half");      // memory 50%
  assert.equal(tileLevel({ cpu: 3.6, memory: 0 }, a).level, "full");             // 90%
  assert.equal(tileLevel({ cpu: 1, memory: 1 }, { cpu: 0, memory: 0 }).level, "empty"); // no allocatable: 0%
});
