/**
 * What every message on cvpipe's queues has, whatever its body: its FIFO group, its body as SQS
 * accepts it, the correlation id attribute. No schema here (the bodies' schemas are
 * tailoring-job-message.ts and analytics-event-message.ts), so a function that sends or reads one
 * kind of message bundles that kind's schema only.
 */
import { createHash } from "node:crypto";
import { compositeKey } from "../keys.ts";

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
