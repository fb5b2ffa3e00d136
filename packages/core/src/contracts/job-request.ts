import { encodedJsonKind } from "./encoded-json.ts";
import { APPLICATION_ID, CV_ID, ENGINE_NAMES } from "./job-constants.ts";
import { Posting } from "./posting.ts";
import * as z from "./zod.ts";

export { MAX_POSTING_CHARS, Posting } from "./posting.ts";

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
 * A JSON Resume sent as a string of JSON would otherwise pass as a text CV (it is long enough) and be
 * read as prose: refused, saying what happened.
 */
const notEncodedJson = z.check<string | Record<string, unknown>>((ctx) => {
  if (typeof ctx.value !== "string" || encodedJsonKind(ctx.value) === undefined) return;
  ctx.issues.push({
    code: "custom",
    input: ctx.value,
    message:
      "is a JSON Resume encoded as a JSON string: send the object itself as cv (the request is JSON already; do not JSON-encode the CV again)",
    params: { rule: "json_string" },
  });
});

/** A CV as a request carries it (`POST /v1/jobs`'s `cv`, `POST /v1/cvs`'s and `PUT /v1/cvs/{cvId}`'s `cv`). */
export const CvField = z
  .union(
    [
      z
        .string()
        .check(z.trim(), z.minLength(50, "a text CV must be at least 50 characters"), z.maxLength(MAX_CV_TEXT_CHARS)),
      z.record(z.string(), z.unknown()),
    ],
    {
      error: (issue) =>
        issue.input === undefined
          ? "is required: a JSON Resume object or a plain-text/Markdown CV string"
          : "must be a JSON Resume object or a plain-text/Markdown CV string",
    },
  )
  .check(
    notEncodedJson,
    z.describe(
      "The CV: a JSON Resume object (https://jsonresume.org/schema, checked against the official schema; at most 20,000 characters per field) or plain text / Markdown with headings such as Experience, Education, Skills.",
    ),
  );

export const CvRef = z
  .strictObject({
    cvId: z.string().check(z.regex(CV_ID, "must be a cvId as POST /v1/cvs returned it")),
    version: z.optional(intIn(1, 1_000_000).check(z.describe("The version to use; the latest when omitted."))),
  })
  .check(z.describe("A CV of the caller's library (POST /v1/cvs) instead of an inline `cv`."));
export type CvRef = z.output<typeof CvRef>;

/**
 * `POST /v1/jobs` body. `cv` is a JSON Resume object (checked against the
 * official schema separately, for precise paths) or plain text / Markdown;
 * `cvRef` names a library CV instead (exactly one of the two: submitJob checks it).
 */
export const JobRequest = z.strictObject({
  cv: z.optional(CvField),
  cvRef: z.optional(CvRef),
  job: Posting.check(z.describe("The job description to tailor the CV to.")),
  applicationId: z.optional(
    z
      .string()
      .check(
        z.regex(APPLICATION_ID, "must be 1-128 printable ASCII characters, no spaces"),
        z.describe(
          "Your own id for what this job belongs to (an application in your ATS): echoed in the job, and a filter of GET /v1/jobs.",
        ),
      ),
  ),
  options: z.optional(TailoringOptions).check(z.describe("Engine and length budgets; defaults apply when omitted.")),
});
export type JobRequest = z.output<typeof JobRequest>;
