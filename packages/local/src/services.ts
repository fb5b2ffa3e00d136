/**
 * Which AWS service the embedded stack emulates and which the user has chosen
 * an endpoint for (DESIGN §8, "a service the user has configured ... gets no
 * emulator").
 *
 * For each of sqs, s3, dynamodb, ses and bedrock-runtime, in this order:
 * - `CVPIPE_USE_AWS=<service>[,<service>...]` (`bedrock` = `bedrock-runtime`):
 *   real AWS, through the SDK's own endpoint and the user's credential chain
 *   (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, ...). So is an
 *   `AWS_ENDPOINT_URL_<SERVICE>` whose host is an AWS one (`*.amazonaws.com`,
 *   `*.amazonaws.com.cn`, `*.api.aws`).
 * - `AWS_ENDPOINT_URL_<SERVICE>` (any other URL: moto, LocalStack, DynamoDB
 *   Local, a dynalite of your own): used as given; the stack provisions its
 *   queues/tables/bucket there (idempotently, as on its own emulators).
 *   An endpoint on 127.0.0.1/localhost at the port the stack would give its own
 *   emulator for that service (CVPIPE_SQS_PORT, ...; a value left exported from
 *   an earlier run for the aws CLI) is the stack's own address: emulated.
 * - otherwise: emulated, exactly as before this option existed.
 *
 * Real sqs, s3 or dynamodb needs CVPIPE_LOCAL_STAGE, a stage name of the user's
 * own: the stack then creates its queues, tables and buckets in that account
 * under the stage's names (`tailoring-jobs-<stage>.fifo`, `cvpipe-jobs-<stage>`,
 * `cvpipe-payloads-<stage>`), tagged as the embedded stack's, and its pollers
 * consume from those queues. Nothing is created under a name the user did not
 * choose, and a resource that belongs to a CloudFormation stack (a deployed
 * stage of that name) is refused before anything is changed (provision.ts).
 * Real ses needs
 * REPORT_SENDER (an identity verified in that account) and REPORT_RECIPIENTS set
 * explicitly; real bedrock-runtime needs BEDROCK_MODEL_ID (the stand-in's model
 * id means nothing to AWS). A global `AWS_ENDPOINT_URL` with CVPIPE_USE_AWS is
 * refused too: it would send the "real" service to that endpoint instead.
 */
import { endpointEnv, SERVICE_IDS, type ServiceId, type ServiceName } from "@cvpipe/aws/clients";
import { ConfigError } from "@cvpipe/core/errors";
import { SETTING, STAGE_PATTERN } from "@cvpipe/core/topology";
import type { LocalSettings } from "./settings.ts";

/** The services the stack emulates (or hands to the user's endpoint or AWS): every one cvpipe calls but Secrets Manager, whose secrets are files and settings locally. */
export const localServices = [
  "sqs",
  "s3",
  "dynamodb",
  "ses",
  "bedrock-runtime",
] as const satisfies readonly ServiceName[];

export type LocalService = (typeof localServices)[number];

/** The SDK's service id (the `<SERVICE>` of AWS_ENDPOINT_URL_<SERVICE>): clients.ts's one map. */
export const sdkServiceId: Readonly<Record<LocalService, ServiceId>> = SERVICE_IDS;

/** What stands in for each service when it is emulated. */
export const emulatorName: Readonly<Record<LocalService, string>> = {
  sqs: "fauxqs",
  s3: "fauxqs",
  dynamodb: "dynalite",
  ses: "aws-ses-v2-local",
  "bedrock-runtime": "cvpipe Bedrock stand-in",
};

export const USE_AWS_ENV = "CVPIPE_USE_AWS";

export type ServiceSource =
  /** The stack starts its own emulator. */
  | { readonly kind: "emulated" }
  /** AWS_ENDPOINT_URL_<SERVICE>: an endpoint the user runs (not AWS). */
  | { readonly kind: "configured"; readonly endpoint: string; readonly variable: string }
  /** Real AWS with the user's credential chain; `endpoint` is set when the user named an AWS endpoint. */
  | { readonly kind: "aws"; readonly endpoint?: string; readonly variable: string };

export type ServicePlan = Readonly<Record<LocalService, ServiceSource>>;

type Env = Readonly<Record<string, string | undefined>>;

const parseUseAws = (raw: string | undefined): Set<LocalService> => {
  const chosen = new Set<LocalService>();
  for (const word of (raw ?? "").split(/[\s,]+/)) {
    const name = word.trim().toLowerCase();
    if (name === "") continue;
    const service = name === "bedrock" ? "bedrock-runtime" : name;
    if (!(localServices as readonly string[]).includes(service)) {
      throw new ConfigError(
        `${USE_AWS_ENV}: unknown service "${word}" (known: ${localServices.join(", ")}; "bedrock" means bedrock-runtime)`,
      );
    }
    chosen.add(service as LocalService);
  }
  return chosen;
};

/** Whether a URL names an AWS endpoint (a real account), not an emulator. */
export const isAwsEndpoint = (url: string): boolean => {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return /(^|\.)amazonaws\.com(\.cn)?$/.test(host) || /(^|\.)api\.aws$/.test(host);
};

const ownPort = (service: LocalService, settings: LocalSettings): number => {
  switch (service) {
    case "sqs":
    case "s3":
      return settings.sqsPort;
    case "dynamodb":
      return settings.dynamoDbPort;
    case "ses":
      return settings.sesPort;
    case "bedrock-runtime":
      return settings.bedrockPort;
  }
};

/** An endpoint at the address the stack gives its own emulator for the service. */
const isOwnAddress = (url: string, service: LocalService, settings: LocalSettings): boolean => {
  const port = ownPort(service, settings);
  if (port === 0) return false;
  try {
    const u = new URL(url);
    const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname.toLowerCase());
    return loopback && u.protocol === "http:" && Number(u.port || 80) === port;
  } catch {
    return false;
  }
};

/**
 * Decides each service's source from the environment (see the file comment).
 * `env` is what the functions will run with (process.env plus the stack's extra env).
 * Throws ConfigError for a configuration the stack refuses.
 */
export const planServices = (settings: LocalSettings, env: Env): ServicePlan => {
  const useAws = parseUseAws(env[USE_AWS_ENV]);
  const stage = localStage(env);
  const plan = {} as Record<LocalService, ServiceSource>;
  for (const service of localServices) {
    const variable = endpointEnv(sdkServiceId[service]);
    const endpoint = env[variable] || undefined;
    if (useAws.has(service)) {
      if (endpoint) {
        throw new ConfigError(
          `${USE_AWS_ENV} names ${service} and ${variable} is set too (${endpoint}): keep one — ${USE_AWS_ENV} for real AWS, ${variable} for an endpoint of your own`,
        );
      }
      plan[service] = { kind: "aws", variable: USE_AWS_ENV };
    } else if (endpoint && isAwsEndpoint(endpoint)) {
      plan[service] = { kind: "aws", endpoint, variable };
    } else if (endpoint && !isOwnAddress(endpoint, service, settings)) {
      plan[service] = { kind: "configured", endpoint, variable };
    } else {
      plan[service] = { kind: "emulated" };
    }
  }

  const real = localServices.filter((s) => plan[s].kind === "aws");
  if (real.length === 0) return plan;
  if (env["AWS_ENDPOINT_URL"]) {
    throw new ConfigError(
      `AWS_ENDPOINT_URL is set (${env["AWS_ENDPOINT_URL"]}) while ${real.join(", ")} should be real AWS: it would send ${real.length === 1 ? "that service" : "those services"} there instead; unset it and name endpoints per service (AWS_ENDPOINT_URL_<SERVICE>)`,
    );
  }
  const withResources = real.filter((s) => s === "sqs" || s === "s3" || s === "dynamodb");
  if (withResources.length > 0 && stage === undefined) {
    throw new ConfigError(
      `real AWS for ${withResources.join(", ")} needs ${LOCAL_STAGE_ENV}: a stage name of your own (${STAGE_PATTERN.source}). The stack creates its queues, tables and buckets in your account under that stage's names (tailoring-jobs-<stage>.fifo, cvpipe-jobs-<stage>, cvpipe-payloads-<stage>, ...) and consumes from its queues; it refuses a deployed stage's. Or point ${withResources.map((s) => endpointEnv(sdkServiceId[s])).join(" / ")} at an emulator of your own (moto, LocalStack, DynamoDB Local)`,
    );
  }
  if (plan.ses.kind === "aws") {
    const missing = [SETTING.reportSender, SETTING.reportRecipients].filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new ConfigError(
        `real SES needs ${missing.join(" and ")} set: the sender must be an identity verified in your account (the local defaults are example.com addresses)`,
      );
    }
  }
  if (plan["bedrock-runtime"].kind === "aws" && !env[SETTING.bedrockModelId]) {
    throw new ConfigError(
      `real Bedrock needs ${SETTING.bedrockModelId} set: a model or inference profile your account can invoke in AWS_REGION (the local default names the stand-in)`,
    );
  }
  return plan;
};

/** `CVPIPE_LOCAL_STAGE`: the stage the embedded stack's resources are named after; unset, the topology's names as they are. */
export const LOCAL_STAGE_ENV = "CVPIPE_LOCAL_STAGE";

/** The stage of CVPIPE_LOCAL_STAGE, checked: undefined when unset or empty; ConfigError naming the rule when it is no stage name. */
export const localStage = (env: Env): string | undefined => {
  const stage = env[LOCAL_STAGE_ENV];
  if (stage === undefined || stage === "") return undefined;
  if (!STAGE_PATTERN.test(stage)) {
    throw new ConfigError(
      `${LOCAL_STAGE_ENV}: "${stage}" must match ${STAGE_PATTERN.source} (a lowercase letter, then lowercase letters, digits or hyphens: 12 characters at most): it becomes part of queue, table and bucket names`,
    );
  }
  return stage;
};

/** Whether the user has credentials of their own in the environment (keys, or a named profile). */
export const hasUserCredentials = (env: Env): boolean =>
  Boolean((env["AWS_ACCESS_KEY_ID"] && env["AWS_SECRET_ACCESS_KEY"]) || env["AWS_PROFILE"]);

/** One line per service for the start-up banner and log: what serves it and where. */
export const describeService = (service: LocalService, source: ServiceSource, endpoint: string): string => {
  switch (source.kind) {
    case "emulated":
      return `emulated (${emulatorName[service]}) ${endpoint}`;
    case "configured":
      return `user-configured (${source.variable}) ${endpoint}, no emulator`;
    case "aws":
      return `real AWS (${source.variable}) ${source.endpoint ?? "SDK default endpoint"}, your credentials, no emulator`;
  }
};
