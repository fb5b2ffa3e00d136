import * as z from "@cvpipe/core/contracts/zod";
import { retention, SETTING, tableNameEnv } from "@cvpipe/core/topology";
import { positiveInt, required } from "./settings.ts";

export const AnalyticsConfig = z.object({
  [tableNameEnv("events")]: required,
  [tableNameEnv("aggregates")]: required,
  [tableNameEnv("deletions")]: required,
  [SETTING.eventTtlDays]: positiveInt(retention.eventTtlDays),
  /** Outcome and retraction events: longer than JOB_TTL_DAYS plus a DLQ stay. */
  [SETTING.outcomeEventTtlDays]: positiveInt(retention.outcomeEventTtlDays),
});

export type AnalyticsConfig = z.output<typeof AnalyticsConfig>;
