/**
 * JSON Resume dates (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) on the calendar. The schema's pattern lets
 * `2020-13` and `2020-02-30` through (any month 00-19, any day 00-39); these say why they are not dates,
 * and compare two dates of different precision. Read character by character: no regular expression.
 */

export interface CalendarDateParts {
  readonly year: number;
  readonly month?: number;
  readonly day?: number;
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

const isDigit = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
};

const digitsAt = (text: string, from: number, count: number): number | undefined => {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    if (!isDigit(text, i)) return undefined;
    n = n * 10 + text.charCodeAt(i) - 48;
  }
  return n;
};

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` split into numbers (not yet judged by the calendar); undefined for any other text. */
export const calendarDateParts = (text: string): CalendarDateParts | undefined => {
  if (text.length !== 4 && text.length !== 7 && text.length !== 10) return undefined;
  const year = digitsAt(text, 0, 4);
  if (year === undefined) return undefined;
  if (text.length === 4) return { year };
  const month = text[4] === "-" ? digitsAt(text, 5, 2) : undefined;
  if (month === undefined) return undefined;
  if (text.length === 7) return { year, month };
  const day = text[7] === "-" ? digitsAt(text, 8, 2) : undefined;
  return day === undefined ? undefined : { year, month, day };
};

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** Why `text` (of the date shape) is not a day, month or year of the calendar; undefined when it is one (or not of the shape). */
export const calendarProblem = (text: string): string | undefined => {
  const parts = calendarDateParts(text);
  if (!parts || parts.month === undefined) return undefined;
  if (parts.month < 1 || parts.month > 12) return `there is no month ${pad(parts.month)} (months are 01-12)`;
  if (parts.day === undefined) return undefined;
  const days = daysInMonth(parts.year, parts.month);
  if (parts.day < 1 || parts.day > days)
    return `there is no day ${pad(parts.day)} in ${MONTH_NAMES[parts.month - 1]} ${parts.year} (it has ${days} days)`;
  return undefined;
};

const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * Whether `end` lies wholly before `start`, at the precision both have: `2020` does not end before
 * `2020-06` (the year holds June), `2020-05` does end before `2020-06-01`. Both must be calendar dates.
 */
export const endsBefore = (end: string, start: string): boolean => {
  const n = Math.min(end.length, start.length);
  return end.slice(0, n) < start.slice(0, n);
};
