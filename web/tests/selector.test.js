import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSelector, matchesText, matchesSelector, selectorText } from "../js/lib/selector.js";

test("text selectors match as the server's do", () => {
  const labels = { app: "web", tier: "front", "team.io/owner": "a" };
  const table = [["", true], ["app=web", true], ["app==web", true], ["app!=web", false], ["app=db", false],
    ["app in (db, web)", true], ["app notin (web)", false], ["tier", true], ["!tier", false], ["!missing", true],
    ["missing!=x", true], ["app=web,tier=back", false], ["team.io/owner=a,app in (web)", true]];
  for (const [text, expected] of table) assert.equal(matchesText(text, labels), expected, text);
});

test("malformed selectors are an error naming the bad part", () => {
  assert.throws(() => parseSelector("app=web,=x"), /invalid label selector: "=x"/);
  assert.throws(() => parseSelector("a in b"), /invalid label selector/);
});

test("selector objects match and print", () => {
  const selector = { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["a", "b"] }, { key: "x", operator: "DoesNotExist" }] };
  assert.equal(matchesSelector(selector, { app: "web", tier: "b" }), true);
  assert.equal(matchesSelector(selector, { app: "web", tier: "b", x: "1" }), false);
  assert.equal(matchesSelector(null, { app: "web" }), false);
  assert.equal(matchesSelector({}, { app: "web" }), true);
  assert.equal(selectorText(selector), "app=web,tier in (a,b),!x");
});
