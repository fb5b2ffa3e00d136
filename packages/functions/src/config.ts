/**
 * Environment configuration, parsed once per cold start. A missing or
 * malformed variable fails the cold start with its own name; nothing falls
 * back to a placeholder that would hide it. Resource variables are named by
 * the topology's helpers (the same ones infra/ and local/ fill them with).
 */
import { DEFAULT_EVENT_TYPES, EventType, MAX_EVENT_TYPES } from "@cvpipe/core/contracts/analytics-event";
import { ENGINE_NAMES } from "@cvpipe/core/contracts/job-request";
import { ConfigError } from "@cvpipe/core/errors";
import { bucketNameEnv, queueUrlEnv, retention, tableNameEnv } from "@cvpipe/core/topology";
import { z } from "zod";

const required = z.string().trim().min(1, "is required");
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = z
  .enum(["true", "false", "1", "0", ""])
  .default("false")
  .transform((v) => v === "true" || v === "1");

const jsonStringArray = z
  .string()
  .default("[]")
  .transform((raw, ctx) => {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === "string")) return parsed as string[];
    } catch {
      // reported below
    }
    ctx.addIssue({ code: "custom", message: 'must be a JSON array of strings, e.g. ["guaranteed job"]' });
    return z.NEVER;
  });

const emailList = z
  .string()
  .trim()
  .min(1, "is required (comma-separated email addresses)")
  .transform((raw) =>
    raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.email()).min(1));

const eventTypeList = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined || raw.trim() === "") return [...DEFAULT_EVENT_TYPES] as string[];
    try {
      const parsed: unknown = JSON.parse(raw);
      if (
        Array.isArray(parsed) &&
        parsed.length > 0 &&
        parsed.length <= MAX_EVENT_TYPES &&
        parsed.every((t) => typeof t === "string" && EventType.safeParse(t).success)
      ) {
        return parsed as string[];
      }
    } catch {
      // reported below
    }
    ctx.addIssue({
      code: "custom",
      message: `must be a JSON array of 1-${MAX_EVENT_TYPES} event types like "cv.downloaded"`,
    });
    return z.NEVER;
  });

export const IngressConfig = z
  .object({
    [queueUrlEnv("tailoringJobs")]: required,
    [queueUrlEnv("analyticsEvents")]: required,
    [tableNameEnv("jobs")]: required,
    [bucketNameEnv("payloads")]: required,
    DEFAULT_ENGINE: z.enum(ENGINE_NAMES).default("local"),
    JOB_TTL_DAYS: positiveInt(retention.jobTtlDays),
    EVENT_TYPES: eventTypeList,
    /** AWS: the Secrets Manager secret (ARN) holding the id secret; CloudFormation generates it. */
    ID_SECRET_ARN: z.string().trim().min(1).optional(),
    /** Local: a file holding the id secret (the embedded stack generates it at first start, 0600). */
    ID_SECRET_FILE: z.string().trim().min(1).optional(),
    /**
     * Largest answer, in Lambda response-payload bytes, before a job's result is linked (a presigned
     * S3 GET) instead of inlined. Lambda's limit is 6 MB; the margin covers headers and the envelope.
     */
    MAX_RESPONSE_BYTES: z.coerce.number().int().min(1_000_000).max(5_500_000).default(5_000_000),
    /** How long a result link stays valid (it also ends when the function's credentials do). */
    RESULT_LINK_TTL_SECONDS: z.coerce.number().int().min(60).max(3_600).default(900),
  })
  .superRefine((c, ctx) => {
    if ((c.ID_SECRET_ARN === undefined) === (c.ID_SECRET_FILE === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["ID_SECRET_ARN"],
        message: "exactly one of ID_SECRET_ARN (AWS) and ID_SECRET_FILE (local) is required",
      });
    }
  });

export const TailorConfig = z
  .object({
    [queueUrlEnv("analyticsEvents")]: required,
    [tableNameEnv("jobs")]: required,
    [bucketNameEnv("payloads")]: required,
    DEFAULT_ENGINE: z.enum(ENGINE_NAMES).default("local"),
    BEDROCK_MODEL_ID: z.string().trim().optional(),
    BEDROCK_GUARDRAIL_ARN: z.string().trim().optional(),
    BEDROCK_GUARDRAIL_VERSION: z.string().trim().default("DRAFT"),
    ENABLE_PII_REDACTION: flag,
    PROMPT_TEMPLATES_PATH: z.string().trim().optional(),
    BANNED_CLAIMS: jsonStringArray,
    /** Results larger than this are stored in S3 (DynamoDB items are at most 400 KB). */
    INLINE_RESULT_LIMIT_BYTES: z.coerce.number().int().min(1).max(350_000).default(300_000),
  })
  .superRefine((c, ctx) => {
    if (c.DEFAULT_ENGINE === "bedrock" && !c.BEDROCK_MODEL_ID) {
      ctx.addIssue({ code: "custom", path: ["BEDROCK_MODEL_ID"], message: "is required when DEFAULT_ENGINE=bedrock" });
    }
  });

export const AnalyticsConfig = z.object({
  [tableNameEnv("events")]: required,
  [tableNameEnv("aggregates")]: required,
  EVENT_TTL_DAYS: positiveInt(retention.eventTtlDays),
  /** Outcome and retraction events: longer than JOB_TTL_DAYS plus a DLQ stay. */
  OUTCOME_EVENT_TTL_DAYS: positiveInt(retention.outcomeEventTtlDays),
});

export const ReporterConfig = z.object({
  [tableNameEnv("aggregates")]: required,
  [tableNameEnv("reports")]: required,
  REPORT_RECIPIENTS: emailList,
  REPORT_SENDER: z.email(),
});

export const SweeperConfig = z.object({
  [tableNameEnv("jobs")]: required,
  [queueUrlEnv("analyticsEvents")]: required,
  /** A job QUEUED this long is taken for never enqueued. Longer than any backlog the alarms allow. */
  STUCK_JOB_MINUTES: positiveInt(120),
});

export { ConfigError };

/** Parsed at cold start; a ConfigError lists every bad variable by name. */
export const parseConfig = <S extends z.ZodType>(fn: string, schema: S, env: NodeJS.ProcessEnv): z.output<S> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".") || "(env)"} ${i.message}`);
    throw new ConfigError(`Invalid ${fn} configuration: ${issues.join("; ")}`);
  }
  return result.data;
};

export type IngressConfig = z.output<typeof IngressConfig>;
export type TailorConfig = z.output<typeof TailorConfig>;
export type AnalyticsConfig = z.output<typeof AnalyticsConfig>;
export type ReporterConfig = z.output<typeof ReporterConfig>;
export type SweeperConfig = z.output<typeof SweeperConfig>;
