/**
 * Function environment that is not a resource name: engine and report
 * settings from context. Resource variables come from the topology's
 * `functionResources` (see service-stack.ts); the names are the topology's
 * SETTING, the ones packages/functions/src/config/<function>.ts parse.
 */
import { type FunctionId, SETTING, type SettingName } from "@cvpipe/core/topology";
import type { Config } from "./config.ts";

/** A function's settings by variable name. */
export type FunctionSettings = Partial<Readonly<Record<SettingName, string>>>;

export const functionSettings = (id: FunctionId, config: Config): FunctionSettings => {
  switch (id) {
    case "ingress":
      return {
        [SETTING.defaultEngine]: config.defaultEngine,
        // GET /v1/health checks Bedrock's runtime when a model is configured (a refused call is an
        // answer: the check needs no permission to invoke it).
        ...(config.bedrockModelId ? { [SETTING.bedrockModelId]: config.bedrockModelId } : {}),
      };
    case "tailor":
      return {
        [SETTING.defaultEngine]: config.defaultEngine,
        [SETTING.bedrockModelId]: config.bedrockModelId,
        ...(config.bedrockGuardrailArn
          ? {
              [SETTING.bedrockGuardrailArn]: config.bedrockGuardrailArn,
              [SETTING.bedrockGuardrailVersion]: config.bedrockGuardrailVersion,
            }
          : {}),
        ...(config.openai
          ? {
              [SETTING.openaiBaseUrl]: config.openai.baseUrl,
              [SETTING.openaiModel]: config.openai.model,
              // The secret's name only: the tailor reads the key at its first job (engines/openai/api-key.ts).
              ...(config.openai.apiKeySecretArn
                ? { [SETTING.openaiApiKeySecretArn]: config.openai.apiKeySecretArn }
                : {}),
            }
          : {}),
        [SETTING.enablePiiRedaction]: String(config.enablePiiRedaction),
        [SETTING.bannedClaims]: JSON.stringify(config.bannedClaims),
      };
    case "analytics":
      return {};
    case "reporter":
      return {
        [SETTING.reportRecipients]: config.reportRecipients.join(","),
        [SETTING.reportSender]: config.reportSender,
      };
    case "sweeper":
      return {};
    case "eraser":
      return {};
  }
};
