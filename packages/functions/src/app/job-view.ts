import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import type { TailoringResult } from "@cvpipe/core/tailoring/types";

export const jobLinks = (jobId: string) => ({ self: `/v1/jobs/${jobId}` });

/** What `GET /v1/jobs/{jobId}` shows: never the internal keys, the hash or the TTL. */
export const jobView = async (record: JobRecord, blobs: BlobStore, includeResult = true) => {
  let result: TailoringResult | undefined = record.result;
  if (includeResult && !result && record.resultBlob) {
    result = JSON.parse(await blobs.get(record.resultBlob)) as TailoringResult;
  }
  return {
    jobId: record.jobId,
    status: record.status,
    engine: record.engine,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.startedAt ? { startedAt: record.startedAt } : {}),
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    attempts: record.attempts,
    ...(record.usage ? { usage: record.usage } : {}),
    ...(includeResult && result
      ? {
          result: {
            resume: result.resume,
            markdown: result.markdown,
            html: result.html,
            match: result.match,
            verification: result.verification,
            ...(result.modelId ? { modelId: result.modelId } : {}),
          },
        }
      : {}),
    ...(record.error ? { error: record.error } : {}),
    links: jobLinks(record.jobId),
  };
};
