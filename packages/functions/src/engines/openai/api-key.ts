/**
 * Where the openai engine's bearer token comes from: `OPENAI_API_KEY` itself
 * (local runs), or on AWS the Secrets Manager secret `OPENAI_API_KEY_SECRET_ARN`
 * names, read on the first job of a cold start (the key never sits in the
 * function's environment, which the console and the Lambda API show). None for
 * a server that wants none. Errors name the source, never the value.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { readSecretString, SecretReadError } from "@cvpipe/aws/secret-string";
import { SETTING } from "@cvpipe/core/topology";

export interface ApiKeySource {
  readonly [SETTING.openaiApiKey]?: string | undefined;
  readonly [SETTING.openaiApiKeySecretArn]?: string | undefined;
}

export const apiKeyReader = (
  source: ApiKeySource,
  client: () => SecretsManagerClient,
): (() => Promise<string | undefined>) | undefined => {
  const key = source[SETTING.openaiApiKey];
  if (key) return async () => key;
  const arn = source[SETTING.openaiApiKeySecretArn];
  if (!arn) return undefined;
  return async () => {
    try {
      return (await readSecretString(client(), arn)).trim();
    } catch (error) {
      if (!(error instanceof SecretReadError)) throw error;
      throw new SecretReadError(`${SETTING.openaiApiKeySecretArn} ${error.message}`, { cause: error });
    }
  };
};
