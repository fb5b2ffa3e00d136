import { z } from "zod";
import { ENGINE_NAMES } from "./job-request.ts";

/** Producer-chosen id, unique within the tenant: the idempotency key of an event (a repeat is stored once). */
export const EventId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, "may contain only letters, digits and . _ : -");

/** `cv.downloaded`, `application.submitted`: lower-case dotted words. */
export const EventType = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, "must be dotted lower-case words, e.g. cv.downloaded");

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
export const ProducerEvent = z
  .object({
    eventId: EventId.refine((id) => !id.startsWith(RESERVED_EVENT_ID_PREFIX), {
      message: `the "${RESERVED_EVENT_ID_PREFIX}" prefix is reserved for events cvpipe emits itself`,
    }),
    type: EventType.refine((t) => !t.startsWith(RESERVED_EVENT_PREFIX), {
      message: `the "${RESERVED_EVENT_PREFIX}" prefix is reserved for events cvpipe emits itself`,
    }),
    occurredAt: z.iso
      .datetime({ offset: true })
      // (A malformed value is already reported by the format check.)
      .refine((t) => Number.isNaN(Date.parse(t)) || Date.parse(t) >= Date.UTC(2000, 0, 1), {
        message: "must be in the year 2000 or later",
      }),
    properties: z
      .record(
        z.string().max(64),
        z.union([z.string().max(500), z.number(), z.boolean()], {
          error: "values must be strings (≤ 500 characters), numbers or booleans",
        }),
      )
      .refine((p) => Object.keys(p).length <= 50, { message: "at most 50 properties" })
      .optional(),
  })
  .strict();
export type ProducerEvent = z.output<typeof ProducerEvent>;

export const MAX_EVENTS_PER_REQUEST = 25;

export const EventsRequest = z
  .object({
    events: z.array(ProducerEvent).min(1).max(MAX_EVENTS_PER_REQUEST),
  })
  .strict();
export type EventsRequest = z.output<typeof EventsRequest>;

export const TAILORING_OUTCOMES = ["succeeded", "failed"] as const;
export type TailoringOutcome = (typeof TAILORING_OUTCOMES)[number];

/** What the tailor reports about each finished job (`type: tailoring.outcome`). */
export const TailoringOutcomeEvent = z
  .object({
    eventId: EventId,
    type: z.literal("tailoring.outcome"),
    occurredAt: z.iso.datetime({ offset: true }),
    jobId: z.string().min(1),
    engine: z.enum(ENGINE_NAMES),
    outcome: z.enum(TAILORING_OUTCOMES),
    errorCode: z.string().optional(),
    latencyMs: z.number().nonnegative(),
    matchScore: z.number().min(0).max(100).optional(),
    inputTokens: z.number().int().nonnegative().optional(),
    outputTokens: z.number().int().nonnegative().optional(),
    missingKeywords: z.array(z.string().max(100)).max(50).default([]),
  })
  .strict();
export type TailoringOutcomeEvent = z.output<typeof TailoringOutcomeEvent>;

/**
 * Takes back an outcome a job no longer has (`type: tailoring.retraction`): a
 * job that FAILED for a retryable reason and was redriven ends again, and only
 * its last outcome may count. It carries the outcome it supersedes, so the fold
 * can take back exactly what that outcome added — or, when that outcome never
 * arrived, make sure it never will count (see fold-event.ts).
 */
export const TailoringRetractionEvent = z
  .object({
    eventId: EventId,
    type: z.literal("tailoring.retraction"),
    /** The superseded outcome's time: the retraction lands in that outcome's week. */
    occurredAt: z.iso.datetime({ offset: true }),
    jobId: z.string().min(1),
    supersedes: TailoringOutcomeEvent,
  })
  .strict();
export type TailoringRetractionEvent = z.output<typeof TailoringRetractionEvent>;

export const AnalyticsEvent = z.union([TailoringOutcomeEvent, TailoringRetractionEvent, ProducerEvent]);
export type AnalyticsEvent = z.output<typeof AnalyticsEvent>;

export const isOutcomeEvent = (e: AnalyticsEvent): e is TailoringOutcomeEvent => e.type === "tailoring.outcome";
export const isRetractionEvent = (e: AnalyticsEvent): e is TailoringRetractionEvent =>
  e.type === "tailoring.retraction";
