import type { FieldIssue } from "../errors.ts";
import { formatPath } from "./field-issues.ts";

export interface JsonLimits {
  /** Deepest nesting of objects/arrays allowed. */
  readonly maxDepth: number;
  /** Longest string allowed anywhere in the value. */
  readonly maxStringChars?: number;
}

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
    for (const [k, x] of entries) stack.push({ value: x, path: [...path, k] });
  }
  return issues;
};
