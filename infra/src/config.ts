/**
 * Deployment settings, read once from CDK context (`cdk.json` holds
 * non-secret defaults good enough to synthesise; `-c key=value` overrides
 * them at deploy time). Every key is validated here so a bad value fails
 * synth with the key's name, never later inside CloudFormation or Lambda.
 */
import { parseCorsOrigins } from "@cvpipe/core/contracts/cors";
import { isDomainName, isEmailAddress } from "@cvpipe/core/contracts/email-address";
import { ENGINE_NAMES, type EngineName } from "@cvpipe/core/contracts/job-constants";
import { ConfigError } from "@cvpipe/core/errors";
import { STAGE_PATTERN } from "@cvpipe/core/topology";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Node } from "constructs";

export { ConfigError, type EngineName };

export interface Config {
  /** Suffix of every physical name and stack name: several stages can share one account. */
  readonly stage: string;
  readonly alarmEmail: string;
  readonly reportRecipients: readonly string[];
  readonly reportSender: string;
  /** SES identity that authorises the sender: an email address or a domain. */
  readonly sesIdentity: string;
  readonly defaultEngine: EngineName;
  /** Foundation model id (`anthropic.…`) or cross-region inference profile id (`us.anthropic.…`). */
  readonly bedrockModelId: string;
  readonly bedrockGuardrailArn: string | undefined;
  readonly bedrockGuardrailVersion: string;
  /**
   * The openai engine (optional): an OpenAI-compatible API root reachable from the tailor, the model, and the
   * Secrets Manager secret (created outside the stack) holding its API key; the key never goes in the environment.
   */
  readonly openai:
    | { readonly baseUrl: string; readonly model: string; readonly apiKeySecretArn: string | undefined }
    | undefined;
  readonly enablePiiRedaction: boolean;
  readonly bannedClaims: readonly string[];
  readonly jwtIssuer: string;
  readonly jwtAudience: readonly string[];
  /** Origins the API answers CORS for (browser producers); empty: no CORS. */
  readonly corsOrigins: readonly string[];
  readonly logRetention: RetentionDays;
  /** Replace the real bundles by a stub handler: fast synth and tests before/without the function code. */
  readonly skipBundling: boolean;
}

/** Context keys and what each is for, in the words the error messages use. */
export const CONTEXT_KEYS = {
  stage: "stage name, lowercase letters/digits/hyphens, e.g. dev or prod",
  alarmEmail: "email address subscribed to the alarm topic",
  reportRecipients: "comma-separated email addresses that receive the weekly report",
  reportSender: "From address of the weekly report (must belong to sesIdentity)",
  sesIdentity: "SES identity to create and verify: the sender's address or its domain (default: reportSender)",
  defaultEngine: `tailoring engine when a job names none: ${ENGINE_NAMES.join(" or ")}`,
  bedrockModelId: "Bedrock model id or inference profile id",
  bedrockGuardrailArn: "optional Bedrock guardrail ARN",
  bedrockGuardrailVersion: "guardrail version (default DRAFT)",
  openaiBaseUrl: "optional OpenAI-compatible API root for the openai engine, e.g. https://api.openai.com/v1",
  openaiModel: "the openai engine's model name (required with openaiBaseUrl)",
  openaiApiKeySecretArn:
    "optional complete Secrets Manager secret ARN (with its -XXXXXX suffix) whose string value is the openai engine's API key",
  enablePiiRedaction: "true or false",
  bannedClaims: 'JSON array of strings, e.g. ["guaranteed placement"]',
  jwtIssuer: "JWT issuer URL (https://…), e.g. your Cognito user pool or IdP issuer",
  jwtAudience: "comma-separated JWT audiences (client ids)",
  corsOrigins:
    "optional comma-separated origins allowed to call the API from a browser (https://app.example.com, or *)",
  logRetentionDays: "CloudWatch Logs retention in days (a value CloudWatch accepts, e.g. 30)",
  skipBundling: "true to synthesise with a stub handler instead of bundling packages/functions",
} as const;

export type ContextKey = keyof typeof CONTEXT_KEYS;

const contextProblems = (problems: readonly string[]): ConfigError =>
  new ConfigError(
    `Invalid CDK context:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSet a value with -c key=value or in infra/cdk.json.`,
  );

const isEngineName = (value: string): value is EngineName => (ENGINE_NAMES as readonly string[]).includes(value);

/** Reads and validates every key; reports all problems at once. */
export const readConfig = (node: Node): Config => {
  const problems: string[] = [];
  const problem = (key: ContextKey, message: string): void => {
    problems.push(`${key}: ${message} (${CONTEXT_KEYS[key]})`);
  };
  // `-c key=value` arrives as a string, cdk.json values keep their JSON type.
  const raw = (key: ContextKey): unknown => node.tryGetContext(key);
  const text = (key: ContextKey, fallback?: string): string => {
    const value = raw(key);
    if (value === undefined || value === null || value === "") {
      if (fallback !== undefined) return fallback;
      problem(key, "is required");
      return "";
    }
    if (typeof value !== "string") {
      problem(key, `must be a string, got ${JSON.stringify(value)}`);
      return "";
    }
    return value.trim();
  };
  const list = (key: ContextKey): string[] => {
    const value = raw(key);
    const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : undefined;
    if (items === undefined || !items.every((x) => typeof x === "string")) {
      problem(key, value === undefined ? "is required" : `must be a list of strings, got ${JSON.stringify(value)}`);
      return [];
    }
    const cleaned = items.map((x: string) => x.trim()).filter(Boolean);
    if (cleaned.length === 0) problem(key, "must not be empty");
    return cleaned;
  };
  const bool = (key: ContextKey, fallback: boolean): boolean => {
    const value = raw(key);
    if (value === undefined) return fallback;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    problem(key, `must be true or false, got ${JSON.stringify(value)}`);
    return fallback;
  };
  const email = (key: ContextKey, value: string): void => {
    if (value !== "" && !isEmailAddress(value)) problem(key, `"${value}" is not an email address`);
  };

  const stage = text("stage");
  if (stage !== "" && !STAGE_PATTERN.test(stage)) {
    problem("stage", `"${stage}" must match ${STAGE_PATTERN.source} (it becomes part of bucket and queue names)`);
  }
  const alarmEmail = text("alarmEmail");
  email("alarmEmail", alarmEmail);
  const reportRecipients = list("reportRecipients");
  for (const r of reportRecipients) email("reportRecipients", r);
  const reportSender = text("reportSender");
  email("reportSender", reportSender);
  const sesIdentity = text("sesIdentity", reportSender);
  if (sesIdentity !== "" && !isEmailAddress(sesIdentity) && !isDomainName(sesIdentity)) {
    problem("sesIdentity", `"${sesIdentity}" is neither an email address nor a domain`);
  } else if (isDomainName(sesIdentity) && !reportSender.toLowerCase().endsWith(`@${sesIdentity.toLowerCase()}`)) {
    problem("sesIdentity", `reportSender ${reportSender} is not an address of domain ${sesIdentity}`);
  } else if (isEmailAddress(sesIdentity) && sesIdentity.toLowerCase() !== reportSender.toLowerCase()) {
    problem("sesIdentity", `email identity ${sesIdentity} does not authorise reportSender ${reportSender}`);
  }

  const defaultEngine = text("defaultEngine", "bedrock");
  if (!isEngineName(defaultEngine)) {
    problem("defaultEngine", `"${defaultEngine}" is not ${ENGINE_NAMES.join(" or ")}`);
  }
  const bedrockModelId = text("bedrockModelId");
  if (bedrockModelId !== "" && !/^[a-z0-9-]+(\.[a-z0-9-]+)+(:[a-z0-9-]+)*(:\d+)?$/i.test(bedrockModelId)) {
    problem("bedrockModelId", `"${bedrockModelId}" does not look like a Bedrock model id (provider.model-vN:M)`);
  }
  const guardrail = text("bedrockGuardrailArn", "");
  if (guardrail !== "" && !/^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:guardrail\/[a-z0-9]+$/.test(guardrail)) {
    problem("bedrockGuardrailArn", `"${guardrail}" is not a guardrail ARN`);
  }
  const bedrockGuardrailVersion = text("bedrockGuardrailVersion", "DRAFT");

  const openaiBaseUrl = text("openaiBaseUrl", "");
  const openaiModel = text("openaiModel", "");
  const openaiKeyArn = text("openaiApiKeySecretArn", "");
  if (openaiBaseUrl !== "" && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(openaiBaseUrl)) {
    problem("openaiBaseUrl", `"${openaiBaseUrl}" must be an http(s):// URL`);
  }
  if ((openaiBaseUrl === "") !== (openaiModel === "")) {
    problem(openaiBaseUrl === "" ? "openaiBaseUrl" : "openaiModel", "is required with the other (the openai engine)");
  }
  if (openaiKeyArn !== "" && !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:\S+$/.test(openaiKeyArn)) {
    problem("openaiApiKeySecretArn", `"${openaiKeyArn}" is not a Secrets Manager secret ARN`);
  }
  if (openaiKeyArn !== "" && openaiBaseUrl === "") problem("openaiBaseUrl", "is required with openaiApiKeySecretArn");
  if (defaultEngine === "openai" && openaiBaseUrl === "")
    problem("openaiBaseUrl", "is required with defaultEngine openai");

  const bannedRaw = raw("bannedClaims") ?? [];
  let bannedClaims: string[] = [];
  try {
    const parsed: unknown = typeof bannedRaw === "string" ? JSON.parse(bannedRaw) : bannedRaw;
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === "string")) throw new Error("not a string array");
    bannedClaims = parsed;
  } catch {
    problem("bannedClaims", `got ${JSON.stringify(bannedRaw)}`);
  }

  const jwtIssuer = text("jwtIssuer");
  if (jwtIssuer !== "" && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(jwtIssuer)) {
    problem("jwtIssuer", `"${jwtIssuer}" must be an https:// URL`);
  }
  const jwtAudience = list("jwtAudience");
  const cors = parseCorsOrigins(raw("corsOrigins"));
  for (const p of cors.problems) problem("corsOrigins", p);

  const retentionRaw = raw("logRetentionDays") ?? 30;
  const retention = Number(retentionRaw);
  const allowed = Object.values(RetentionDays).filter((v): v is number => typeof v === "number");
  if (!allowed.includes(retention) || retention === RetentionDays.INFINITE) {
    problem(
      "logRetentionDays",
      `${JSON.stringify(retentionRaw)} is not one of ${allowed.filter((d) => d > 0).join(", ")}`,
    );
  }

  const config: Config = {
    stage,
    alarmEmail,
    reportRecipients,
    reportSender,
    sesIdentity,
    defaultEngine: isEngineName(defaultEngine) ? defaultEngine : "bedrock",
    bedrockModelId,
    bedrockGuardrailArn: guardrail === "" ? undefined : guardrail,
    bedrockGuardrailVersion,
    openai:
      openaiBaseUrl === ""
        ? undefined
        : {
            baseUrl: openaiBaseUrl,
            model: openaiModel,
            apiKeySecretArn: openaiKeyArn === "" ? undefined : openaiKeyArn,
          },
    enablePiiRedaction: bool("enablePiiRedaction", true),
    bannedClaims,
    jwtIssuer,
    jwtAudience,
    corsOrigins: cors.origins,
    logRetention: retention as RetentionDays,
    skipBundling: bool("skipBundling", false),
  };
  if (problems.length > 0) throw contextProblems(problems);
  return config;
};
