import { createHash } from "node:crypto";
import { z } from "zod";
import { compositeKey } from "../keys.ts";
import { AnalyticsEvent } from "./analytics-event.ts";
import { JobDescription, TailoringOptions } from "./job-request.ts";

/** Claim check: the payload lives in S3 because it was too large to travel inline. */
export const BlobPointer = z
  .object({ bucket: z.string().min(1), key: z.string().min(1), bytes: z.number().int().nonnegative() })
  .strict();
export type BlobPointer = z.output<typeof BlobPointer>;

/** The tailoring input as it travels (inline) or is stored (claim check). */
export const TailoringInput = z
  .object({
    cv: z.union([z.string(), z.record(z.string(), z.unknown())]),
    job: JobDescription,
    options: TailoringOptions.default({}),
  })
  .strict();
export type TailoringInput = z.output<typeof TailoringInput>;

/** Body of a message on tailoring-jobs.fifo. Versioned: consumers reject unknown versions as poison. */
export const TailoringJobMessage = z
  .object({
    schema: z.literal("tailoring-job.v1"),
    jobId: z.string().min(1),
    tenantId: z.string().min(1),
    userId: z.string().min(1),
    submittedAt: z.iso.datetime({ offset: true }),
    input: z.union([z.object({ inline: TailoringInput }).strict(), z.object({ blob: BlobPointer }).strict()]),
  })
  .strict();
export type TailoringJobMessage = z.output<typeof TailoringJobMessage>;

/** Body of a message on analytics-events.fifo. */
export const AnalyticsEventMessage = z
  .object({
    schema: z.literal("analytics-event.v1"),
    tenantId: z.string().min(1),
    userId: z.string().min(1).optional(),
    source: z.enum(["producer", "tailor"]),
    receivedAt: z.iso.datetime({ offset: true }),
    event: AnalyticsEvent,
  })
  .strict();
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
