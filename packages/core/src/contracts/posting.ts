/** The job posting a CV is tailored to: `POST /v1/jobs`'s `job`. */
import * as z from "./zod.ts";

export const MAX_POSTING_CHARS = 50_000;

export const Posting = z.strictObject({
  description: z
    .string()
    .check(
      z.trim(),
      z.minLength(20, "must be at least 20 characters of job description"),
      z.maxLength(MAX_POSTING_CHARS),
    ),
  title: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  company: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
});
export type Posting = z.output<typeof Posting>;
