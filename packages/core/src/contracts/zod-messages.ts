/**
 * Messages for the mistakes an integrator makes most, in place of zod's generic ones (the English
 * locale stays for everything else):
 *
 * - a missing field: `is required: an object — The job description to tailor the CV to.` (its type
 *   and the schema's own description), not "expected object, received undefined";
 * - an object or list sent JSON-encoded as a string: says so;
 * - an unknown key of a closed object: the nearest key it takes, if one is a typo away, and the keys it takes.
 */
import { globalRegistry } from "zod/mini";
import type { $ZodRawIssue } from "zod/v4/core";
import { encodedJsonKind } from "./encoded-json.ts";
import { nearestKey } from "./nearest-key.ts";

/** Keys and descriptions shown in one message, at most (a hostile body's keys are already bounded by jsonBody). */
const SHOWN_KEYS = 5;
const SHOWN_KEY_CHARS = 64;
const SHOWN_DESCRIPTION_CHARS = 200;

const ARTICLE: Readonly<Record<string, string>> = {
  object: "an object",
  array: "an array",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
};

/** A zod type name in words, with its article (`array` → "an array"); a name without one as it is. */
export const typeInWords = (name: string): string => ARTICLE[name] ?? name;

/** String formats in words (`z.iso.datetime()`, `z.guid()`, ...). */
const FORMATS: Readonly<Record<string, string>> = {
  datetime: "an ISO 8601 date-time string, e.g. 2026-03-02T09:30:00Z",
  date: "an ISO 8601 date string, e.g. 2026-03-02",
  guid: "a UUID string",
  uuid: "a UUID string",
  email: "an email address",
  url: "a URL string",
};

const formatOf = (inst: unknown): string | undefined =>
  (inst as { _zod?: { def?: { format?: string } } } | undefined)?._zod?.def?.format;

/** The first sentence of the schema's description, if it has one. */
const describedAs = (inst: unknown): string | undefined => {
  const description = inst
    ? globalRegistry.get(inst as Parameters<typeof globalRegistry.get>[0])?.description
    : undefined;
  if (!description) return undefined;
  const end = description.indexOf(". ");
  const sentence = end === -1 ? description : description.slice(0, end + 1);
  return sentence.length > SHOWN_DESCRIPTION_CHARS ? `${sentence.slice(0, SHOWN_DESCRIPTION_CHARS)}…` : sentence;
};

const shownKey = (key: string): string =>
  JSON.stringify(key.length > SHOWN_KEY_CHARS ? `${key.slice(0, SHOWN_KEY_CHARS)}…` : key);

const shapeKeys = (inst: unknown): string[] => {
  const shape = (inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
};

/** zod's `customError`: a message for the issues above, undefined (the locale's) for the rest. */
export const fieldMessage = (issue: $ZodRawIssue): string | undefined => {
  if (issue.code === "invalid_type") {
    const expected = typeInWords(issue.expected);
    if (issue.input === undefined) {
      const format = FORMATS[formatOf(issue.inst) ?? ""];
      const described = describedAs(issue.inst);
      return `is required: ${format ?? expected}${described ? ` — ${described}` : ""}`;
    }
    if (
      (issue.expected === "object" || issue.expected === "array") &&
      typeof issue.input === "string" &&
      encodedJsonKind(issue.input) === issue.expected
    ) {
      return `is ${expected} encoded as a JSON string: send the ${issue.expected} itself (the request is JSON already; do not JSON-encode this value again)`;
    }
    return undefined;
  }
  if (issue.code === "unrecognized_keys") {
    const known = shapeKeys(issue.inst);
    const named = issue.keys.slice(0, SHOWN_KEYS).map((key) => {
      const meant = nearestKey(key, known);
      return meant === undefined ? shownKey(key) : `${shownKey(key)} (did you mean ${JSON.stringify(meant)}?)`;
    });
    const more = issue.keys.length > SHOWN_KEYS ? ` and ${issue.keys.length - SHOWN_KEYS} more` : "";
    const takes = known.length > 0 ? `; it takes ${known.join(", ")}` : "";
    return `unknown ${issue.keys.length === 1 ? "field" : "fields"} ${named.join(", ")}${more}${takes}`;
  }
  return undefined;
};
