import type { OutgoingMessage } from "../ports/queue-publisher.ts";
import { AnalyticsEvent } from "./analytics-event.ts";
import { messageBody, messageGroupId } from "./message-envelope.ts";
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

/** Whose event it is: its message group (the order that matters is one person's). */
export interface EventOwner {
  readonly tenantId: string;
  readonly userId: string;
}

/** How the message goes on the queue. */
export interface EventDeliveryOptions {
  /** Deduplication is queue-wide: the id must tell one tenant's event from another's. */
  readonly deduplicationId: string;
  readonly correlationId?: string | undefined;
}

/**
 * The one way onto analytics-events.fifo: the versioned body of the owner's event, in the owner's
 * message group, deduplicated by `deduplicationId`, with the correlation id when there is one.
 */
export const analyticsEventOutgoing = (
  owner: EventOwner,
  about: Pick<AnalyticsEventMessage, "source" | "receivedAt" | "event">,
  delivery: EventDeliveryOptions,
): OutgoingMessage => {
  const message: AnalyticsEventMessage = {
    schema: "analytics-event.v1",
    tenantId: owner.tenantId,
    userId: owner.userId,
    source: about.source,
    receivedAt: about.receivedAt,
    event: about.event,
  };
  return {
    body: messageBody(message),
    groupId: messageGroupId(owner.tenantId, owner.userId),
    deduplicationId: delivery.deduplicationId,
    ...(delivery.correlationId === undefined ? {} : { correlationId: delivery.correlationId }),
  };
};
