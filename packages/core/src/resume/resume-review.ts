/**
 * What the JSON Resume schema cannot say about a CV, found in one walk along the schema's tree
 * (resume-schema-tree.ts):
 *
 * - issues (the CV is refused): a date the pattern lets through but the calendar does not
 *   (`2020-13`, `2020-02-30`: rule `calendar`), an end date before its start (rule `order`);
 * - warnings (the CV is taken): a key the schema does not name but is a typo's distance from one it
 *   names in that object (`positon`, `bascis`: rule `unknown`), whose value cvpipe would never read.
 *   The schema allows other keys, so a key far from every known one (`x-github`, `tags`) is an
 *   extension and passes unremarked.
 *
 * Linear in the CV: each object's keys are compared with the dozen its schema names.
 */
import { formatPath } from "../contracts/field-issues.ts";
import { nearestKey } from "../contracts/nearest-key.ts";
import type { FieldIssue } from "../errors.ts";
import { calendarDateParts, calendarProblem, endsBefore } from "./calendar-date.ts";
import { RESUME_TREE, type SchemaNode, type SchemaObject } from "./resume-schema-tree.ts";

/** Most unknown-field warnings one CV gets: a CV of a thousand misspelt keys does not make an answer of them. */
export const MAX_CV_WARNINGS = 20;

export interface ResumeReview {
  readonly issues: FieldIssue[];
  readonly warnings: FieldIssue[];
}

type Path = Array<string | number>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const isCalendarDate = (value: unknown): value is string =>
  typeof value === "string" && calendarDateParts(value) !== undefined && calendarProblem(value) === undefined;

/** A JSON Resume CV's calendar and order issues and its unknown-field warnings, paths under `root`. */
export const reviewResume = (cv: unknown, root = "cv"): ResumeReview => {
  const review: ResumeReview = { issues: [], warnings: [] };
  if (isPlainObject(cv)) visitObject(RESUME_TREE, cv, [], root, review);
  return review;
};

const visit = (node: SchemaNode, value: unknown, path: Path, root: string, review: ResumeReview): void => {
  if (node.kind === "object") {
    if (isPlainObject(value)) visitObject(node, value, path, root, review);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      visit(node.items, item, [...path, i], root, review);
    });
  }
};

const visitObject = (
  node: SchemaObject,
  value: Record<string, unknown>,
  path: Path,
  root: string,
  review: ResumeReview,
): void => {
  for (const key of Object.keys(value)) {
    if (review.warnings.length >= MAX_CV_WARNINGS) break;
    if (node.keys.includes(key)) continue;
    const meant = nearestKey(key, node.keys);
    if (meant === undefined) continue;
    review.warnings.push({
      path: formatPath(root, [...path, key]),
      rule: "unknown",
      message: `unknown field '${key}' — did you mean '${meant}'? Its value is not read.`,
    });
  }
  for (const key of node.dates) {
    const date = value[key];
    const problem = typeof date === "string" ? calendarProblem(date) : undefined;
    if (problem !== undefined) {
      review.issues.push({
        path: formatPath(root, [...path, key]),
        rule: "calendar",
        message: `${JSON.stringify(date)} is not a calendar date: ${problem}`,
      });
    }
  }
  const { startDate, endDate } = value;
  if (
    node.dates.includes("startDate") &&
    node.dates.includes("endDate") &&
    isCalendarDate(startDate) &&
    isCalendarDate(endDate) &&
    endsBefore(endDate, startDate)
  ) {
    review.issues.push({
      path: formatPath(root, [...path, "endDate"]),
      rule: "order",
      message: `${JSON.stringify(endDate)} is before startDate ${JSON.stringify(startDate)}: an entry cannot end before it starts`,
    });
  }
  for (const [key, child] of node.children) {
    if (value[key] !== undefined) visit(child, value[key], [...path, key], root, review);
  }
};
