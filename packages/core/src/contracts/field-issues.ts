import type { z } from "zod";
import type { FieldIssue } from "../errors.ts";

/** `["cv","work",2,"startDate"]` under root `body` → `body.cv.work[2].startDate`. */
export const formatPath = (root: string, path: readonly PropertyKey[]): string => {
  let out = root;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string" && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || "(root)";
};

/** Re-roots zod issues where the caller can see them. */
export const zodIssues = (root: string, error: z.ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({
    path: formatPath(root, issue.path),
    rule: issue.code,
    message: issue.message,
  }));
