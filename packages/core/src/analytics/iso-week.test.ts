import { test } from "uvu";
import * as assert from "uvu/assert";
import { ValidationError } from "../errors.ts";
import {
  describeIsoWeek,
  formatIsoWeek,
  isIsoWeek,
  isoWeekEnd,
  isoWeekOf,
  isoWeekStart,
  nextIsoWeek,
  parseIsoWeek,
  previousIsoWeek,
  weeksInIsoYear,
} from "./iso-week.ts";

const at = (iso: string): Date => new Date(iso);

test("a mid-year week", () => {
  assert.is(isoWeekOf(at("2026-11-16T00:00:00Z")), "2026-W47");
  assert.is(isoWeekOf(at("2026-11-22T23:59:59.999Z")), "2026-W47");
  assert.is(isoWeekOf(at("2026-11-23T00:00:00Z")), "2026-W48");
});

test("year boundaries follow the ISO week-year, not the calendar year", () => {
  assert.is(isoWeekOf(at("2027-01-01T12:00:00Z")), "2026-W53");
  assert.is(isoWeekOf(at("2027-01-03T23:59:59Z")), "2026-W53");
  assert.is(isoWeekOf(at("2027-01-04T00:00:00Z")), "2027-W01");
  assert.is(isoWeekOf(at("2024-12-30T00:00:00Z")), "2025-W01");
  assert.is(isoWeekOf(at("2024-12-29T23:59:59Z")), "2024-W52");
  assert.is(isoWeekOf(at("2021-01-03T10:00:00Z")), "2020-W53");
  assert.is(isoWeekOf(at("2020-12-31T10:00:00Z")), "2020-W53");
  assert.is(isoWeekOf(at("2019-12-30T10:00:00Z")), "2020-W01");
  assert.is(isoWeekOf(at("2023-01-01T10:00:00Z")), "2022-W52");
});

test("the week is evaluated in UTC, whatever the offset of the timestamp", () => {
  // Sunday 23:30 in New York is Monday 04:30 UTC.
  assert.is(isoWeekOf(at("2026-11-22T23:30:00-05:00")), "2026-W48");
  // Monday 00:30 in Berlin is Sunday 23:30 UTC.
  assert.is(isoWeekOf(at("2026-11-23T00:30:00+01:00")), "2026-W47");
});

test("weeks per year: 53 when 1 Jan is a Thursday, or a Wednesday in a leap year", () => {
  assert.is(weeksInIsoYear(2026), 53); // starts on Thursday
  assert.is(weeksInIsoYear(2020), 53); // leap year starting on Wednesday
  assert.is(weeksInIsoYear(2015), 53);
  assert.is(weeksInIsoYear(2024), 52);
  assert.is(weeksInIsoYear(2025), 52);
  assert.is(weeksInIsoYear(2027), 52);
  const fifty3 = [];
  for (let y = 2000; y <= 2040; y++) if (weeksInIsoYear(y) === 53) fifty3.push(y);
  assert.equal(fifty3, [2004, 2009, 2015, 2020, 2026, 2032, 2037]);
});

test("start and end are Monday 00:00 UTC, end exclusive", () => {
  assert.is(isoWeekStart("2026-W47").toISOString(), "2026-11-16T00:00:00.000Z");
  assert.is(isoWeekEnd("2026-W47").toISOString(), "2026-11-23T00:00:00.000Z");
  assert.is(isoWeekStart("2026-W53").toISOString(), "2026-12-28T00:00:00.000Z");
  assert.is(isoWeekEnd("2026-W53").toISOString(), "2027-01-04T00:00:00.000Z");
  assert.is(isoWeekStart("2025-W01").toISOString(), "2024-12-30T00:00:00.000Z");
});

test("previous and next cross year boundaries, including W53", () => {
  assert.is(previousIsoWeek("2026-W47"), "2026-W46");
  assert.is(previousIsoWeek("2027-W01"), "2026-W53");
  assert.is(previousIsoWeek("2026-W01"), "2025-W52");
  assert.is(nextIsoWeek("2026-W53"), "2027-W01");
  assert.is(nextIsoWeek("2025-W52"), "2026-W01");
});

test("every instant of a week maps back to the week (round trip over 10 years)", () => {
  let week = "2020-W01";
  for (let i = 0; i < 530; i++) {
    const start = isoWeekStart(week).getTime();
    const end = isoWeekEnd(week).getTime();
    assert.is(isoWeekOf(new Date(start)), week);
    assert.is(isoWeekOf(new Date(end - 1)), week);
    assert.is(isoWeekOf(new Date((start + end) / 2)), week);
    assert.is(previousIsoWeek(nextIsoWeek(week)), week);
    week = nextIsoWeek(week);
  }
  // 2020..2029 hold 522 weeks (2020 and 2026 have 53), so 530 weeks on is week 9 of 2030.
  assert.is(week, "2030-W09");
});

test("parse and format validate", () => {
  assert.equal(parseIsoWeek("2026-W47"), { year: 2026, week: 47 });
  assert.equal(parseIsoWeek("2026-W53"), { year: 2026, week: 53 });
  assert.is(formatIsoWeek({ year: 2026, week: 7 }), "2026-W07");
  for (const bad of ["2025-W53", "2027-W53", "2026-W54", "2026-W00", "2026-W7", "2026W47", "26-W47", "", "2026-w47"]) {
    assert.not.ok(isIsoWeek(bad), bad);
    assert.throws(
      () => parseIsoWeek(bad),
      (e: unknown) => e instanceof ValidationError,
    );
  }
  assert.throws(
    () => formatIsoWeek({ year: 2025, week: 53 }),
    (e: unknown) => e instanceof ValidationError,
  );
  assert.ok(isIsoWeek("2020-W53"));
});

test("describe a week for headings", () => {
  assert.is(describeIsoWeek("2026-W47"), "Mon 16 Nov 2026 – Sun 22 Nov 2026");
});

test.run();
