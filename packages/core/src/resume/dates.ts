import { isSpace } from "./whitespace.ts";

/**
 * Dates as people write them in CVs → JSON Resume ISO dates (`YYYY-MM-DD`,
 * `YYYY-MM`, `YYYY`). "Present", "Current" and "Now" mean no end date.
 */

const MONTH_NUMBERS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const MONTH =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const YEAR = "(?:19|20)\\d{2}";
/**
 * One date: "Jan 2020", "January, 2020", "2020-01", "2020-01-15", "01/2020", "2020".
 * The patterns run on text whose whitespace runs are collapsed to one space
 * (see `findDateRange`), so a single optional space stands for `\s*` and one
 * space for `\s+`: no unbounded repetition, no backtracking over a long run.
 */
const DATE = `(?:${MONTH}\\.?,? ${YEAR}|${YEAR}-[01]?\\d(?:-[0-3]\\d)?|[01]?\\d/${YEAR}|${YEAR})`;
const OPEN = "(?:present|current|now|today|ongoing|date)";
const RANGE_SEP = " ?(?:–|—|-|to|until|till) ?";

const RANGE_RE = new RegExp(`(?<![\\w/-])(${DATE})(?:${RANGE_SEP}(${DATE}|${OPEN}))?(?![\\w/-])`, "i");
const OPEN_RE = new RegExp(`^${OPEN}$`, "i");
const MONTH_YEAR_RE = /^([a-z]+)\.?,?\s+(\d{4})$/;
const ISO_RE = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/;
const SLASH_RE = /^(\d{1,2})\/(\d{4})$/;
const YEAR_RE = /^\d{4}$/;

/** Every regular expression this module applies to CV text (checked for linear-time matching by the tests). */
export const TEXT_PATTERNS: readonly RegExp[] = [RANGE_RE, OPEN_RE, MONTH_YEAR_RE, ISO_RE, SLASH_RE, YEAR_RE];

const pad = (n: number): string => String(n).padStart(2, "0");

/** One written date → ISO, or undefined when it is not a date. */
export const toIsoDate = (text: string): string | undefined => {
  const t = text.trim().toLowerCase();
  let m = MONTH_YEAR_RE.exec(t);
  if (m) {
    const month = MONTH_NUMBERS[m[1]!];
    return month === undefined ? undefined : `${m[2]}-${pad(month)}`;
  }
  m = ISO_RE.exec(t);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return undefined;
    if (m[3] === undefined) return `${m[1]}-${pad(month)}`;
    const day = Number(m[3]);
    return day >= 1 && day <= 31 ? `${m[1]}-${pad(month)}-${pad(day)}` : `${m[1]}-${pad(month)}`;
  }
  m = SLASH_RE.exec(t);
  if (m) {
    const month = Number(m[1]);
    return month >= 1 && month <= 12 ? `${m[2]}-${pad(month)}` : undefined;
  }
  return YEAR_RE.test(t) ? t : undefined;
};

export interface DateRange {
  readonly startDate?: string;
  readonly endDate?: string;
  /** "Present" and friends. */
  readonly current: boolean;
  /** The matched text, so the caller can remove it from the line. */
  readonly text: string;
}

/**
 * `text` with every whitespace run as one space, and where each of its
 * characters starts in `text` (`starts[collapsed.length]` is `text.length`).
 */
const collapseSpaces = (text: string): { collapsed: string; starts: Int32Array } => {
  const starts = new Int32Array(text.length + 1);
  let collapsed = "";
  let n = 0;
  let piece = 0;
  for (let i = 0; i < text.length; ) {
    if (!isSpace(text.charCodeAt(i))) {
      starts[n++] = i++;
      continue;
    }
    const runStart = i;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    collapsed += `${text.slice(piece, runStart)} `;
    piece = i;
    starts[n++] = runStart;
  }
  starts[n] = text.length;
  return { collapsed: collapsed + text.slice(piece), starts };
};

/** The first date or date range in `text`. */
export const findDateRange = (text: string): DateRange | undefined => {
  const { collapsed, starts } = collapseSpaces(text);
  const m = RANGE_RE.exec(collapsed);
  if (!m) return undefined;
  const start = toIsoDate(m[1]!);
  if (start === undefined) return undefined;
  const endText = m[2];
  const current = endText !== undefined && OPEN_RE.test(endText.trim());
  const end = endText === undefined || current ? undefined : toIsoDate(endText);
  return {
    startDate: start,
    ...(end === undefined ? {} : { endDate: end }),
    current,
    // The text as written, whitespace and all, so the caller can remove it from the line.
    text: text.slice(starts[m.index]!, starts[m.index + m[0].length]!),
  };
};
