import type { BlobPointer } from "@cvpipe/core/contracts/blob-pointer";
import { NotFoundError } from "@cvpipe/core/errors";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import { BlobNotFoundError, type BlobStore } from "@cvpipe/core/ports/blob-store";
import type { ResultLinks } from "@cvpipe/core/ports/result-links";
import type { TailoringResult } from "@cvpipe/core/tailoring/types";
import type { Answer, JobAccepted, JobView, ResultView } from "../http/response-schemas.ts";
import { publicJobError } from "./job-error.ts";

export type { JobView };

export const jobLinks = (jobId: string): JobView["links"] => ({ self: `/v1/jobs/${jobId}` });

/** `POST /v1/jobs` → 202: the job's id, status and link, and what its CV is warned of (when anything). */
export const jobAccepted = (job: {
  readonly jobId: string;
  readonly status: JobView["status"];
  readonly warnings?: JobAccepted["warnings"];
}): JobAccepted => ({
  jobId: job.jobId,
  status: job.status,
  links: { self: jobLinks(job.jobId).self },
  ...(job.warnings?.length ? { warnings: job.warnings } : {}),
});

const resultFields = (result: TailoringResult): Answer<typeof ResultView> => ({
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
 * The stored result's body. The payload bucket keeps objects as long as a job lives (topology), so a
 * missing one means the job is gone in effect (the bucket's lifecycle, a hand deletion): not found.
 */
const storedResult = async (blobs: BlobStore, pointer: BlobPointer): Promise<string> => {
  try {
    return await blobs.get(pointer);
  } catch (error) {
    if (error instanceof BlobNotFoundError) throw new NotFoundError("no such job (its result has expired)");
    throw error;
  }
};

/** A finished job's result, inline or from the payload bucket; undefined for a job without one. */
export const resultOf = async (record: JobRecord, blobs: BlobStore): Promise<TailoringResult | undefined> => {
  if (record.result) return record.result;
  return record.resultBlob ? (JSON.parse(await storedResult(blobs, record.resultBlob)) as TailoringResult) : undefined;
};

/**
 * What the API shows of a job (its schema: JobView in response-schemas.ts):
 * never the internal keys, the hash or the TTL, and of an error only its
 * public form (job-error.ts).
 */
export const jobView = async (record: JobRecord, blobs: BlobStore, options: JobViewOptions = {}): Promise<JobView> => {
  const withResult = options.result ?? true;
  let result: TailoringResult | undefined = withResult ? record.result : undefined;
  if (withResult && !result && record.resultBlob) {
    result = JSON.parse(await storedResult(blobs, record.resultBlob)) as TailoringResult;
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
    ...(record.cvRef ? { cvRef: { cvId: record.cvRef.cvId, version: record.cvRef.version } } : {}),
    ...(record.applicationId === undefined ? {} : { applicationId: record.applicationId }),
    links: jobLinks(record.jobId),
  };
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
