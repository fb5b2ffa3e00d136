/**
 * ISO 8601 weeks in UTC: weeks start on Monday and belong to the ISO week-year
 * of their Thursday, so 2027-01-01 (a Friday) is in 2026-W53 and 2024-12-30
 * (a Monday) is in 2025-W01. Weeks are written `2026-W47`.
 */
import { ValidationError } from "../errors.ts";
import { DAY_MS } from "../ttl.ts";

/** `2026-W47`. Always produced by {@link formatIsoWeek}, so it sorts and compares as a string. */
export type IsoWeek = string;

export interface IsoWeekParts {
  readonly year: number;
  readonly week: number;
}

const WEEK_MS = 7 * DAY_MS;
const ISO_WEEK = /^(\d{4})-W(\d{2})$/;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** 1 = Monday … 7 = Sunday. */
const isoWeekday = (date: Date): number => date.getUTCDay() || 7;

/** Monday 00:00 UTC of week 1 of `year`: the Monday on or before 4 January. */
const firstMondayOf = (year: number): number => {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  return jan4.getTime() - (isoWeekday(jan4) - 1) * DAY_MS;
};

/** 52 or 53. A year has 53 ISO weeks when 28 December falls in week 53. */
export const weeksInIsoYear = (year: number): number => {
  const dec28 = Date.UTC(year, 11, 28);
  return Math.floor((dec28 - firstMondayOf(year)) / WEEK_MS) + 1;
};

/** The ISO week containing the instant `date` (evaluated in UTC). */
export const isoWeekPartsOf = (date: Date): IsoWeekParts => {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new RangeError("isoWeekOf: invalid date");
  // The Thursday of this week decides the week-year.
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const thursday = new Date(day + (4 - isoWeekday(date)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - firstMondayOf(year)) / WEEK_MS) + 1;
  return { year, week };
};

export const isoWeekOf = (date: Date): IsoWeek => formatIsoWeek(isoWeekPartsOf(date));

export const formatIsoWeek = (parts: IsoWeekParts): IsoWeek => {
  assertValidParts(parts);
  return `${String(parts.year).padStart(4, "0")}-W${String(parts.week).padStart(2, "0")}`;
};

const assertValidParts = ({ year, week }: IsoWeekParts): void => {
  // Date.UTC maps years 0-99 onto 1900-1999, so the week arithmetic is only sound from year 100;
  // cvpipe has no business before 1970.
  if (!Number.isInteger(year) || year < 1970 || year > 9999) {
    throw new ValidationError([
      { path: "week", rule: "iso_week", message: `year ${year} is out of range (1970-9999)` },
    ]);
  }
  if (!Number.isInteger(week) || week < 1 || week > weeksInIsoYear(year)) {
    throw new ValidationError([
      { path: "week", rule: "iso_week", message: `${year} has ${weeksInIsoYear(year)} ISO weeks, not week ${week}` },
    ]);
  }
};

/** Parses `2026-W47`; throws {@link ValidationError} for malformed text or a week the year does not have. */
export const parseIsoWeek = (text: string): IsoWeekParts => {
  const m = ISO_WEEK.exec(text);
  if (!m) {
    throw new ValidationError([
      { path: "week", rule: "iso_week", message: `"${text}" is not an ISO week like 2026-W47` },
    ]);
  }
  const parts = { year: Number(m[1]), week: Number(m[2]) };
  assertValidParts(parts);
  return parts;
};

export const isIsoWeek = (text: string): boolean => {
  try {
    parseIsoWeek(text);
    return true;
  } catch {
    return false;
  }
};

/** Monday 00:00:00.000 UTC, inclusive. */
export const isoWeekStart = (week: IsoWeek): Date => {
  const { year, week: n } = parseIsoWeek(week);
  return new Date(firstMondayOf(year) + (n - 1) * WEEK_MS);
};

/** The next Monday 00:00 UTC, exclusive: the week is `[start, end)`. */
export const isoWeekEnd = (week: IsoWeek): Date => new Date(isoWeekStart(week).getTime() + WEEK_MS);

export const previousIsoWeek = (week: IsoWeek): IsoWeek => isoWeekOf(new Date(isoWeekStart(week).getTime() - WEEK_MS));

export const nextIsoWeek = (week: IsoWeek): IsoWeek => isoWeekOf(isoWeekEnd(week));

/** `Mon 16 Nov 2026 – Sun 22 Nov 2026`, for report headings. */
export const describeIsoWeek = (week: IsoWeek): string => {
  const start = isoWeekStart(week);
  const last = new Date(isoWeekEnd(week).getTime() - DAY_MS);
  const fmt = (d: Date): string =>
    `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return `${fmt(start)} – ${fmt(last)}`;
};
