import { DEFAULT_EVENT_TYPES, EventType, MAX_EVENT_TYPES } from "@cvpipe/core/contracts/analytics-event";
import * as z from "@cvpipe/core/contracts/zod";
import { buckets, retention, SETTING } from "@cvpipe/core/topology";
import { defaultEngine, intSetting, jsonListSetting, optionalNonBlank, resourceSettings, trimmed } from "./settings.ts";

const eventTypeList = jsonListSetting(
  DEFAULT_EVENT_TYPES,
  (list) => list.length > 0 && list.length <= MAX_EVENT_TYPES && list.every((t) => EventType.safeParse(t).success),
  `must be a JSON array of 1-${MAX_EVENT_TYPES} event types like "cv.downloaded"`,
);

export const IngressConfig = z
  .object({
    ...resourceSettings("ingress"),
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

export type IngressConfig = z.output<typeof IngressConfig>;
