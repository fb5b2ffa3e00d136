import { createHash } from "node:crypto";
import { compositeKey } from "../keys.ts";
import { AnalyticsEvent } from "./analytics-event.ts";
import { Posting, TailoringOptions } from "./job-request.ts";
import * as z from "./zod.ts";

/** Claim check: the payload lives in S3 because it was too large to travel inline. */
const nonEmpty = () => z.string().check(z.minLength(1));

export const BlobPointer = z.strictObject({
  bucket: nonEmpty(),
  key: nonEmpty(),
  bytes: z.number().check(z.int(), z.nonnegative()),
});
export type BlobPointer = z.output<typeof BlobPointer>;

/** The tailoring input as it travels (inline) or is stored (claim check). */
export const TailoringInput = z.strictObject({
  cv: z.union([z.string(), z.record(z.string(), z.unknown())]),
  job: Posting,
  options: z._default(TailoringOptions, {}),
});
export type TailoringInput = z.output<typeof TailoringInput>;

/** Body of a message on tailoring-jobs.fifo. Versioned: workers reject unknown versions as poison. */
export const TailoringJobMessage = z.strictObject({
  schema: z.literal("tailoring-job.v1"),
  jobId: nonEmpty(),
  tenantId: nonEmpty(),
  userId: nonEmpty(),
  submittedAt: z.iso.datetime({ offset: true }),
  input: z.union([z.strictObject({ inline: TailoringInput }), z.strictObject({ blob: BlobPointer })]),
});
export type TailoringJobMessage = z.output<typeof TailoringJobMessage>;

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

/**
 * FIFO group: one person's jobs keep their order; tenants proceed in parallel.
 * `tenant#user`, or the tenant alone for a message of no user — not `tenant#-`,
 * which was also the group of a user called "-".
 */
export const messageGroupId = (tenantId: string, userId: string | undefined): string => {
  const group = userId === undefined ? compositeKey(tenantId) : compositeKey(tenantId, userId);
  // SQS allows 128 characters; two ids of up to 128 each can exceed it. A long pair is named by
  // its digest instead — still one group per person (the order that matters), never ambiguous.
  if (group.length <= MAX_GROUP_ID_CHARS) return group;
  return `~${createHash("sha256").update(group, "utf8").digest("hex")}`;
};

/** SQS's limit on MessageGroupId (and MessageDeduplicationId). */
export const MAX_GROUP_ID_CHARS = 128;

/**
 * A message body as JSON that SQS accepts whatever the content. SQS refuses
 * characters outside #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF;
 * JSON.stringify already escapes control characters and lone surrogates, which
 * leaves U+FFFE and U+FFFF — escaped here, so the value reads back unchanged.
 */
export const messageBody = (value: unknown): string =>
  JSON.stringify(value).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/**
 * The SQS message attribute (String) that carries a job's or event's
 * correlation id from the API request to the worker's log lines. An
 * attribute, not a body field: it is about the delivery, not the job, and the
 * body schemas stay as they are. A message without it is processed the same.
 */
export const CORRELATION_ID_ATTRIBUTE = "correlationId";

/**
 * A correlation id: 1 to 128 characters of letters, digits and `._:@/+=~-`,
 * starting with a letter or digit — what UUIDs, API Gateway request ids and
 * common tracing ids look like, and safe in a header, a log line and an SQS
 * attribute alike.
 */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/+=~-]{0,127}$/;

/** Whether `value` is a correlation id (CORRELATION_ID_PATTERN; the OpenAPI document states the same pattern). */
export const isCorrelationId = (value: unknown): value is string =>
  typeof value === "string" && CORRELATION_ID_PATTERN.test(value);
