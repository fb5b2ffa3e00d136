import { BlobPointer } from "./blob-pointer.ts";
import { Posting, TailoringOptions } from "./job-request.ts";
import { nonEmpty } from "./non-empty.ts";
import * as z from "./zod.ts";

/**
 * Messages written before the posting was named `posting` carry it as `job`; they may still be in
 * tailoring-jobs.fifo, in its DLQ awaiting redrive, or stored as claim-check objects in S3. This is
 * the one place that reads the old field: writers write only `posting`. A value with both is
 * left as it is, so the strict object refuses `job` instead of dropping one of two postings.
 */
const readLegacyPosting = (value: unknown): unknown => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  if (!("job" in value) || "posting" in value) return value;
  const { job, ...rest } = value as Record<string, unknown>;
  return { ...rest, posting: job };
};

/** The tailoring input as it travels (inline) or is stored (claim check). */
export const TailoringInput = z.pipe(
  z.transform(readLegacyPosting),
  z.strictObject({
    cv: z.union([z.string(), z.record(z.string(), z.unknown())]),
    posting: Posting,
    options: z._default(TailoringOptions, {}),
  }),
);
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
