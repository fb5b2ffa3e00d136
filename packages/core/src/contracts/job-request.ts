import { z } from "zod";

export const ENGINE_NAMES = ["local", "bedrock"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Limits that keep a request inside one SQS message and one DynamoDB item. */
export const MAX_CV_TEXT_CHARS = 100_000;
export const MAX_JOB_DESCRIPTION_CHARS = 50_000;

export const JobDescription = z
  .object({
    description: z
      .string()
      .trim()
      .min(20, "must be at least 20 characters of job description")
      .max(MAX_JOB_DESCRIPTION_CHARS),
    title: z.string().trim().min(1).max(200).optional(),
    company: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type JobDescription = z.output<typeof JobDescription>;

export const TailoringOptions = z
  .object({
    engine: z.enum(ENGINE_NAMES).optional(),
    /** Highlights kept per work entry / project. */
    maxHighlightsPerEntry: z.number().int().min(1).max(20).optional(),
    /** Skill keywords kept in total. */
    maxSkills: z.number().int().min(1).max(100).optional(),
    /** Whole-CV word budget for the tailored output. */
    maxWords: z.number().int().min(100).max(5000).optional(),
  })
  .strict();
export type TailoringOptions = z.output<typeof TailoringOptions>;

/**
 * `POST /v1/jobs` body. `cv` is a JSON Resume object (checked against the
 * official schema separately, for precise paths) or plain text / Markdown.
 */
export const JobRequest = z
  .object({
    cv: z
      .union(
        [
          z.string().trim().min(50, "a text CV must be at least 50 characters").max(MAX_CV_TEXT_CHARS),
          z.record(z.string(), z.unknown()),
        ],
        {
          error: (issue) =>
            issue.input === undefined
              ? "is required"
              : "must be a JSON Resume object or a plain-text/Markdown CV string",
        },
      )
      .describe(
        "The CV: a JSON Resume object (https://jsonresume.org/schema, checked against the official schema; at most 20,000 characters per field) or plain text / Markdown with headings such as Experience, Education, Skills.",
      ),
    job: JobDescription.describe("The job description to tailor the CV to."),
    options: TailoringOptions.optional().describe("Engine and length budgets; defaults apply when omitted."),
  })
  .strict();
export type JobRequest = z.output<typeof JobRequest>;

export const JOB_STATUSES = ["QUEUED", "PROCESSING", "SUCCEEDED", "FAILED"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const isTerminal = (status: JobStatus): boolean => status === "SUCCEEDED" || status === "FAILED";
