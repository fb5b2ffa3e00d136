/**
 * A job as the ingress writes it and the message it sends, for tests of the
 * job store and the tailoring use case: tenant `acme`, user `alice`, QUEUED a
 * minute before `at`, living a day past it; every field can be overridden (the
 * user key follows the tenant and user given).
 */
import type { TailoringInput, TailoringJobMessage } from "../../contracts/tailoring-job-message.ts";
import { expiresAt } from "../../ttl.ts";
import { type JobRecord, queuedShard, userKey } from "../job-record.ts";

export const SAMPLE_JOB_AT = new Date("2026-11-18T10:00:00Z");

export const queuedJob = (jobId: string, over: Partial<JobRecord> = {}, at: Date = SAMPLE_JOB_AT): JobRecord => {
  const created = new Date(at.getTime() - 60_000).toISOString();
  const tenantId = over.tenantId ?? "acme";
  const userId = over.userId ?? "alice";
  return {
    tenantId,
    jobId,
    userId,
    userKey: userKey(tenantId, userId),
    status: "QUEUED",
    engine: "local",
    createdAt: created,
    updatedAt: created,
    expiresAt: expiresAt(at, 1),
    requestHash: "h",
    attempts: 0,
    queuedShard: queuedShard(jobId),
    ...over,
  };
};

/** The tailoring-jobs.fifo message for `record`, carrying `input` inline. */
export const jobMessage = (
  record: JobRecord,
  input: TailoringInput | TailoringJobMessage["input"],
): TailoringJobMessage => ({
  schema: "tailoring-job.v1",
  jobId: record.jobId,
  tenantId: record.tenantId,
  userId: record.userId,
  submittedAt: record.createdAt,
  input: "inline" in input || "blob" in input ? (input as TailoringJobMessage["input"]) : { inline: input },
});
