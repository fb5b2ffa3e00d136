/** Composition root of the sweeper: its configuration turned into its adapters, once per cold start. */
import { createDynamoDbClient, createSqsClient, toDocumentClient } from "@cvpipe/aws/clients";
import { SqsQueuePublisher } from "@cvpipe/aws/sqs-queue-publisher";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { type Metrics, noMetrics } from "@cvpipe/core/ports/metrics";
import type { SweepJobsDeps } from "../app/sweep-jobs.ts";
import { parseConfig } from "../config/settings.ts";
import { SweeperConfig as SweeperConfigSchema } from "../config/sweeper.ts";

import { jobStore } from "./shared.ts";

export const sweeperDeps = (env: NodeJS.ProcessEnv = process.env, metrics: Metrics = noMetrics): SweepJobsDeps => {
  const config = parseConfig("sweeper", SweeperConfigSchema, env);
  const clock = clockFromEnv(env);
  return {
    jobs: jobStore(toDocumentClient(createDynamoDbClient(env)), config.JOBS_TABLE, clock),
    queue: new SqsQueuePublisher(createSqsClient(env), { analyticsEvents: config.ANALYTICS_EVENTS_QUEUE_URL }),
    clock,
    stuckAfterMinutes: config.STUCK_JOB_MINUTES,
    batchLimit: 200,
    metrics,
  };
};
