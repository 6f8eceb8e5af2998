import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRoute, routeHash, tokenFromHash } from "../js/lib/router.js";

test("hashes parse into a view, its arguments and a query", () => {
  assert.deepEqual(parseRoute("#/jobs/default/my%20job?status=Failed"), { view: "jobs", args: ["default", "my job"], query: { status: "Failed" } });
  assert.deepEqual(parseRoute(""), { view: "overview", args: [], query: {} });
  assert.deepEqual(parseRoute("#/nope/x"), { view: "overview", args: [], query: {} });
  assert.equal(parseRoute("#/pods/ns/p").view, "pods");
});

test("routes print back to the same hash", () => {
  const hash = routeHash("jobs", ["default", "my job"], { status: "Failed", label: "" });
  assert.equal(hash, "#/jobs/default/my%20job?status=Failed");
  assert.deepEqual(parseRoute(hash).args, ["default", "my job"]);
});

test("the token is read from the fragment drover up prints", () => {
  assert.equal(tokenFromHash("#token=abc%2Bdef"), "abc+def");
  assert.equal(tokenFromHash("#/jobs?token=t1"), "t1");
  assert.equal(tokenFromHash("#/jobs"), null);
});
