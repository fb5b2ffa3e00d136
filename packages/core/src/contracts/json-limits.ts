import type { FieldIssue } from "../errors.ts";
import { formatPath } from "./field-issues.ts";

export interface JsonLimits {
  /** Deepest nesting of objects/arrays allowed. */
  readonly maxDepth: number;
  /** Longest string allowed anywhere in the value. */
  readonly maxStringChars?: number;
  /**
   * Longest object key allowed. Every path through a document repeats its keys,
   * so one huge key times many leaves is quadratic work (and memory) downstream.
   */
  readonly maxKeyChars?: number;
  /**
   * Longest run of combining marks allowed in a string or key. Unicode's
   * stream-safe format allows 30; longer runs make NFKC normalisation, which
   * every text check runs, quadratic (ICU reorders the whole run).
   */
  readonly maxCombiningRun?: number;
}

/** Unicode's stream-safe text format: at most 30 non-starters in a row. */
export const STREAM_SAFE_COMBINING_RUN = 30;
/** Longest object key in a request: JSON Resume's own keys are under 20 characters. */
export const MAX_KEY_CHARS = 128;

const combiningRuns = new Map<number, RegExp>();
/** A run of more than `max` combining marks (a fixed-count class: linear, no backtracking). */
const tooManyMarks = (text: string, max: number): boolean => {
  let re = combiningRuns.get(max);
  if (!re) {
    re = new RegExp(`\\p{M}{${max + 1}}`, "u");
    combiningRuns.set(max, re);
  }
  return re.test(text);
};

/**
 * Checks a parsed JSON value's nesting depth and string lengths without
 * recursion (a hostile document must not exhaust the stack), reporting the
 * first offending place of each kind.
 */
export const jsonLimitIssues = (value: unknown, root: string, limits: JsonLimits): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value, path: [] }];
  let depthReported = false;
  let lengthReported = false;
  let keyReported = false;
  let marksReported = false;
  const marks = (text: string, path: readonly PropertyKey[]): void => {
    if (marksReported || limits.maxCombiningRun === undefined || !tooManyMarks(text, limits.maxCombiningRun)) return;
    issues.push({
      path: formatPath(root, path),
      rule: "combining_marks",
      message: `has more than ${limits.maxCombiningRun} combining marks in a row (Unicode's stream-safe limit)`,
    });
    marksReported = true;
  };
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (!lengthReported && limits.maxStringChars !== undefined && v.length > limits.maxStringChars) {
        issues.push({
          path: formatPath(root, path),
          rule: "max_length",
          message: `is ${v.length} characters; the limit is ${limits.maxStringChars}`,
        });
        lengthReported = true;
      }
      marks(v, path);
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (path.length >= limits.maxDepth) {
      if (!depthReported) {
        issues.push({
          path: formatPath(root, path),
          rule: "max_depth",
          message: `nests deeper than ${limits.maxDepth} levels`,
        });
        depthReported = true;
      }
      continue;
    }
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    for (const [k, x] of entries) {
      if (typeof k === "string") {
        if (!keyReported && limits.maxKeyChars !== undefined && k.length > limits.maxKeyChars) {
          issues.push({
            path: formatPath(root, [...path, k]),
            rule: "max_key_length",
            message: `has a key of ${k.length} characters; the limit is ${limits.maxKeyChars}`,
          });
          keyReported = true;
        }
        marks(k, [...path, k]);
      }
      stack.push({ value: x, path: [...path, k] });
    }
  }
  return issues;
};
