import { ValidationError } from "../errors.ts";
import { zodIssues } from "./field-issues.ts";
import type * as z from "./zod.ts";

/** Parses `value` with `schema`, or throws a ValidationError whose paths start at `root`. */
export const parseWith = <S extends z.ZodMiniType>(schema: S, value: unknown, root: string): z.output<S> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(zodIssues(root, result.error));
};
