import type { z } from "zod";
import { ValidationError } from "../errors.ts";
import { zodIssues } from "./field-issues.ts";

/** Parses `value` with `schema`, or throws a ValidationError whose paths start at `root`. */
export const parseWith = <S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(zodIssues(root, result.error));
};
