/**
 * The jobs an API caller may read: their own, and nobody else's — not another
 * tenant's, not another user's of the same tenant. Every route that reads a
 * job goes through here; someone else's job is `undefined`, so the caller
 * gets exactly the 404 a missing job gets. (A tenant-wide reader role, if one
 * is ever added, is a documented claim checked here — nowhere else.)
 */
import type { IdSecret } from "@cvpipe/core/contracts/canonical-json";
import { APPLICATION_ID, isTerminal, JOB_STATUSES, type JobStatus } from "@cvpipe/core/contracts/job-constants";
import { type InputIssue, InvalidInputError, NotFoundError } from "@cvpipe/core/errors";
import type { Caller } from "@cvpipe/core/jobs/caller";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import { parseListLimit } from "@cvpipe/core/jobs/list-limit";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import type { JobFilter, JobPage, JobStore } from "@cvpipe/core/ports/job-store";
import type { Timer } from "@cvpipe/core/ports/timer";
import { type JobDetailDeps, jobDetail, jobView } from "./job-view.ts";
import { openCursor, sealCursor } from "./list-cursor.ts";

/** Job ids are UUIDs (random, or derived from an Idempotency-Key): nothing else can exist. */
export const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const owns = (caller: Caller, record: JobRecord): boolean =>
  record.tenantId === caller.tenantId && record.userId === caller.userId;

/** The caller's job with that id, or undefined (missing, expired, or someone else's). */
export const findOwnJob = async (jobs: JobStore, caller: Caller, jobId: string): Promise<JobRecord | undefined> => {
  // Anything but a UUID cannot exist (and must not reach DynamoDB's key limits).
  if (!JOB_ID.test(jobId)) return undefined;
  const record = await jobs.get(caller.tenantId, jobId);
  return record && owns(caller, record) ? record : undefined;
};

/** A page of the caller's jobs, newest first. The index is per user already; the filter is a second lock. */
export const listOwnJobs = async (
  jobs: JobStore,
  caller: Caller,
  limit: number,
  cursor: string | undefined,
  filter: JobFilter = {},
): Promise<JobPage> => {
  const page = await jobs.listByUser(caller.tenantId, caller.userId, limit, cursor, filter);
  const items = page.items.filter((r) => owns(caller, r));
  return page.cursor ? { items, cursor: page.cursor } : { items };
};

export interface ListJobsDeps {
  readonly jobs: JobStore;
  readonly blobs: BlobStore;
  /** Seals the listing's cursors for the caller (list-cursor.ts). */
  readonly idSecret: IdSecret;
}

export interface ListJobsQuery {
  readonly limit?: string | undefined;
  readonly cursor?: string | undefined;
  readonly status?: string | undefined;
  readonly applicationId?: string | undefined;
}

/** The listing's filters from the query; a value no job can have is a ValidationError naming its parameter. */
const listFilter = (query: ListJobsQuery): JobFilter => {
  const issues: InputIssue[] = [];
  const status = query.status;
  if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) {
    issues.push({ input: "status", rule: "enum", message: `must be one of ${JOB_STATUSES.join(", ")}` });
  }
  const app = query.applicationId;
  if (app !== undefined && !APPLICATION_ID.test(app)) {
    issues.push({
      input: "applicationId",
      rule: "pattern",
      message: "must be 1-128 printable ASCII characters, no spaces (as POST /v1/jobs takes it)",
    });
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
  return {
    ...(status === undefined ? {} : { status: status as JobStatus }),
    ...(app === undefined ? {} : { applicationId: app }),
  };
};

/**
 * `GET /v1/jobs`: a page of the caller's jobs in the listing's form, with a
 * sealed cursor to the next. A limit that is not a whole number from 1 to 100
 * is an InvalidLimitError; a cursor not issued to the caller — forged, or one
 * that opened but holds a store cursor the store refuses — an InvalidCursorError
 * (the HTTP layer names the query parameter).
 */
export const listJobs = async (deps: ListJobsDeps, caller: Caller, query: ListJobsQuery) => {
  const limit = parseListLimit(query.limit);
  const filter = listFilter(query);
  const cursor = openCursor(deps.idSecret, caller, query.cursor);
  const page = await listOwnJobs(deps.jobs, caller, limit, cursor, filter);
  // The listing's form: no results, errors without details — 100 items stay far below any limit.
  const items = await Promise.all(
    page.items.map((r) => jobView(r, deps.blobs, { result: false, errorDetails: false })),
  );
  return { items, ...(page.cursor ? { cursor: sealCursor(deps.idSecret, caller, page.cursor) } : {}) };
};

export interface GetJobDeps extends JobDetailDeps {
  readonly jobs: JobStore;
}

/**
 * `GET /v1/jobs/{jobId}`: the caller's job in full; `fits` says whether an
 * answer carrying `data` stays within the response limit (else the result is
 * linked). Missing, expired and someone else's are one NotFoundError.
 */
export const getJob = async (deps: GetJobDeps, caller: Caller, jobId: string, fits: (data: unknown) => boolean) => {
  const record = await findOwnJob(deps.jobs, caller, jobId);
  if (!record) throw new NotFoundError("no such job");
  return jobDetail(deps, record, fits);
};

export interface WaitForJobDeps extends GetJobDeps {
  /** Real time for the wait (the functions' clock may be fixed or shifted, a wait's seconds are not). */
  readonly timer: Timer;
}

/**
 * `Prefer: wait=N` on `POST /v1/jobs`: reads the caller's job until it is SUCCEEDED or FAILED or
 * `seconds` have passed — first at once (an Idempotency-Key repeat of a finished job), then every
 * 50 ms growing to 500 ms. The finished job as `GET /v1/jobs/{jobId}` shows it, or undefined.
 */
export const waitForOwnJob = async (
  deps: WaitForJobDeps,
  caller: Caller,
  jobId: string,
  seconds: number,
  fits: (data: unknown) => boolean,
) => {
  const timer = deps.timer;
  const deadline = timer.elapsedMs() + seconds * 1000;
  let pause = 50;
  for (;;) {
    const record = await findOwnJob(deps.jobs, caller, jobId);
    if (record && isTerminal(record.status)) return jobDetail(deps, record, fits);
    const left = deadline - timer.elapsedMs();
    if (left <= 0) return undefined;
    await timer.sleep(Math.min(pause, left));
    pause = Math.min(pause * 1.5, 500);
  }
};
