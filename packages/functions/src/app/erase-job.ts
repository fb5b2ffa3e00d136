/** One job of a deleted user, removed for good: used by the eraser's passes and by the tailor (a suppressed job). */
import { s3Key } from "@cvpipe/core/keys";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import type { JobStore } from "@cvpipe/core/ports/job-store";

/**
 * Removes a job of a deleted user for good: its claim-checked request, every attempt's stored result, then the
 * record (so a crash half-way leaves the record to find again). How many objects went.
 */
export const eraseJob = async (
  jobs: Pick<JobStore, "remove">,
  blobs: Pick<BlobStore, "removeUnder">,
  tenantId: string,
  jobId: string,
): Promise<number> => {
  const objects =
    (await blobs.removeUnder(s3Key("requests", tenantId, `${jobId}.json`))) +
    (await blobs.removeUnder(`${s3Key("results", tenantId, jobId)}/`));
  await jobs.remove(tenantId, jobId);
  return objects;
};
