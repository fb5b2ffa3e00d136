import { BlobPointer } from "./blob-pointer.ts";
import { Posting, TailoringOptions } from "./job-request.ts";
import { nonEmpty } from "./non-empty.ts";
import * as z from "./zod.ts";

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
