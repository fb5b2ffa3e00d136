/**
 * Relevance feedback: the owner of a tailored job rates it (`POST /v1/jobs/{jobId}/feedback`), the
 * tenant's analysts read it (`GET /v1/feedback`), and the weekly report shows the week's count,
 * mean rating and distribution with their change.
 *
 * The record is written first, then a `tailoring.feedback` event goes to the analytics queue, where
 * the exactly-once fold counts it (a redelivery or a re-send of the same event counts once). When
 * the event cannot be sent the record is taken back and the answer is a 503: nothing half-written.
 */

import type { TailoringFeedbackEvent } from "@cvpipe/core/contracts/analytics-event";
import { analyticsEventOutgoing } from "@cvpipe/core/contracts/analytics-event-message";
import { derivedId, type IdSecret } from "@cvpipe/core/contracts/canonical-json";
import { zodIssues } from "@cvpipe/core/contracts/field-issues";
import * as z from "@cvpipe/core/contracts/zod";
import { CvpipeError, InvalidInputError, KeyCollisionError, NotFoundError, ValidationError } from "@cvpipe/core/errors";
import type { Caller } from "@cvpipe/core/jobs/caller";
import { parseListLimit } from "@cvpipe/core/jobs/list-limit";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import type { Clock } from "@cvpipe/core/ports/clock";
import { type FeedbackRecord, type FeedbackStore, feedbackKeyOf } from "@cvpipe/core/ports/feedback-store";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import type { QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import { api, retention } from "@cvpipe/core/topology";
import { expiresAt } from "@cvpipe/core/ttl";
import { resultOf } from "./job-view.ts";
import { openCursor, sealCursor } from "./list-cursor.ts";
import { findOwnJob } from "./own-jobs.ts";

export const MAX_FEEDBACK_COMMENT_CHARS = 2_000;
export const MAX_HELPFUL_PATHS = 50;

/** `work[0].highlights[1]`: names, indexes and dots, bounded (a linear pattern). */
const RESUME_PATH = /^[A-Za-z]{1,40}(?:\[[0-9]{1,4}\]|\.[A-Za-z]{1,40}){0,8}$/;

export const FeedbackRequest = z.strictObject({
  rating: z
    .number()
    .check(
      z.int("must be a whole number from 1 to 5"),
      z.gte(1),
      z.lte(5),
      z.describe("1 (not relevant) to 5 (very relevant)"),
    ),
  helpful: z.optional(
    z
      .array(z.string().check(z.regex(RESUME_PATH, "must be a path in the tailored CV, e.g. work[0].highlights[1]")))
      .check(z.maxLength(MAX_HELPFUL_PATHS), z.describe("the highlights of the tailored CV that helped, by path")),
  ),
  comment: z.optional(z.string().check(z.maxLength(MAX_FEEDBACK_COMMENT_CHARS))),
});

export interface FeedbackDeps {
  readonly jobs: JobStore;
  readonly blobs: BlobStore;
  readonly feedback: FeedbackStore;
  readonly queue: QueuePublisher;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly idSecret: IdSecret;
}

/** The value at `path` (`work[0].highlights[1]`) in `root`, or undefined. */
const at = (root: unknown, path: string): unknown => {
  let node: unknown = root;
  for (const [, name, index] of path.matchAll(/([A-Za-z]+)|\[([0-9]+)\]/g)) {
    if (node === null || typeof node !== "object") return undefined;
    node = name !== undefined ? (node as Record<string, unknown>)[name] : (node as unknown[])[Number(index)];
  }
  return node;
};

/** `POST /v1/jobs/{jobId}/feedback`: the owner's rating of a SUCCEEDED job (the body is judged first, as on every route). */
export const submitFeedback = async (deps: FeedbackDeps, caller: Caller, jobId: string, body: unknown) => {
  const parsed = FeedbackRequest.safeParse(body);
  if (!parsed.success) throw new ValidationError(zodIssues("body", parsed.error));
  const job = await findOwnJob(deps.jobs, caller, jobId);
  if (!job) throw new NotFoundError("no such job");
  if (job.status !== "SUCCEEDED") {
    throw new InvalidInputError([
      {
        input: "jobId",
        rule: "status",
        message: `the job is ${job.status}: feedback rates a tailored CV, so it takes a SUCCEEDED job`,
      },
    ]);
  }
  const request = parsed.data;
  if (request.helpful?.length) {
    const resume = (await resultOf(job, deps.blobs))?.resume;
    const issues = request.helpful.flatMap((path, i) =>
      typeof at(resume, path) === "string"
        ? []
        : [{ path: `body.helpful[${i}]`, rule: "exists", message: `names no text of the tailored CV (${path})` }],
    );
    if (issues.length > 0) throw new ValidationError(issues);
  }
  const now = deps.clock.now();
  const receivedAt = now.toISOString();
  const feedbackId = deps.newId();
  const record: FeedbackRecord = {
    tenantId: caller.tenantId,
    feedbackKey: feedbackKeyOf(jobId, receivedAt, feedbackId),
    feedbackId,
    jobId,
    userId: caller.userId,
    rating: request.rating,
    ...(request.helpful ? { helpful: request.helpful } : {}),
    ...(request.comment !== undefined ? { comment: request.comment } : {}),
    receivedAt,
    expiresAt: expiresAt(now, retention.feedbackTtlDays),
  };
  if (!(await deps.feedback.create(record))) {
    throw new KeyCollisionError("feedback arrived twice in the same instant; send it again");
  }
  const event: TailoringFeedbackEvent = {
    // Keyed by the record: every copy of this event is the same event to the fold.
    eventId: `tailoring-feedback-${derivedId(deps.idSecret, "feedback", caller.tenantId, record.feedbackKey)}`,
    type: "tailoring.feedback",
    occurredAt: receivedAt,
    jobId,
    rating: request.rating,
  };
  try {
    const outgoing = analyticsEventOutgoing(
      caller,
      { source: "producer", receivedAt, event },
      { deduplicationId: event.eventId },
    );
    await deps.queue.send("analyticsEvents", outgoing);
  } catch (error) {
    // Not counted, so not kept: the caller's retry stores it again.
    await deps.feedback.remove(caller.tenantId, record.feedbackKey).catch(() => {});
    throw error;
  }
  return { feedbackId, jobId, rating: record.rating, receivedAt };
};

/** Whether the caller is one of the tenant's analysts (`api.roleClaim` holds `api.analystRole`). */
export const isAnalyst = (roles: readonly string[]): boolean => roles.includes(api.analystRole);

/** `GET /v1/feedback?since=…`: the tenant's feedback, for its analysts only. */
export const listFeedback = async (
  deps: Pick<FeedbackDeps, "feedback" | "idSecret">,
  caller: Caller,
  roles: readonly string[],
  query: {
    readonly since?: string | undefined;
    readonly limit?: string | undefined;
    readonly cursor?: string | undefined;
  },
) => {
  if (!isAnalyst(roles)) {
    throw new CvpipeError(
      `reading the tenant's feedback needs the "${api.analystRole}" role (claim ${api.roleClaim})`,
      {
        code: "FORBIDDEN",
      },
    );
  }
  const since = query.since;
  if (since !== undefined && Number.isNaN(Date.parse(since))) {
    throw new InvalidInputError([
      { input: "since", rule: "format", message: "must be an ISO 8601 date-time, e.g. 2026-11-16T00:00:00Z" },
    ]);
  }
  const limit = parseListLimit(query.limit);
  // The cursor is sealed for the caller, as the job listing's is.
  const cursor = openCursor(deps.idSecret, caller, query.cursor);
  const page = await deps.feedback.list(
    caller.tenantId,
    since === undefined ? undefined : new Date(since).toISOString(),
    limit,
    cursor,
  );
  return {
    items: page.items.map((r) => ({
      feedbackId: r.feedbackId,
      jobId: r.jobId,
      userId: r.userId,
      rating: r.rating,
      ...(r.helpful ? { helpful: [...r.helpful] } : {}),
      ...(r.comment !== undefined ? { comment: r.comment } : {}),
      receivedAt: r.receivedAt,
    })),
    ...(page.cursor ? { cursor: sealCursor(deps.idSecret, caller, page.cursor) } : {}),
  };
};
