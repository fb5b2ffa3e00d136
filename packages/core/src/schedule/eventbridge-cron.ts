/**
 * EventBridge cron expressions — `cron(minutes hours day-of-month month day-of-week year)`, UTC —
 * parsed and evaluated: numbers, `*`, `?`, lists, ranges, steps, and MON–SUN / JAN–DEC names.
 * (`L`, `W` and `#` are not supported and are refused by name.)
 */

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** undefined: `?` (no constraint). */
  readonly daysOfMonth: ReadonlySet<number> | undefined;
  readonly months: ReadonlySet<number>;
  /** 1 = Sunday … 7 = Saturday, as EventBridge numbers them; undefined: `?`. */
  readonly daysOfWeek: ReadonlySet<number> | undefined;
  readonly years: ReadonlySet<number> | undefined;
}

const parseField = (field: string, min: number, max: number, names: string[] = [], nameBase = 1): Set<number> => {
  const out = new Set<number>();
  const value = (token: string): number => {
    const idx = names.indexOf(token.toUpperCase());
    const n = idx >= 0 ? idx + nameBase : Number(token);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`"${token}" is outside ${min}-${max}`);
    return n;
  };
  for (const part of field.split(",")) {
    if (/[LW#]/.test(part)) throw new Error(`"${part}": L, W and # are not supported`);
    const [range = "*", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === "*") [lo, hi] = [min, max];
    else if (range.includes("-")) {
      const [a = "", b = ""] = range.split("-");
      [lo, hi] = [value(a), value(b)];
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let n = lo; n <= hi; n += step) out.add(n);
  }
  return out;
};

export const parseCron = (expression: string): CronSchedule => {
  const m = /^cron\((.*)\)$/.exec(expression.trim());
  if (!m) throw new Error(`not an EventBridge cron expression: ${expression}`);
  const fields = (m[1] ?? "").trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`cron needs 6 fields, got ${fields.length}: ${expression}`);
  const [min = "", hour = "", dom = "", month = "", dow = "", year = ""] = fields;
  if ((dom === "?") === (dow === "?")) throw new Error("exactly one of day-of-month and day-of-week must be ?");
  return {
    minutes: parseField(min, 0, 59),
    hours: parseField(hour, 0, 23),
    daysOfMonth: dom === "?" ? undefined : parseField(dom, 1, 31),
    months: parseField(month, 1, 12, MONTH_NAMES),
    daysOfWeek: dow === "?" ? undefined : parseField(dow, 1, 7, DAY_NAMES),
    years: year === "*" ? undefined : parseField(year, 1970, 2199),
  };
};

const matchesDay = (s: CronSchedule, d: Date): boolean =>
  s.months.has(d.getUTCMonth() + 1) &&
  (s.years === undefined || s.years.has(d.getUTCFullYear())) &&
  (s.daysOfMonth === undefined || s.daysOfMonth.has(d.getUTCDate())) &&
  (s.daysOfWeek === undefined || s.daysOfWeek.has(d.getUTCDay() + 1));

/** The first fire time strictly after `after`, or undefined within the next ~5 years. */
export const nextFireTime = (s: CronSchedule, after: Date): Date | undefined => {
  const start = new Date(after.getTime());
  start.setUTCSeconds(0, 0);
  start.setUTCMinutes(start.getUTCMinutes() + 1);
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  const hours = [...s.hours].sort((a, b) => a - b);
  const minutes = [...s.minutes].sort((a, b) => a - b);
  for (let i = 0; i < 366 * 5; i++, day.setUTCDate(day.getUTCDate() + 1)) {
    if (!matchesDay(s, day)) continue;
    for (const h of hours) {
      for (const mi of minutes) {
        const t = new Date(day.getTime() + h * 3_600_000 + mi * 60_000);
        if (t >= start) return t;
      }
    }
  }
  return undefined;
};
