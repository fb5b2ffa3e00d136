import * as z from "@cvpipe/core/contracts/zod";
import { queueUrlEnv, SETTING, tableNameEnv } from "@cvpipe/core/topology";
import { positiveInt, required } from "./settings.ts";

export const SweeperConfig = z.object({
  [tableNameEnv("jobs")]: required,
  [queueUrlEnv("analyticsEvents")]: required,
  /** A job QUEUED this long is taken for never enqueued. Longer than any backlog the alarms allow. */
  [SETTING.stuckJobMinutes]: positiveInt(120),
});

export type SweeperConfig = z.output<typeof SweeperConfig>;
