import { join, resolve } from "node:path";
import { ConfigError } from "@cvpipe/core/errors";

/** Where the embedded stack listens and keeps its state. Every port is overridable; 0 picks a free one. */
export interface LocalSettings {
  readonly dataDir: string;
  readonly apiPort: number;
  readonly sqsPort: number;
  readonly dynamoDbPort: number;
  readonly sesPort: number;
  readonly bedrockPort: number;
  /** The Chat Completions stand-in for the openai engine (not started when OPENAI_BASE_URL is set). */
  readonly openaiPort: number;
  readonly region: string;
}

const port = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  // Digits only: Number() would read " " as 0 (a random port) and "1e3" as 1000.
  if (!/^\d{1,5}$/.test(raw) || n > 65_535)
    throw new ConfigError(`${name} must be a port number 0-65535 (got "${raw}")`);
  return n;
};

/** The embedded stack's data directory (emulators' state, keys, logs, the stack's description); default `.cvpipe/`. */
export const DATA_DIR_ENV = "CVPIPE_DATA_DIR";

export const repoRoot = resolve(import.meta.dirname, "..", "..", "..");

export const settingsFromEnv = (env: NodeJS.ProcessEnv = process.env): LocalSettings => ({
  dataDir: resolve(env[DATA_DIR_ENV] ?? join(repoRoot, ".cvpipe")),
  apiPort: port(env, "CVPIPE_API_PORT", 3000),
  sqsPort: port(env, "CVPIPE_SQS_PORT", 4566),
  dynamoDbPort: port(env, "CVPIPE_DYNAMODB_PORT", 8000),
  sesPort: port(env, "CVPIPE_SES_PORT", 8005),
  bedrockPort: port(env, "CVPIPE_BEDROCK_PORT", 8011),
  openaiPort: port(env, "CVPIPE_OPENAI_PORT", 8012),
  region: env["AWS_REGION"] ?? "us-east-1",
});

export const HOST = "127.0.0.1";
