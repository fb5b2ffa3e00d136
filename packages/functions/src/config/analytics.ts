import * as z from "@cvpipe/core/contracts/zod";
import { retention, SETTING } from "@cvpipe/core/topology";
import { positiveInt, resourceSettings } from "./settings.ts";

export const AnalyticsConfig = z.object({
  ...resourceSettings("analytics"),
  [SETTING.eventTtlDays]: positiveInt(retention.eventTtlDays),
  /** Outcome and retraction events: longer than JOB_TTL_DAYS plus a DLQ stay. */
  [SETTING.outcomeEventTtlDays]: positiveInt(retention.outcomeEventTtlDays),
});

export type AnalyticsConfig = z.output<typeof AnalyticsConfig>;
