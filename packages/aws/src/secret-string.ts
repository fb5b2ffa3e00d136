/**
 * A Secrets Manager secret's string value: the one read of a secret that the id secret (ingress)
 * and the openai engine's API key share. Errors name the secret and the failure, never the value.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** The secret could not be read, or holds no string. `message` starts with the secret's ARN. */
export class SecretReadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SecretReadError";
  }
}

/** The secret's SecretString as stored; SecretReadError when it cannot be read or is empty. */
export const readSecretString = async (client: SecretsManagerClient, arn: string): Promise<string> => {
  let value: string | undefined;
  try {
    value = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (error) {
    throw new SecretReadError(`${arn} cannot be read (${error instanceof Error ? error.name : "Error"})`, {
      cause: error,
    });
  }
  if (value === undefined || value.trim() === "") throw new SecretReadError(`${arn} has no string value`);
  return value;
};
