import * as z from "@cvpipe/core/contracts/zod";
import { functions, SETTING } from "@cvpipe/core/topology";
import { defaultEngine, intSetting, jsonListSetting, optionalNonBlank, resourceSettings, trimmed } from "./settings.ts";

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

const jsonStringArray = jsonListSetting([], () => true, 'must be a JSON array of strings, e.g. ["guaranteed job"]');

export const TailorConfig = z
  .object({
    ...resourceSettings("tailor"),
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

export type TailorConfig = z.output<typeof TailorConfig>;
