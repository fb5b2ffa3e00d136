/**
 * The ingress's id secret (keys derived job ids, deduplication ids and list
 * cursors; see canonical-json.ts), read once per cold start: on AWS from the
 * Secrets Manager secret CloudFormation generated (ID_SECRET_ARN), locally
 * from the file the embedded stack generated in its data directory at first
 * start (ID_SECRET_FILE, owner-only). The value is never logged; errors name
 * the source, not the content.
 */
import { readFileSync } from "node:fs";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
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

/**
 * Built as clients.ts builds the others: endpoint from `AWS_ENDPOINT_URL_SECRETS_MANAGER`,
 * then `AWS_ENDPOINT_URL` (moto, LocalStack); keys given in `env` used as they are.
 */
export const secretsManagerClient = (env: NodeJS.ProcessEnv = process.env): SecretsManagerClient => {
  const endpoint = env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] || env["AWS_ENDPOINT_URL"] || undefined;
  const keyId = env["AWS_ACCESS_KEY_ID"];
  const secret = env["AWS_SECRET_ACCESS_KEY"];
  const session = env["AWS_SESSION_TOKEN"];
  return new SecretsManagerClient({
    ...(endpoint ? { endpoint } : {}),
    ...(env["AWS_REGION"] ? { region: env["AWS_REGION"] } : {}),
    ...(keyId && secret
      ? { credentials: { accessKeyId: keyId, secretAccessKey: secret, ...(session ? { sessionToken: session } : {}) } }
      : {}),
  });
};

const parse = (value: string, where: string): IdSecret => {
  try {
    return idSecret(value);
  } catch (error) {
    throw new IdSecretError(`the id secret in ${where} is unusable: ${(error as Error).message}`);
  }
};

export const loadIdSecret = async (
  source: IdSecretSource,
  client: () => SecretsManagerClient = () => secretsManagerClient(),
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
    let value: string | undefined;
    try {
      value = (await client().send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      throw new IdSecretError(`${ARN} ${arn} cannot be read (${name})`, error);
    }
    if (value === undefined) throw new IdSecretError(`${ARN} ${arn} has no string value`);
    return parse(value, `${ARN} ${arn}`);
  }
  throw new IdSecretError(`neither ${ARN} nor ${FILE} is set`);
};
