/**
 * The jobs an API caller may read: their own, and nobody else's — not another
 * tenant's, not another user's of the same tenant. Every route that reads a
 * job goes through here; someone else's job is `undefined`, so the caller
 * gets exactly the 404 a missing job gets. (A tenant-wide reader role, if one
 * is ever added, is a documented claim checked here — nowhere else.)
 */
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import type { JobPage, JobStore } from "@cvpipe/core/ports/job-store";
import type { Caller } from "../http/api-request.ts";

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
): Promise<JobPage> => {
  const page = await jobs.listByUser(caller.tenantId, caller.userId, limit, cursor);
  const items = page.items.filter((r) => owns(caller, r));
  return page.cursor ? { items, cursor: page.cursor } : { items };
};
