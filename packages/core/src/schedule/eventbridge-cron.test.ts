import { test } from "uvu";
import * as assert from "uvu/assert";
import { schedules } from "../topology.ts";
import { nextFireTime, parseCron } from "./eventbridge-cron.ts";

const weekly = parseCron(schedules.weeklyReport.cron);

test("the weekly report fires Monday 07:00 UTC", () => {
  // Sunday 2026-11-22 16:00 → Monday 2026-11-23 07:00
  assert.is(nextFireTime(weekly, new Date("2026-11-22T16:00:00Z"))?.toISOString(), "2026-11-23T07:00:00.000Z");
});

test("exactly at the fire time, the next one is a week later", () => {
  assert.is(nextFireTime(weekly, new Date("2026-11-23T07:00:00Z"))?.toISOString(), "2026-11-30T07:00:00.000Z");
});

test("Monday 06:59 fires the same day; across a year boundary too", () => {
  assert.is(nextFireTime(weekly, new Date("2026-11-23T06:59:30Z"))?.toISOString(), "2026-11-23T07:00:00.000Z");
  assert.is(nextFireTime(weekly, new Date("2026-12-29T00:00:00Z"))?.toISOString(), "2027-01-04T07:00:00.000Z");
});

test("lists, ranges and steps", () => {
  const s = parseCron("cron(0/15 9-17 ? * MON-FRI *)");
  assert.is(nextFireTime(s, new Date("2026-11-21T12:00:00Z"))?.toISOString(), "2026-11-23T09:00:00.000Z"); // Sat → Mon
  assert.is(nextFireTime(s, new Date("2026-11-23T09:00:00Z"))?.toISOString(), "2026-11-23T09:15:00.000Z");
});

test("refuses malformed expressions by rule", () => {
  assert.throws(() => parseCron("0 7 * * 1"), /not an EventBridge cron/);
  assert.throws(() => parseCron("cron(0 7 * * MON *)"), /exactly one of day-of-month and day-of-week/);
  assert.throws(() => parseCron("cron(0 25 ? * MON *)"), /outside 0-23/);
  assert.throws(() => parseCron("cron(0 7 L * ? *)"), /not supported/);
});

test.run();
