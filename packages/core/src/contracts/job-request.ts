import { Posting } from "./posting.ts";
import * as z from "./zod.ts";

export { MAX_POSTING_CHARS, Posting } from "./posting.ts";

export const ENGINE_NAMES = ["local", "bedrock"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Limits that keep a request inside one SQS message and one DynamoDB item. */
export const MAX_CV_TEXT_CHARS = 100_000;

const intIn = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));

export const TailoringOptions = z.strictObject({
  engine: z.optional(z.enum(ENGINE_NAMES)),
  /** Highlights kept per work entry / project. */
  maxHighlightsPerEntry: z.optional(intIn(1, 20)),
  /** Skill keywords kept in total. */
  maxSkills: z.optional(intIn(1, 100)),
  /** Whole-CV word budget for the tailored output. */
  maxWords: z.optional(intIn(100, 5000)),
});
export type TailoringOptions = z.output<typeof TailoringOptions>;

/**
 * `POST /v1/jobs` body. `cv` is a JSON Resume object (checked against the
 * official schema separately, for precise paths) or plain text / Markdown.
 */
export const JobRequest = z.strictObject({
  cv: z
    .union(
      [
        z
          .string()
          .check(z.trim(), z.minLength(50, "a text CV must be at least 50 characters"), z.maxLength(MAX_CV_TEXT_CHARS)),
        z.record(z.string(), z.unknown()),
      ],
      {
        error: (issue) =>
          issue.input === undefined ? "is required" : "must be a JSON Resume object or a plain-text/Markdown CV string",
      },
    )
    .check(
      z.describe(
        "The CV: a JSON Resume object (https://jsonresume.org/schema, checked against the official schema; at most 20,000 characters per field) or plain text / Markdown with headings such as Experience, Education, Skills.",
      ),
    ),
  job: Posting.check(z.describe("The job description to tailor the CV to.")),
  options: z.optional(TailoringOptions).check(z.describe("Engine and length budgets; defaults apply when omitted.")),
});
export type JobRequest = z.output<typeof JobRequest>;

export const JOB_STATUSES = ["QUEUED", "PROCESSING", "SUCCEEDED", "FAILED"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const isTerminal = (status: JobStatus): boolean => status === "SUCCEEDED" || status === "FAILED";
