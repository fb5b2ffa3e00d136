/**
 * The ingress's id secret (keys derived job ids, deduplication ids and list
 * cursors; see canonical-json.ts), read once per cold start: on AWS from the
 * Secrets Manager secret CloudFormation generated (ID_SECRET_ARN), locally
 * from the file the embedded stack generated in its data directory at first
 * start (ID_SECRET_FILE, owner-only). The value is never logged; errors name
 * the source, not the content.
 */
import { readFileSync } from "node:fs";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createSecretsManagerClient } from "@cvpipe/aws/clients";
import { readSecretString, SecretReadError } from "@cvpipe/aws/secret-string";
import { type IdSecret, idSecret } from "@cvpipe/core/contracts/canonical-json";
import { ConfigError } from "@cvpipe/core/errors";
import { SETTING } from "@cvpipe/core/topology";

const ARN = SETTING.idSecretArn;
const FILE = SETTING.idSecretFile;

export interface IdSecretSource {
  readonly [ARN]?: string | undefined;
  readonly [FILE]?: string | undefined;
}

/** Thrown at cold start: the ingress cannot run without its secret (a configuration error). */
export class IdSecretError extends ConfigError {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "IdSecretError";
  }
}

const parse = (value: string, where: string): IdSecret => {
  try {
    return idSecret(value);
  } catch (error) {
    throw new IdSecretError(`the id secret in ${where} is unusable: ${(error as Error).message}`);
  }
};

export const loadIdSecret = async (
  source: IdSecretSource,
  client: () => SecretsManagerClient = () => createSecretsManagerClient(),
): Promise<IdSecret> => {
  const file = source[FILE];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new IdSecretError(`${FILE} ${file} cannot be read`, error);
    }
    return parse(text, `${FILE} ${file}`);
  }
  const arn = source[ARN];
  if (arn) {
    let value: string;
    try {
      value = await readSecretString(client(), arn);
    } catch (error) {
      if (!(error instanceof SecretReadError)) throw error;
      throw new IdSecretError(`${ARN} ${error.message}`, error);
    }
    return parse(value, `${ARN} ${arn}`);
  }
  throw new IdSecretError(`neither ${ARN} nor ${FILE} is set`);
};
