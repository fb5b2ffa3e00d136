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

type PortSetting = "apiPort" | "sqsPort" | "dynamoDbPort" | "sesPort" | "bedrockPort" | "openaiPort";

/** Each port's variable and default. */
export const PORTS = {
  apiPort: { env: "CVPIPE_API_PORT", default: 3000 },
  sqsPort: { env: "CVPIPE_SQS_PORT", default: 4566 },
  dynamoDbPort: { env: "CVPIPE_DYNAMODB_PORT", default: 8000 },
  sesPort: { env: "CVPIPE_SES_PORT", default: 8005 },
  bedrockPort: { env: "CVPIPE_BEDROCK_PORT", default: 8011 },
  openaiPort: { env: "CVPIPE_OPENAI_PORT", default: 8012 },
} as const satisfies Record<PortSetting, { env: string; default: number }>;

/** `CVPIPE_WORKERS=off`: the stack accepts requests but its queue workers are paused. */
export const WORKERS_ENV = "CVPIPE_WORKERS";

/** Tests that run the stack as a process: every queue's visibility timeout, in seconds (main.ts). */
export const VISIBILITY_TIMEOUT_ENV = "CVPIPE_VISIBILITY_TIMEOUT_SECONDS";

const port = (env: NodeJS.ProcessEnv, setting: PortSetting): number => {
  const { env: name, default: fallback } = PORTS[setting];
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
  apiPort: port(env, "apiPort"),
  sqsPort: port(env, "sqsPort"),
  dynamoDbPort: port(env, "dynamoDbPort"),
  sesPort: port(env, "sesPort"),
  bedrockPort: port(env, "bedrockPort"),
  openaiPort: port(env, "openaiPort"),
  region: env["AWS_REGION"] ?? "us-east-1",
});

export const HOST = "127.0.0.1";
