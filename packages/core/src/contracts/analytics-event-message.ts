import { AnalyticsEvent } from "./analytics-event.ts";
import { nonEmpty } from "./non-empty.ts";
import * as z from "./zod.ts";

/** Body of a message on analytics-events.fifo. */
export const AnalyticsEventMessage = z.strictObject({
  schema: z.literal("analytics-event.v1"),
  tenantId: nonEmpty(),
  userId: z.optional(nonEmpty()),
  source: z.enum(["producer", "tailor"]),
  receivedAt: z.iso.datetime({ offset: true }),
  event: AnalyticsEvent,
});
export type AnalyticsEventMessage = z.output<typeof AnalyticsEventMessage>;
