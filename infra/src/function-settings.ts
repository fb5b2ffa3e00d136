/**
 * Function environment that is not a resource name: engine and report
 * settings from context. Resource variables come from the topology's
 * `functionResources` (see service-stack.ts); these names follow
 * packages/functions/src/config.ts.
 */
import type { FunctionId } from "@cvpipe/core/topology";
import type { Config } from "./config.ts";

export const functionSettings = (id: FunctionId, config: Config): Record<string, string> => {
  switch (id) {
    case "ingress":
      return { DEFAULT_ENGINE: config.defaultEngine };
    case "tailor":
      return {
        DEFAULT_ENGINE: config.defaultEngine,
        BEDROCK_MODEL_ID: config.bedrockModelId,
        ...(config.bedrockGuardrailArn
          ? {
              BEDROCK_GUARDRAIL_ARN: config.bedrockGuardrailArn,
              BEDROCK_GUARDRAIL_VERSION: config.bedrockGuardrailVersion,
            }
          : {}),
        ENABLE_PII_REDACTION: String(config.enablePiiRedaction),
        BANNED_CLAIMS: JSON.stringify(config.bannedClaims),
      };
    case "analytics":
      return {};
    case "reporter":
      return { REPORT_RECIPIENTS: config.reportRecipients.join(","), REPORT_SENDER: config.reportSender };
    case "sweeper":
      return {};
  }
};
