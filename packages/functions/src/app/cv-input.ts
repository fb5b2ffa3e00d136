/**
 * A CV as a request carries it (`POST /v1/jobs`'s `cv`, the CV library's uploads): the checks
 * beyond its zod shape, the same wherever it arrives.
 */
import { jsonLimitIssues, MAX_KEY_CHARS } from "@cvpipe/core/contracts/json-limits";
import type { FieldIssue } from "@cvpipe/core/errors";
import { reviewResume } from "@cvpipe/core/resume/resume-review";
import { resumeIssues } from "@cvpipe/core/resume/validate-resume";

/** Longest single string in a JSON Resume CV (a summary or highlight is far shorter). */
export const MAX_CV_FIELD_CHARS = 20_000;

/**
 * A JSON Resume CV's own limits, on top of the body's (jsonBody: depth, key length, combining marks everywhere).
 * The key length is kept here too: the use case refuses a CV whose keys the worker could not walk
 * (every leaf path repeats its keys) whoever called it, and a length compare costs nothing.
 */
const CV_LIMITS = { maxDepth: 8, maxStringChars: MAX_CV_FIELD_CHARS, maxKeyChars: MAX_KEY_CHARS } as const;

/**
 * Whether a CV keeps CV_LIMITS: a walk that allocates nothing, its recursion bounded by the depth limit.
 * Only a CV over a limit is walked again by jsonLimitIssues, which names the place. Combining marks
 * are not judged again here: jsonBody judged them on the whole body, the CV included, before any route
 * ran: testing every string of the CV against the combining-mark pattern again was most of the second walk.
 */
const withinCvLimits = (value: unknown, depth: number): boolean => {
  if (typeof value === "string") return value.length <= CV_LIMITS.maxStringChars;
  if (value === null || typeof value !== "object") return true;
  if (depth >= CV_LIMITS.maxDepth) return false;
  if (Array.isArray(value)) return value.every((item) => withinCvLimits(item, depth + 1));
  for (const key of Object.keys(value)) {
    if (key.length > CV_LIMITS.maxKeyChars) return false;
    if (!withinCvLimits((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
};

const isObject = (cv: unknown): cv is Record<string, unknown> =>
  cv !== null && typeof cv === "object" && !Array.isArray(cv);

/**
 * A JSON Resume CV's problems at `path`: the official schema, the calendar (`2020-02-30`, an end before
 * its start) and the limits; none for a text CV (zod judges its length).
 */
export const cvIssues = (cv: unknown, path: string): FieldIssue[] =>
  isObject(cv)
    ? [
        ...resumeIssues(cv, path),
        ...reviewResume(cv, path).issues,
        ...(withinCvLimits(cv, 0) ? [] : jsonLimitIssues(cv, path, CV_LIMITS)),
      ]
    : [];

/**
 * What an accepted JSON Resume CV is warned of (rule `unknown`: a key a typo away from one the
 * schema names there, `positon`, whose value nothing reads); none for a text CV.
 */
export const cvWarnings = (cv: unknown, path: string): FieldIssue[] =>
  isObject(cv) ? reviewResume(cv, path).warnings : [];

/** `{warnings}` when there are any, else nothing: an answer without warnings has no `warnings` key. */
export const warned = (warnings: readonly FieldIssue[]): { warnings?: readonly FieldIssue[] } =>
  warnings.length > 0 ? { warnings } : {};
