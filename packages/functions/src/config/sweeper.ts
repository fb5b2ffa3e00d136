import * as z from "@cvpipe/core/contracts/zod";
import { SETTING } from "@cvpipe/core/topology";
import { positiveInt, resourceSettings } from "./settings.ts";

export const SweeperConfig = z.object({
  ...resourceSettings("sweeper"),
  /** A job QUEUED this long is taken for never enqueued. Longer than any backlog the alarms allow. */
  [SETTING.stuckJobMinutes]: positiveInt(120),
});

export type SweeperConfig = z.output<typeof SweeperConfig>;
