import type { FieldIssue } from "../errors.ts";
import type * as z from "./zod.ts";

/** Longest object key a path shows whole; a longer (hostile) key is shown by its start. */
export const MAX_PATH_KEY_CHARS = 64;
/** Longest path shown; deeper paths keep their start and end. */
export const MAX_PATH_CHARS = 512;

const shownKey = (key: string): string =>
  key.length > MAX_PATH_KEY_CHARS ? `${key.slice(0, MAX_PATH_KEY_CHARS)}…(${key.length} chars)` : key;

/**
 * `["cv","work",2,"startDate"]` under root `body` → `body.cv.work[2].startDate`.
 * Bounded whatever the input: a key of 500k quotes must not make an answer of megabytes.
 */
export const formatPath = (root: string, path: readonly PropertyKey[]): string => {
  let out = root;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string" && part.length <= MAX_PATH_KEY_CHARS && /^[A-Za-z_$][\w$]*$/.test(part))
      out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(shownKey(String(part)))}]`;
    if (out.length > 4 * MAX_PATH_CHARS) break;
  }
  if (out.length > MAX_PATH_CHARS) out = `${out.slice(0, MAX_PATH_CHARS / 2)}…${out.slice(-MAX_PATH_CHARS / 4)}`;
  return out || "(root)";
};

/** A custom check may name its rule (`params.rule`: a JSON Schema keyword, as a CV's issues do); else zod's code. */
const ruleOf = (issue: z.core.$ZodIssue): string =>
  issue.code === "custom" && typeof issue.params?.["rule"] === "string" ? issue.params["rule"] : issue.code;

/** Re-roots zod issues where the caller can see them. */
export const zodIssues = (root: string, error: z.core.$ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({
    path: formatPath(root, issue.path),
    rule: ruleOf(issue),
    message: issue.message,
  }));
