import { ENGINE_NAMES } from "./job-constants.ts";
import * as z from "./zod.ts";

/** Producer-chosen id, unique within the tenant: the idempotency key of an event (a repeat is stored once). */
export const EventId = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(128),
    z.regex(/^[A-Za-z0-9._:-]+$/, "may contain only letters, digits and . _ : -"),
  );

/** `cv.downloaded`, `application.submitted`: lower-case dotted words. */
export const EventType = z
  .string()
  .check(
    z.maxLength(64),
    z.regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, "must be dotted lower-case words, e.g. cv.downloaded"),
  );

export const RESERVED_EVENT_PREFIX = "tailoring.";

/**
 * The producer event types counted by default (`EVENT_TYPES` overrides). A
 * catalogue, not a free-for-all: each type is a counter on the weekly
 * aggregate items, so the number of types must stay bounded.
 */
export const DEFAULT_EVENT_TYPES = [
  "cv.viewed",
  "cv.downloaded",
  "cv.shared",
  "cv.exported",
  "job.viewed",
  "job.saved",
  "application.started",
  "application.submitted",
  "application.withdrawn",
  "search.performed",
  "profile.updated",
  "feedback.submitted",
] as const;

/** Upper bound on a configured catalogue (keeps aggregate items far below DynamoDB's 400 KB). */
export const MAX_EVENT_TYPES = 100;
/** Outcome events use `tailoring-outcome-<jobId>`; a producer id must never collide with one. */
export const RESERVED_EVENT_ID_PREFIX = "tailoring-";

/** One analytics event as a producer sends it in `POST /v1/events`. */
export const ProducerEvent = z.strictObject({
  eventId: EventId.check(
    z.refine((id) => !id.startsWith(RESERVED_EVENT_ID_PREFIX), {
      message: `the "${RESERVED_EVENT_ID_PREFIX}" prefix is reserved for events cvpipe emits itself`,
    }),
  ),
  type: EventType.check(
    z.refine((t) => !t.startsWith(RESERVED_EVENT_PREFIX), {
      message: `the "${RESERVED_EVENT_PREFIX}" prefix is reserved for events cvpipe emits itself`,
    }),
  ),
  occurredAt: z.iso.datetime({ offset: true }).check(
    // (A malformed value is already reported by the format check.)
    z.refine((t) => Number.isNaN(Date.parse(t)) || Date.parse(t) >= Date.UTC(2000, 0, 1), {
      message: "must be in the year 2000 or later",
    }),
  ),
  properties: z.optional(
    z
      .record(
        z.string().check(z.maxLength(64)),
        z.union([z.string().check(z.maxLength(500)), z.number(), z.boolean()], {
          error: "values must be strings (≤ 500 characters), numbers or booleans",
        }),
      )
      .check(z.refine((p) => Object.keys(p).length <= 50, { message: "at most 50 properties" })),
  ),
});
export type ProducerEvent = z.output<typeof ProducerEvent>;

export const MAX_EVENTS_PER_REQUEST = 25;

export const EventsRequest = z.strictObject({
  events: z.array(ProducerEvent).check(z.minLength(1), z.maxLength(MAX_EVENTS_PER_REQUEST)),
});
export type EventsRequest = z.output<typeof EventsRequest>;

export const TAILORING_OUTCOMES = ["succeeded", "failed"] as const;
export type TailoringOutcome = (typeof TAILORING_OUTCOMES)[number];

/**
 * The most missing keywords an outcome event carries (the tailor keeps the first ones of the match
 * report). Bounded so that one event's aggregate update (two sketch rows and a name per keyword,
 * aggregate.ts) stays inside DynamoDB's 4 KB UpdateExpression limit.
 */
export const MAX_OUTCOME_KEYWORDS = 20;

/** What the tailor reports about each finished job (`type: tailoring.outcome`). */
const tokenCount = () => z.optional(z.number().check(z.int(), z.nonnegative()));

export const TailoringOutcomeEvent = z.strictObject({
  eventId: EventId,
  type: z.literal("tailoring.outcome"),
  occurredAt: z.iso.datetime({ offset: true }),
  jobId: z.string().check(z.minLength(1)),
  engine: z.enum(ENGINE_NAMES),
  outcome: z.enum(TAILORING_OUTCOMES),
  errorCode: z.optional(z.string()),
  latencyMs: z.number().check(z.nonnegative()),
  matchScore: z.optional(z.number().check(z.gte(0), z.lte(100))),
  inputTokens: tokenCount(),
  outputTokens: tokenCount(),
  missingKeywords: z._default(z.array(z.string().check(z.maxLength(100))).check(z.maxLength(MAX_OUTCOME_KEYWORDS)), []),
});
export type TailoringOutcomeEvent = z.output<typeof TailoringOutcomeEvent>;

/**
 * Takes back an outcome a job no longer has (`type: tailoring.retraction`): a
 * job that FAILED for a retryable reason and was redriven ends again, and only
 * its last outcome may count. It carries the outcome it supersedes, so the fold
 * can take back exactly what that outcome added — or, when that outcome never
 * arrived, make sure it never will count (see fold-event.ts).
 */
export const TailoringRetractionEvent = z.strictObject({
  eventId: EventId,
  type: z.literal("tailoring.retraction"),
  /** The superseded outcome's time: the retraction lands in that outcome's week. */
  occurredAt: z.iso.datetime({ offset: true }),
  jobId: z.string().check(z.minLength(1)),
  supersedes: TailoringOutcomeEvent,
});
export type TailoringRetractionEvent = z.output<typeof TailoringRetractionEvent>;

/** The ratings relevance feedback takes: 1 (not relevant) to 5 (very relevant). */
export const FEEDBACK_RATINGS = [1, 2, 3, 4, 5] as const;

/**
 * Relevance feedback on a tailored CV (`type: tailoring.feedback`), published by
 * `POST /v1/jobs/{jobId}/feedback` once the feedback is stored: the week's count,
 * mean rating and distribution fold from it, exactly once, like any event.
 */
export const TailoringFeedbackEvent = z.strictObject({
  eventId: EventId,
  type: z.literal("tailoring.feedback"),
  occurredAt: z.iso.datetime({ offset: true }),
  jobId: z.string().check(z.minLength(1)),
  rating: z.number().check(z.int(), z.gte(1), z.lte(5)),
});
export type TailoringFeedbackEvent = z.output<typeof TailoringFeedbackEvent>;

export const AnalyticsEvent = z.union([
  TailoringOutcomeEvent,
  TailoringRetractionEvent,
  TailoringFeedbackEvent,
  ProducerEvent,
]);
export type AnalyticsEvent = z.output<typeof AnalyticsEvent>;

export const isOutcomeEvent = (e: AnalyticsEvent): e is TailoringOutcomeEvent => e.type === "tailoring.outcome";
export const isRetractionEvent = (e: AnalyticsEvent): e is TailoringRetractionEvent =>
  e.type === "tailoring.retraction";
export const isFeedbackEvent = (e: AnalyticsEvent): e is TailoringFeedbackEvent => e.type === "tailoring.feedback";
