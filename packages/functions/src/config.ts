/**
 * Environment configuration, parsed once per cold start. A missing or
 * malformed variable fails the cold start with its own name; nothing falls
 * back to a placeholder that would hide it. Resource variables are named by
 * the topology's helpers (the same ones infra/ and local/ fill them with).
 */
import { DEFAULT_EVENT_TYPES, EventType, MAX_EVENT_TYPES } from "@cvpipe/core/contracts/analytics-event";
import { isEmailAddress } from "@cvpipe/core/contracts/email-address";
import { ENGINE_NAMES } from "@cvpipe/core/contracts/job-constants";
import * as z from "@cvpipe/core/contracts/zod";
import { ConfigError } from "@cvpipe/core/errors";
import {
  bucketNameEnv,
  buckets,
  functions,
  queueUrlEnv,
  retention,
  SETTING,
  tableNameEnv,
} from "@cvpipe/core/topology";

const trimmed = () => z.string().check(z.trim());
const required = z.string().check(z.trim(), z.minLength(1, "is required"));
/** An optional setting that, when set, is not blank. */
const optionalNonBlank = () => z.optional(z.string().check(z.trim(), z.minLength(1)));
/** An integer from the environment's string, within bounds, with its default. */
const intSetting = (fallback: number, ...bounds: z.core.$ZodCheck<number>[]) =>
  z._default(z.coerce.number().check(z.int(), ...bounds), fallback);
const positiveInt = (fallback: number) => intSetting(fallback, z.positive());
const defaultEngine = () => z._default(z.enum(ENGINE_NAMES), "local");
/** An absolute http(s) URL (a server's API root). */
const httpUrl = z.optional(
  z.string().check(
    z.trim(),
    z.refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === "http:" || url.protocol === "https:";
      } catch {
        return false;
      }
    }, "must be an absolute http(s) URL, e.g. http://127.0.0.1:11434/v1"),
  ),
);
const flag = z.pipe(
  z._default(z.enum(["true", "false", "1", "0", ""]), "false"),
  z.transform((v) => v === "true" || v === "1"),
);

const jsonStringArray = z.pipe(
  z._default(z.string(), "[]"),
  z.transform((raw, ctx) => {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === "string")) return parsed as string[];
    } catch {
      // reported below
    }
    ctx.issues.push({
      code: "custom",
      message: 'must be a JSON array of strings, e.g. ["guaranteed job"]',
      input: raw,
    });
    return z.NEVER;
  }),
);

/** One address by core's rule, the one the CDK app's synth checks too. */
const emailAddress = z.string().check(z.trim(), z.refine(isEmailAddress, "is not an email address"));

const emailList = z.pipe(
  z.pipe(
    z.string().check(z.trim(), z.minLength(1, "is required (comma-separated email addresses)")),
    z.transform((raw) =>
      raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ),
  z.array(emailAddress).check(z.minLength(1)),
);

const eventTypeList = z.pipe(
  z.optional(z.string()),
  z.transform((raw, ctx) => {
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
    ctx.issues.push({
      code: "custom",
      message: `must be a JSON array of 1-${MAX_EVENT_TYPES} event types like "cv.downloaded"`,
      input: raw,
    });
    return z.NEVER;
  }),
);

export const IngressConfig = z
  .object({
    [queueUrlEnv("tailoringJobs")]: required,
    [queueUrlEnv("analyticsEvents")]: required,
    [tableNameEnv("jobs")]: required,
    [bucketNameEnv("payloads")]: required,
    [tableNameEnv("cvs")]: required,
    [bucketNameEnv("cvs")]: required,
    [tableNameEnv("feedback")]: required,
    [tableNameEnv("deletions")]: required,
    [SETTING.defaultEngine]: defaultEngine(),
    /** At most the payload bucket's expiry: a job that outlived its stored result could not be shown. */
    [SETTING.jobTtlDays]: intSetting(
      retention.jobTtlDays,
      z.positive(),
      z.lte(
        buckets.payloads.expireAfterDays,
        `must be at most ${buckets.payloads.expireAfterDays} (the payload bucket's expireAfterDays: a job must not outlive its stored result)`,
      ),
    ),
    [SETTING.eventTypes]: eventTypeList,
    /** When a Bedrock model is configured, `GET /v1/health` checks that Bedrock's runtime answers. */
    [SETTING.bedrockModelId]: z.optional(trimmed()),
    /** AWS: the Secrets Manager secret (ARN) holding the id secret; CloudFormation generates it. */
    [SETTING.idSecretArn]: optionalNonBlank(),
    /** Local: a file holding the id secret (the embedded stack generates it at first start, 0600). */
    [SETTING.idSecretFile]: optionalNonBlank(),
    /** AWS: the data key (KMS key ARN) CVs and requests are written SSE-KMS with; unset locally. */
    [SETTING.dataKeyArn]: optionalNonBlank(),
    /**
     * Largest answer, in Lambda response-payload bytes, before a job's result is linked (a presigned
     * S3 GET) instead of inlined. Lambda's limit is 6 MB; the margin covers headers and the envelope.
     */
    [SETTING.maxResponseBytes]: intSetting(5_000_000, z.gte(1_000_000), z.lte(5_500_000)),
    /** How long a result link stays valid (it also ends when the function's credentials do). */
    [SETTING.resultLinkTtlSeconds]: intSetting(900, z.gte(60), z.lte(3_600)),
  })
  .check(
    z.superRefine((c, ctx) => {
      if ((c.ID_SECRET_ARN === undefined) === (c.ID_SECRET_FILE === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [SETTING.idSecretArn],
          message: `exactly one of ${SETTING.idSecretArn} (AWS) and ${SETTING.idSecretFile} (local) is required`,
        });
      }
    }),
  );

export const TailorConfig = z
  .object({
    [queueUrlEnv("analyticsEvents")]: required,
    [tableNameEnv("jobs")]: required,
    [bucketNameEnv("payloads")]: required,
    [tableNameEnv("deletions")]: required,
    /** AWS: the data key (KMS key ARN) large results are written SSE-KMS with; unset locally. */
    [SETTING.dataKeyArn]: optionalNonBlank(),
    [SETTING.defaultEngine]: defaultEngine(),
    [SETTING.bedrockModelId]: z.optional(trimmed()),
    [SETTING.bedrockGuardrailArn]: z.optional(trimmed()),
    [SETTING.bedrockGuardrailVersion]: z._default(trimmed(), "DRAFT"),
    [SETTING.openaiBaseUrl]: httpUrl,
    [SETTING.openaiModel]: optionalNonBlank(),
    [SETTING.openaiApiKey]: optionalNonBlank(),
    [SETTING.openaiApiKeySecretArn]: optionalNonBlank(),
    /** Three attempts of this must fit the tailor's timeout with room for the rest of the job. */
    [SETTING.openaiTimeoutSeconds]: intSetting(
      30,
      z.positive(),
      z.lte(
        Math.floor((functions.tailor.timeoutSeconds - 10) / 3),
        `must be at most ${Math.floor((functions.tailor.timeoutSeconds - 10) / 3)} (three attempts within the tailor's ${functions.tailor.timeoutSeconds} s timeout)`,
      ),
    ),
    [SETTING.enablePiiRedaction]: flag,
    [SETTING.promptTemplatesPath]: z.optional(trimmed()),
    [SETTING.bannedClaims]: jsonStringArray,
    /** Results larger than this are stored in S3 (DynamoDB items are at most 400 KB). */
    [SETTING.inlineResultLimitBytes]: intSetting(300_000, z.gte(1), z.lte(350_000)),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (c.DEFAULT_ENGINE === "bedrock" && !c.BEDROCK_MODEL_ID) {
        ctx.addIssue({
          code: "custom",
          path: [SETTING.bedrockModelId],
          message: `is required when ${SETTING.defaultEngine}=bedrock`,
        });
      }
      // The openai engine runs with both or neither: a URL without a model (or the reverse) is a half-done setup.
      const half = (missing: string, present: string): void =>
        ctx.addIssue({
          code: "custom",
          path: [missing],
          message: `is required when ${present} is set (the openai engine)`,
        });
      if (c.OPENAI_BASE_URL !== undefined && c.OPENAI_MODEL === undefined)
        half(SETTING.openaiModel, SETTING.openaiBaseUrl);
      if (c.OPENAI_MODEL !== undefined && c.OPENAI_BASE_URL === undefined)
        half(SETTING.openaiBaseUrl, SETTING.openaiModel);
      if (c.DEFAULT_ENGINE === "openai" && c.OPENAI_BASE_URL === undefined && c.OPENAI_MODEL === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [SETTING.openaiBaseUrl],
          message: `and ${SETTING.openaiModel} are required when ${SETTING.defaultEngine}=openai`,
        });
      }
      if (c.OPENAI_API_KEY !== undefined && c.OPENAI_API_KEY_SECRET_ARN !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [SETTING.openaiApiKey],
          message: `and ${SETTING.openaiApiKeySecretArn} are both set: keep one (the key itself locally, the secret on AWS)`,
        });
      }
    }),
  );

export const AnalyticsConfig = z.object({
  [tableNameEnv("events")]: required,
  [tableNameEnv("aggregates")]: required,
  [tableNameEnv("deletions")]: required,
  [SETTING.eventTtlDays]: positiveInt(retention.eventTtlDays),
  /** Outcome and retraction events: longer than JOB_TTL_DAYS plus a DLQ stay. */
  [SETTING.outcomeEventTtlDays]: positiveInt(retention.outcomeEventTtlDays),
});

export const ReporterConfig = z.object({
  [tableNameEnv("aggregates")]: required,
  [tableNameEnv("reports")]: required,
  [SETTING.reportRecipients]: emailList,
  [SETTING.reportSender]: emailAddress,
});

export const SweeperConfig = z.object({
  [tableNameEnv("jobs")]: required,
  [queueUrlEnv("analyticsEvents")]: required,
  /** A job QUEUED this long is taken for never enqueued. Longer than any backlog the alarms allow. */
  [SETTING.stuckJobMinutes]: positiveInt(120),
});

/**
 * What a suppression record can be late for: a tailor invocation and an analytics batch that read "none" just
 * before it was written run at most their timeouts on, and each read is cached for up to 10 s; a minute more.
 */
export const DEFAULT_DELETION_GRACE_SECONDS =
  functions.tailor.timeoutSeconds + functions.analytics.timeoutSeconds + 2 * 10 + 60;

export const EraserConfig = z.object({
  [tableNameEnv("deletions")]: required,
  [tableNameEnv("jobs")]: required,
  [tableNameEnv("cvs")]: required,
  [tableNameEnv("feedback")]: required,
  [tableNameEnv("events")]: required,
  [bucketNameEnv("payloads")]: required,
  [bucketNameEnv("cvs")]: required,
  /** 0 completes a request in its first pass: for a stack with no work in flight (the tests). */
  [SETTING.deletionGraceSeconds]: intSetting(DEFAULT_DELETION_GRACE_SECONDS, z.gte(0), z.lte(3_600)),
});

export { ConfigError };

/** Parsed at cold start; a ConfigError lists every bad variable by name. */
export const parseConfig = <S extends z.ZodMiniType>(fn: string, schema: S, env: NodeJS.ProcessEnv): z.output<S> => {
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
export type EraserConfig = z.output<typeof EraserConfig>;
