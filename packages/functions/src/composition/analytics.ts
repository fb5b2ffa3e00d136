/** Composition root of the analytics: its configuration turned into its adapters, once per cold start. */
import { AnalyticsFold } from "@cvpipe/aws/analytics/analytics-fold";
import { createDynamoDbClient, toDocumentClient } from "@cvpipe/aws/clients";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import type { SuppressionLookup } from "@cvpipe/core/ports/deletion-store";
import type { BatchEventRecorder } from "@cvpipe/core/ports/event-recorder";
import type { Metrics } from "@cvpipe/core/ports/metrics";
import { AnalyticsConfig as AnalyticsConfigSchema } from "../config/analytics.ts";
import { parseConfig } from "../config/settings.ts";

import { suppressionLookup } from "./shared.ts";

/** The analytics worker: each event stored once and folded into its week exactly once. */
export const analyticsDeps = (env: NodeJS.ProcessEnv = process.env, metrics?: Metrics): BatchEventRecorder => {
  const config = parseConfig("analytics", AnalyticsConfigSchema, env);
  return new AnalyticsFold(toDocumentClient(createDynamoDbClient(env)), {
    clock: clockFromEnv(env),
    ...(metrics ? { metrics } : {}),
    eventsTable: config.EVENTS_TABLE,
    aggregatesTable: config.AGGREGATES_TABLE,
    eventTtlDays: config.EVENT_TTL_DAYS,
    tailorEventTtlDays: config.OUTCOME_EVENT_TTL_DAYS,
  });
};

/** The analytics worker's question whether an event's user asked for their data to be deleted. */
export const analyticsSuppressions = (env: NodeJS.ProcessEnv = process.env): SuppressionLookup => {
  const config = parseConfig("analytics", AnalyticsConfigSchema, env);
  const clock = clockFromEnv(env);
  return suppressionLookup(toDocumentClient(createDynamoDbClient(env)), config.DELETIONS_TABLE, clock);
};
