import { EventsRequest, MAX_EVENTS_PER_REQUEST } from "@cvpipe/core/contracts/analytics-event";
import { analyticsEventOutgoing } from "@cvpipe/core/contracts/analytics-event-message";
import { derivedId, type IdSecret } from "@cvpipe/core/contracts/canonical-json";
import { zodIssues } from "@cvpipe/core/contracts/field-issues";
import { type FieldIssue, ValidationError } from "@cvpipe/core/errors";
import type { Caller, RequestContext } from "@cvpipe/core/jobs/caller";
import type { Clock } from "@cvpipe/core/ports/clock";
import { METRIC, type Metrics } from "@cvpipe/core/ports/metrics";
import type { QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import { DAY_MS } from "@cvpipe/core/ttl";

/** How far ahead of the clock an event may say it occurred (clock skew between producers and AWS). */
const MAX_FUTURE_MS = DAY_MS;

type RawEvent = { readonly eventId?: unknown; readonly type?: unknown; readonly occurredAt?: unknown };

/** A refused body's events, as far as it has any: each object of `events` (at most the batch's limit are judged). */
const eventsOf = (body: unknown): RawEvent[] => {
  const events = (body as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return [];
  return events
    .slice(0, MAX_EVENTS_PER_REQUEST)
    .map((e: unknown) => (e !== null && typeof e === "object" && !Array.isArray(e) ? (e as RawEvent) : {}));
};

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
 * rejects the request before anything is sent; the refusal names every problem of every event. The event id is the
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
  const parsed = EventsRequest.safeParse(body);
  const now = deps.clock.now();
  // Every problem of the batch at once: the catalogue, duplicate and clock checks run on the events
  // whose fields have the right type even when another event's shape is wrong.
  const issues: FieldIssue[] = parsed.success ? [] : zodIssues("body", parsed.error);
  const given = parsed.success ? parsed.data.events : eventsOf(body);
  // A field zod already refused is not judged again (a malformed type is not also "unknown").
  const refused = new Set(issues.map((issue) => issue.path));
  const judged = (i: number, field: string, value: unknown): value is string =>
    typeof value === "string" && !refused.has(`body.events[${i}].${field}`);
  const seen = new Map<string, number>();
  given.forEach((e, i) => {
    if (judged(i, "eventId", e.eventId)) {
      const first = seen.get(e.eventId);
      if (first !== undefined) {
        issues.push({
          path: `body.events[${i}].eventId`,
          rule: "unique",
          message: `duplicates body.events[${first}].eventId`,
        });
      }
      seen.set(e.eventId, i);
    }
    if (judged(i, "type", e.type) && !deps.eventTypes.includes(e.type)) {
      issues.push({
        path: `body.events[${i}].type`,
        rule: "catalogue",
        message: `"${e.type}" is not a known event type; known: ${deps.eventTypes.join(", ")}`,
      });
    }
    // A future-dated event would sit in a week not yet reported; allow a day of clock skew.
    if (judged(i, "occurredAt", e.occurredAt) && Date.parse(e.occurredAt) > now.getTime() + MAX_FUTURE_MS) {
      issues.push({
        path: `body.events[${i}].occurredAt`,
        rule: "not_future",
        message: "is more than 24 hours in the future",
      });
    }
  });
  if (issues.length > 0 || !parsed.success) throw new ValidationError(issues);
  const request = parsed.data;
  const receivedAt = now.toISOString();
  await deps.queue.sendBatch(
    "analyticsEvents",
    request.events.map((event) =>
      analyticsEventOutgoing(
        caller,
        { source: "producer", receivedAt, event },
        {
          // Deduplication is queue-wide: the id must tell (t1, x:e1) from (t1:x, e1) — NUL-separated parts.
          deduplicationId: derivedId(deps.idSecret, "event", caller.tenantId, event.eventId),
          correlationId: context.correlationId,
        },
      ),
    ),
  );
  deps.metrics?.count(METRIC.eventsAccepted, request.events.length);
  return { accepted: request.events.length, eventIds: request.events.map((e) => e.eventId) };
};
