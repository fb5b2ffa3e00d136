import { EventsRequest } from "@cvpipe/core/contracts/analytics-event";
import { derivedId, type IdSecret } from "@cvpipe/core/contracts/canonical-json";
import { type AnalyticsEventMessage, messageBody, messageGroupId } from "@cvpipe/core/contracts/messages";
import { parseWith } from "@cvpipe/core/contracts/parse";
import { type FieldIssue, ValidationError } from "@cvpipe/core/errors";
import type { Caller, RequestContext } from "@cvpipe/core/jobs/caller";
import type { Clock } from "@cvpipe/core/ports/clock";
import { METRIC, type Metrics } from "@cvpipe/core/ports/metrics";
import type { QueuePublisher } from "@cvpipe/core/ports/queue-publisher";

const MAX_FUTURE_MS = 24 * 3_600_000;

export interface SubmitEventsDeps {
  readonly queue: QueuePublisher;
  readonly clock: Clock;
  /** The event types this deployment counts (EVENT_TYPES). */
  readonly eventTypes: readonly string[];
  readonly idSecret: IdSecret;
  /** EventsAccepted (default: none recorded). */
  readonly metrics?: Metrics;
}

/**
 * Validates 1..25 producer events and enqueues them. A single invalid event
 * rejects the request before anything is sent. The event id is the
 * deduplication id and the analytics worker stores each id once, so a request
 * that failed part-way (503) is simply sent again. Each message carries the
 * request's correlation id.
 */
export const submitEvents = async (
  deps: SubmitEventsDeps,
  caller: Caller,
  body: unknown,
  context: RequestContext = {},
): Promise<{ accepted: number; eventIds: string[] }> => {
  const request = parseWith(EventsRequest, body, "body");
  const now = deps.clock.now();
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  request.events.forEach((e, i) => {
    const first = seen.get(e.eventId);
    if (first !== undefined) {
      issues.push({
        path: `body.events[${i}].eventId`,
        rule: "unique",
        message: `duplicates body.events[${first}].eventId`,
      });
    }
    seen.set(e.eventId, i);
    if (!deps.eventTypes.includes(e.type)) {
      issues.push({
        path: `body.events[${i}].type`,
        rule: "catalogue",
        message: `"${e.type}" is not a known event type; known: ${deps.eventTypes.join(", ")}`,
      });
    }
    // A future-dated event would sit in a week not yet reported; allow a day of clock skew.
    if (Date.parse(e.occurredAt) > now.getTime() + MAX_FUTURE_MS) {
      issues.push({
        path: `body.events[${i}].occurredAt`,
        rule: "not_future",
        message: "is more than 24 hours in the future",
      });
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  const receivedAt = now.toISOString();
  const groupId = messageGroupId(caller.tenantId, caller.userId);
  await deps.queue.sendBatch(
    "analyticsEvents",
    request.events.map((event) => {
      const message: AnalyticsEventMessage = {
        schema: "analytics-event.v1",
        tenantId: caller.tenantId,
        userId: caller.userId,
        source: "producer",
        receivedAt,
        event,
      };
      return {
        body: messageBody(message),
        groupId,
        // Deduplication is queue-wide: the id must tell (t1, x:e1) from (t1:x, e1) — NUL-separated parts.
        deduplicationId: derivedId(deps.idSecret, "event", caller.tenantId, event.eventId),
        ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
      };
    }),
  );
  deps.metrics?.count(METRIC.eventsAccepted, request.events.length);
  return { accepted: request.events.length, eventIds: request.events.map((e) => e.eventId) };
};
