/** Composition root of the tailor: its configuration turned into its adapters, once per cold start. */
import { BedrockEngine } from "@cvpipe/aws/bedrock/bedrock-engine";
import {
  createBedrockRuntimeClient,
  createDynamoDbClient,
  createS3Client,
  createSecretsManagerClient,
  createSqsClient,
  toDocumentClient,
} from "@cvpipe/aws/clients";
import { SqsQueuePublisher } from "@cvpipe/aws/sqs-queue-publisher";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { type Metrics, noMetrics } from "@cvpipe/core/ports/metrics";
import { LocalEngine } from "@cvpipe/core/tailoring/local-engine";
import { queues } from "@cvpipe/core/topology";
import type { ProcessJobDeps } from "../app/process-job.ts";
import { parseConfig } from "../config/settings.ts";
import { type TailorConfig, TailorConfig as TailorConfigSchema } from "../config/tailor.ts";
import { apiKeyReader } from "../engines/openai/api-key.ts";
import { OpenAiEngine } from "../engines/openai/openai-engine.ts";
import { createLogger } from "../logger.ts";
import { loadPromptTemplates } from "./prompt-templates.ts";

import { jobStore, payloadStore, suppressionLookup } from "./shared.ts";

export const tailorDeps = (
  env: NodeJS.ProcessEnv = process.env,
  logger: ProcessJobDeps["logger"] = createLogger("tailor"),
  metrics: Metrics = noMetrics,
): ProcessJobDeps => {
  const config = parseConfig("tailor", TailorConfigSchema, env);
  const clock = clockFromEnv(env);
  const db = toDocumentClient(createDynamoDbClient(env));
  return {
    jobs: jobStore(db, config.JOBS_TABLE, clock),
    blobs: payloadStore(createS3Client(env), config.PAYLOADS_BUCKET, config.DATA_KEY_ARN),
    queue: new SqsQueuePublisher(createSqsClient(env), { analyticsEvents: config.ANALYTICS_EVENTS_QUEUE_URL }),
    clock,
    engines: tailoringEngines(config, env),
    bannedClaims: config.BANNED_CLAIMS,
    // The tailoring queue's redrive policy, from the same topology the queue was deployed from.
    maxReceiveCount: queues.tailoringJobs.maxReceiveCount,
    inlineResultLimitBytes: config.INLINE_RESULT_LIMIT_BYTES,
    logger,
    metrics,
    suppressedSince: suppressionLookup(db, config.DELETIONS_TABLE, clock),
  };
};

/** The local engine is always there; Bedrock when a model is configured; openai when a server and model are. */
const tailoringEngines = (config: TailorConfig, env: NodeJS.ProcessEnv): ProcessJobDeps["engines"] => {
  const promptTemplates = loadPromptTemplates(config.PROMPT_TEMPLATES_PATH);
  const bedrock = config.BEDROCK_MODEL_ID
    ? new BedrockEngine(createBedrockRuntimeClient(env), {
        modelId: config.BEDROCK_MODEL_ID,
        piiRedaction: config.ENABLE_PII_REDACTION,
        promptTemplates,
        ...(config.BEDROCK_GUARDRAIL_ARN
          ? { guardrail: { identifier: config.BEDROCK_GUARDRAIL_ARN, version: config.BEDROCK_GUARDRAIL_VERSION } }
          : {}),
      })
    : undefined;
  const apiKey = apiKeyReader(config, () => createSecretsManagerClient(env));
  // Both or neither: the configuration refuses one without the other.
  const openai =
    config.OPENAI_BASE_URL && config.OPENAI_MODEL
      ? new OpenAiEngine({
          baseUrl: config.OPENAI_BASE_URL,
          model: config.OPENAI_MODEL,
          piiRedaction: config.ENABLE_PII_REDACTION,
          promptTemplates,
          timeoutMs: config.OPENAI_TIMEOUT_SECONDS * 1000,
          ...(apiKey ? { apiKey } : {}),
        })
      : undefined;
  return { local: new LocalEngine(), ...(bedrock ? { bedrock } : {}), ...(openai ? { openai } : {}) };
};
