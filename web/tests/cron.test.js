import { test } from "node:test";
import assert from "node:assert/strict";
import { cronInWords, nextRun, parseCron, zoneOffsetMinutes } from "../js/lib/cron.js";

test("schedules in words", () => {
  const table = [["* * * * *", "every minute"], ["*/5 * * * *", "every 5 minutes"], ["0 * * * *", "every hour"],
    ["15 * * * *", "at minute 15 of every hour"], ["30 2 * * *", "at 02:30 every day"], ["@daily", "at 00:00 every day"],
    ["0 9 * * 1,5", "at 09:00 on Monday, Friday"], ["0 9 * * MON-FRI", "at 09:00 on Monday, Tuesday, Wednesday, Thursday, Friday"],
    ["0 0 1 * *", "at 00:00 on day 1 of the month"], ["0 */6 * * *", "at minute 0 every 6 hours"],
    ["0 12 * JAN,JUL *", "at 12:00 in January, July"], ["CRON_TZ=Europe/Paris 0 8 * * *", "at 08:00 every day (Europe/Paris)"],
    ["0 25 * * *", "invalid schedule (hour out of range: \"25\")"], ["* * *", "invalid schedule (expected 5 fields, found 3: \"* * *\")"]];
  for (const [schedule, words] of table) assert.equal(cronInWords(schedule), words, schedule);
});

test("the next run is strictly after the given time", () => {
  const at = (s) => Date.parse(s);
  const iso = (ms) => new Date(ms).toISOString();
  assert.equal(iso(nextRun("*/5 * * * *", at("2026-12-03T12:03:10Z"))), "2026-12-03T12:05:00.000Z");
  assert.equal(iso(nextRun("*/5 * * * *", at("2026-12-03T12:05:00Z"))), "2026-12-03T12:10:00.000Z");
  assert.equal(iso(nextRun("30 2 * * *", at("2026-12-03T12:00:00Z"))), "2026-12-04T02:30:00.000Z");
  assert.equal(iso(nextRun("0 0 1 1 *", at("2026-12-03T12:00:00Z"))), "2027-01-01T00:00:00.000Z");
  assert.equal(iso(nextRun("0 9 * * 1", at("2026-12-03T12:00:00Z"))), "2026-12-07T09:00:00.000Z"); // a Thursday → Monday
  assert.equal(iso(nextRun("0 0 31 2 *", at("2026-12-03T12:00:00Z")) ?? 0), "1970-01-01T00:00:00.000Z");
});

test("time zones shift the wall clock", () => {
  assert.equal(zoneOffsetMinutes("UTC", 0), 0);
  assert.equal(zoneOffsetMinutes("Asia/Kolkata", Date.parse("2026-12-03T12:00:00Z")), 330);
  const next = nextRun("0 8 * * *", Date.parse("2026-12-03T00:00:00Z"), "Asia/Kolkata");
  assert.equal(new Date(next).toISOString(), "2026-12-03T02:30:00.000Z");
  assert.equal(parseCron("TZ=UTC * * * * *").zone, "UTC");
});
