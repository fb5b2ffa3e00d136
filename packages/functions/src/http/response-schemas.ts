/**
 * The bodies the HTTP API answers with, written once. The code that builds
 * them is typed by these (`Answer<typeof JobView>`), openapi.ts converts them
 * to the document's JSON Schemas, and the tests validate real answers against
 * that conversion with every object closed, so a field the code sends that
 * these do not name fails a test instead of going undocumented.
 *
 * Errors (the `{success:false}` envelope and its codes) are in error-codes.ts.
 */

import { ENGINE_NAMES, JOB_STATUSES } from "@cvpipe/core/contracts/job-constants";
import * as z from "@cvpipe/core/contracts/zod";
import type { ErrorCode } from "@cvpipe/core/errors";
import { DEPENDENCIES } from "@cvpipe/core/ports/dependency-check";
import { MAX_CV_WARNINGS } from "@cvpipe/core/resume/resume-review";
import type { ViolationCode } from "@cvpipe/core/tailoring/types";
import { PUBLIC_JOB_MESSAGES } from "../app/job-error.ts";
import { ResumeView } from "./resume-view.ts";

type Frozen<T> = T extends readonly (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

/** What code returns for schema `S`: its output type, read-only all the way down (as the domain's types are). */
export type Answer<S extends z.ZodMiniType> = Frozen<z.output<S>>;

const timestamp = z.iso.datetime();
const count = z.number().check(z.int(), z.gte(0));
/** Random, or derived from an Idempotency-Key: always 8-4-4-4-12 hex (not necessarily an RFC 4122 version). */
const jobId = z.guid();

export const TokenUsageView = z.object({ inputTokens: count, outputTokens: count, totalTokens: count });

const CvPlaceView = z.object({
  section: z.string().check(z.describe("`summary`, `work`, `skills`, `projects` or `education`")),
  index: z.optional(count.check(z.describe("the entry: `work` 2 is `work[2]`; the summary has none"))),
  label: z.optional(z.string().check(z.describe("position and employer, skill group, project or degree"))),
});

const RequirementMatchView = z.object({
  requirement: z.string().check(z.describe("as the posting writes it")),
  group: z
    .enum(["hard", "soft", "other"])
    .check(z.describe("hard skills and tools, soft skills, or other competences")),
  explicit: z.boolean().check(z.describe("one of the posting's own `skills[].keywords`")),
  postingCount: count,
  cvCount: count,
  match: z
    .enum(["exact", "variant", "synonym", "missing"])
    .check(
      z.describe(
        "`exact` as the posting writes it; `variant` another word form; `synonym` a known skill by another name (an ATS may want the exact term)",
      ),
    ),
  cvTerms: z.optional(z.array(z.string()).check(z.describe("the CV's words that matched, lower-case"))),
  foundIn: z.array(CvPlaceView),
});

const nullableNumber = z.nullable(z.number());
const DEGREE_LEVELS = ["associate", "bachelor", "master", "doctorate"] as const;

const ScreeningChecksView = z.object({
  jobTitle: z.object({ posting: z.nullable(z.string()), cv: z.nullable(z.string()), matched: z.boolean() }),
  degree: z.object({
    required: z.nullable(z.enum(DEGREE_LEVELS)),
    cv: z.nullable(z.enum(DEGREE_LEVELS)),
    met: z.nullable(z.boolean()),
  }),
  yearsOfExperience: z.object({
    required: nullableNumber,
    cv: nullableNumber.check(
      z.describe("whole years the CV's positions cover; an open one ends at the CV's latest date"),
    ),
    met: z.nullable(z.boolean()),
  }),
  measurableResults: z.object({ highlights: count, withNumbers: count }),
});

export const MatchView = z.object({
  score: z.number().check(z.gte(0), z.lte(100)),
  matchedKeywords: z.array(z.string()),
  missingKeywords: z
    .array(z.string())
    .check(z.describe("in the order a recruiter screens: explicit, hard, other, soft")),
  sections: z.record(z.string(), z.number()).check(z.describe("relevance 0-100 per section (`work`, `skills`, ...)")),
  // Optional: results stored before these fields existed are still served (jobs keep 30 days).
  requirements: z.optional(z.array(RequirementMatchView)),
  checks: z.optional(ScreeningChecksView),
});

const VIOLATION_CODES = ["UNGROUNDED_CLAIM", "BANNED_CLAIM"] as const satisfies readonly ViolationCode[];

export const ViolationView = z.object({
  code: z.enum(VIOLATION_CODES),
  path: z.string().check(z.meta({ description: "where in the tailored CV", examples: ["work[1].position"] })),
  text: z.string().check(z.describe("the offending text")),
  reason: z.string(),
});

export const VerificationView = z.object({
  passed: z.boolean(),
  checkedFields: count,
  violations: z.array(ViolationView),
});

export const ResultView = z.object({
  resume: ResumeView.check(z.describe("the tailored CV, a JSON Resume")),
  markdown: z.string(),
  html: z.string().check(z.describe("standalone HTML document")),
  match: MatchView,
  verification: VerificationView,
  modelId: z.optional(z.string()),
});

export const ResultTooLargeView = z.object({
  bytes: count.check(z.describe("size of the stored result (JSON)")),
  limitBytes: count,
  linkExpiresAt: timestamp,
});

/** Every code a job can fail with: any of cvpipe's (each has its public message). */
const JOB_ERROR_CODES = Object.keys(PUBLIC_JOB_MESSAGES) as [ErrorCode, ...ErrorCode[]];

export const JobErrorView = z.object({
  code: z.enum(JOB_ERROR_CODES),
  message: z.string(),
  details: z.optional(z.unknown()),
  retryable: z
    .optional(z.boolean())
    .check(z.describe("true: an operator may redrive the job; submitting it again also works")),
});

export const JobLinks = z.object({
  self: z.string().check(z.meta({ examples: ["/v1/jobs/0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e"] })),
  result: z
    .optional(z.url())
    .check(
      z.describe(
        "with `resultTooLarge`: a presigned HTTPS GET of the full result (the `result` fields plus engine and usage), no token needed, valid until `resultTooLarge.linkExpiresAt` (15 minutes by default; sooner if the signing credentials expire — GET the job again for a fresh link)",
      ),
    ),
});

/** What the API shows of a job (job-view.ts builds it): never the internal keys, the hash or the TTL. */
export const JobView = z.object({
  jobId,
  status: z.enum(JOB_STATUSES),
  engine: z.enum(ENGINE_NAMES),
  createdAt: timestamp,
  updatedAt: timestamp,
  startedAt: z.optional(timestamp),
  finishedAt: z.optional(timestamp),
  attempts: count.check(z.describe("processing starts (redeliveries included)")),
  usage: z.optional(TokenUsageView),
  result: z
    .optional(ResultView)
    .check(
      z.describe(
        "present when SUCCEEDED (GET /v1/jobs/{jobId} only) and the answer fits the response limit; otherwise see `resultTooLarge` and `links.result`",
      ),
    ),
  resultTooLarge: z
    .optional(ResultTooLargeView)
    .check(
      z.describe(
        "present instead of `result` when the answer with it would exceed the response limit (MAX_RESPONSE_BYTES, 5 MB by default): fetch `links.result` before `linkExpiresAt`",
      ),
    ),
  error: z
    .optional(JobErrorView)
    .check(
      z.describe(
        "present when FAILED: a code and a fixed message per code (never a dependency's own words). `details` only where it is the producer's material — VALIDATION_ERROR / INVALID_CV issues, the UNGROUNDED_CLAIM / BANNED_CLAIM violations (first 100) — and only on GET /v1/jobs/{jobId}",
      ),
    ),
  cvRef: z
    .optional(z.object({ cvId: z.guid(), version: z.number().check(z.int(), z.gte(1)) }))
    .check(z.describe("a job submitted with `cvRef`: the library CV and the exact version it used")),
  applicationId: z.optional(z.string()).check(z.describe("the request's `applicationId`, as sent")),
  links: JobLinks,
});
export type JobView = Answer<typeof JobView>;

/** `GET /v1/jobs`: the listing's form of each job (no result; an error's code and message only). */
export const JobPage = z.object({
  items: z.array(JobView),
  cursor: z
    .optional(z.string())
    .check(z.describe("present when there are more: pass it as `cursor` for the next page")),
});
export type JobPage = Answer<typeof JobPage>;

/** Something an accepted CV is warned of: taken as it is, but probably not what the producer meant. */
export const CvWarning = z.object({
  path: z.string().check(z.meta({ examples: ["body.cv.work[0].positon"] })),
  rule: z.string().check(
    z.meta({
      description: "unknown: a key the JSON Resume schema does not name there, a typo away from one it does",
      examples: ["unknown"],
    }),
  ),
  message: z
    .string()
    .check(z.meta({ examples: ["unknown field 'positon' — did you mean 'position'? Its value is not read."] })),
});

const warnings = z
  .optional(z.array(CvWarning).check(z.maxLength(MAX_CV_WARNINGS)))
  .check(
    z.describe(
      `present when the CV was taken with something it probably did not mean (the first ${MAX_CV_WARNINGS}): a JSON Resume key a typo away from one the schema names (its value is not read); other extra keys are extensions the schema allows, and pass unremarked`,
    ),
  );

/** `POST /v1/jobs` → 202. */
export const JobAccepted = z.object({
  jobId,
  status: z.enum(JOB_STATUSES),
  links: z.pick(JobLinks, { self: true }),
  warnings,
});
export type JobAccepted = Answer<typeof JobAccepted>;

/** `POST /v1/events` → 202. */
export const EventsAccepted = z.object({
  accepted: count,
  eventIds: z.array(z.string()).check(z.describe("the ids accepted, in the request's order")),
});
export type EventsAccepted = Answer<typeof EventsAccepted>;

/** One dependency check of `GET /v1/health` (also in a 503's `details.checks`). */
export const HealthCheck = z.object({
  name: z.string().check(z.describe("`<dependency> <what>`, e.g. `DynamoDB jobs table`, `Bedrock runtime`")),
  dependency: z.enum(DEPENDENCIES),
  required: z
    .boolean()
    .check(
      z.describe(
        "true: the API cannot take work without it (503 when it fails); false: work is taken and waits for it (status degraded)",
      ),
    ),
  ok: z.boolean(),
  error: z.optional(z.string()).check(z.describe("the failure's error name, never its message")),
});
export type HealthCheck = Answer<typeof HealthCheck>;

/** `GET /v1/health` → 200: every check ok, or only checks that are not required failing. */
export const Health = z.object({
  status: z
    .enum(["ok", "degraded"])
    .check(
      z.describe(
        "degraded: a dependency the workers need (SES, Bedrock) is down; jobs and events are still taken and wait for it",
      ),
    ),
  checks: z.array(HealthCheck),
});
export type Health = Answer<typeof Health>;

const cvId = z.guid();
const CV_FORMATS = ["json-resume", "text"] as const;

/** `POST /v1/cvs` → 201, `PUT /v1/cvs/{cvId}` → 201 (200 for a repeated Idempotency-Key). */
export const CvStored = z.object({
  cvId,
  version: z.number().check(z.int(), z.gte(1)),
  links: z.object({ self: z.string().check(z.meta({ examples: ["/v1/cvs/0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e"] })) }),
  warnings,
});
export type CvStored = Answer<typeof CvStored>;
export type DeletionAccepted = Answer<typeof DeletionAccepted>;

/** A library CV without its body: `GET /v1/cvs`'s items. */
export const CvSummary = z.object({
  cvId,
  latestVersion: z.number().check(z.int(), z.gte(1)),
  format: z.enum(CV_FORMATS).check(z.describe("of the latest version")),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** `GET /v1/cvs/{cvId}`: one version's body and every version's facts. */
export const CvView = z.extend(CvSummary, {
  version: z.number().check(z.int(), z.gte(1), z.describe("the version `cv` holds: the latest, or `?version=N`")),
  cv: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .check(z.describe("the CV as uploaded: a JSON Resume object or the text")),
  versions: z.array(
    z.object({
      version: z.number().check(z.int(), z.gte(1)),
      createdAt: timestamp,
      format: z.enum(CV_FORMATS),
      bytes: count,
    }),
  ),
});

/** `GET /v1/cvs`. */
export const CvPage = z.object({
  items: z.array(CvSummary),
  cursor: z
    .optional(z.string())
    .check(z.describe("present when there may be more: pass it as `cursor` for the next page")),
});

const rating = z.number().check(z.int(), z.gte(1), z.lte(5));

/** `POST /v1/jobs/{jobId}/feedback` → 201. */
export const FeedbackStored = z.object({ feedbackId: z.guid(), jobId, rating, receivedAt: timestamp });

/** `GET /v1/feedback`: the tenant's feedback, for its analysts. */
export const FeedbackPage = z.object({
  items: z.array(
    z.object({
      feedbackId: z.guid(),
      jobId,
      userId: z.string(),
      rating,
      helpful: z.optional(z.array(z.string())),
      comment: z.optional(z.string()),
      receivedAt: timestamp,
    }),
  ),
  cursor: z
    .optional(z.string())
    .check(z.describe("present when there may be more: pass it as `cursor` for the next page")),
});

const removedCount = z.number().check(z.int(), z.nonnegative());
const deletionStatus = z
  .enum(["PENDING", "RUNNING", "COMPLETED"])
  .check(
    z.describe(
      "PENDING: accepted; RUNNING: being carried out (passes ran, the last still to come); COMPLETED: nothing of the user's data until `requestedAt` is left",
    ),
  );

/** `DELETE /v1/users/{userId}/data` → 202. */
export const DeletionAccepted = z.object({
  deletionId: z.string(),
  status: deletionStatus,
  requestedAt: timestamp,
  links: z.object({ self: z.string() }),
});

/** `GET /v1/deletions/{deletionId}`: what was removed, and whether it is finished. */
export const DeletionView = z.object({
  deletionId: z.string(),
  status: deletionStatus,
  requestedAt: timestamp,
  requestedBy: z.enum(["user", "analyst", "admin"]),
  passes: z.number().check(z.int(), z.nonnegative()),
  lastPassAt: z.optional(timestamp),
  completedAt: z.optional(timestamp),
  lastError: z.optional(
    z.string().check(z.describe("why the last pass stopped short (the next pass, a minute later, runs again)")),
  ),
  removed: z.object({
    cvs: removedCount,
    cvVersions: removedCount,
    jobs: removedCount,
    objects: removedCount.check(z.describe("stored objects: CV versions' bodies, claim-checked requests, results")),
    feedback: removedCount,
    events: removedCount.check(z.describe("raw analytics events (the weekly aggregates keep their counts)")),
  }),
});

/** The codes of `{success:true}` answers. */
export const SUCCESS_CODES = ["OK", "ACCEPTED", "ALREADY_ACCEPTED", "CREATED", "ALREADY_CREATED"] as const;
export type SuccessCode = (typeof SUCCESS_CODES)[number];

/** `{ success: true, code, data }` with `data` of the given schema and `code` one of `codes`. */
export const successEnvelope = <D extends z.ZodMiniType>(data: D, codes: readonly [SuccessCode, ...SuccessCode[]]) =>
  z.object({ success: z.literal(true), code: z.enum(codes), data });
