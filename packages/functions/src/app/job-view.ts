import type { BlobPointer } from "@cvpipe/core/contracts/messages";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import type { TailoringResult } from "@cvpipe/core/tailoring/types";
import { publicJobError } from "./job-error.ts";

export const jobLinks = (jobId: string) => ({ self: `/v1/jobs/${jobId}` });

/** Links to stored results that need no token: a presigned GET (S3BlobStore implements it). */
export interface ResultLinks {
  presignedGetUrl(pointer: BlobPointer, expiresInSeconds: number): Promise<{ url: string; expiresAt: Date }>;
}

const resultFields = (result: TailoringResult) => ({
  resume: result.resume,
  markdown: result.markdown,
  html: result.html,
  match: result.match,
  verification: result.verification,
  ...(result.modelId ? { modelId: result.modelId } : {}),
});

export interface JobViewOptions {
  /** Read and show the result (default true). The listing and a too-large result leave it out. */
  readonly result?: boolean;
  /** Show `error.details` (default true). The listing shows code and message only. */
  readonly errorDetails?: boolean;
}

/**
 * What the API shows of a job: never the internal keys, the hash or the TTL,
 * and of an error only its public form (job-error.ts).
 */
export const jobView = async (record: JobRecord, blobs: BlobStore, options: JobViewOptions = {}) => {
  const withResult = options.result ?? true;
  let result: TailoringResult | undefined = withResult ? record.result : undefined;
  if (withResult && !result && record.resultBlob) {
    result = JSON.parse(await blobs.get(record.resultBlob)) as TailoringResult;
  }
  const error = record.error ? publicJobError(record.error) : undefined;
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
    ...(result ? { result: resultFields(result) } : {}),
    ...(error ? { error: (options.errorDetails ?? true) ? error : { code: error.code, message: error.message } } : {}),
    links: jobLinks(record.jobId) as { self: string; result?: string },
  };
};

export type JobView = Awaited<ReturnType<typeof jobView>> & {
  readonly resultTooLarge?: { readonly bytes: number; readonly limitBytes: number; readonly linkExpiresAt: string };
};

export interface JobDetailDeps {
  readonly blobs: BlobStore;
  readonly links: ResultLinks;
  /** Largest answer, as the caller measures it (`fits`), before the result travels by link instead. */
  readonly maxResponseBytes: number;
  readonly resultLinkTtlSeconds: number;
}

/**
 * `GET /v1/jobs/{jobId}`: the job with its result inline when the whole
 * answer fits; otherwise without `result`, with `links.result` — a presigned
 * GET of the stored result (the same fields, plus `engine` and `usage`),
 * valid for `resultLinkTtlSeconds` — and `resultTooLarge` saying why.
 * A stored result over the limit by itself is not even read.
 */
export const jobDetail = async (
  deps: JobDetailDeps,
  record: JobRecord,
  fits: (data: JobView) => boolean,
): Promise<JobView> => {
  const blob = record.resultBlob;
  if (!blob || blob.bytes <= deps.maxResponseBytes) {
    const full = await jobView(record, deps.blobs);
    if (fits(full)) return full;
  }
  const view = await jobView(record, deps.blobs, { result: false });
  // An inline result is at most INLINE_RESULT_LIMIT_BYTES (config keeps that far below the limit): only a blob is too large.
  if (!blob) return view;
  const link = await deps.links.presignedGetUrl(blob, deps.resultLinkTtlSeconds);
  return {
    ...view,
    resultTooLarge: {
      bytes: blob.bytes,
      limitBytes: deps.maxResponseBytes,
      linkExpiresAt: link.expiresAt.toISOString(),
    },
    links: { ...view.links, result: link.url },
  };
};
