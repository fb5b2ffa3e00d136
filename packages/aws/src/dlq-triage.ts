/**
 * What an operator needs to know of a dead-lettered message: its job or event,
 * tenant, and why it failed — the job's recorded error, or why no worker can
 * read the body (POISON_MESSAGE). One judgement for both places an operator
 * triages a DLQ: `cvpipe dlq` (packages/cli) and the local console
 * (packages/local/src/console), with the same redrive filter (--job, --tenant, --error).
 */

import { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import { zodIssues } from "@cvpipe/core/contracts/field-issues";
import { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import type { QueueId } from "@cvpipe/core/topology";
import type { DlqFilter, DlqMessage } from "./dlq.ts";

export interface DeadMessage {
  readonly message: DlqMessage;
  readonly tenantId?: string;
  readonly jobId?: string;
  readonly eventId?: string;
  readonly job?: JobRecord;
  /** Why no worker can read the body, when it is poison. */
  readonly poison?: string;
}

/** What triage reads of the jobs: one job by id. */
export type JobLookup = Pick<JobStore, "get">;

const SCHEMAS = { tailoringJobs: TailoringJobMessage, analyticsEvents: AnalyticsEventMessage } as const;

export const describeDead = async (queueId: QueueId, jobs: JobLookup, m: DlqMessage): Promise<DeadMessage> => {
  const body = (m.json ?? {}) as { tenantId?: unknown; jobId?: unknown; event?: { eventId?: unknown } };
  const tenantId = typeof body.tenantId === "string" ? body.tenantId : undefined;
  const jobId = typeof body.jobId === "string" ? body.jobId : undefined;
  const eventId = typeof body.event?.eventId === "string" ? body.event.eventId : undefined;
  // A body's ids are the attacker's: a lookup that fails on one (an unsafe key) is no job, not an error page.
  const job = tenantId && jobId ? await jobs.get(tenantId, jobId).catch(() => undefined) : undefined;
  let poison: string | undefined;
  if (m.json === undefined) poison = "body is not JSON";
  else {
    const parsed = SCHEMAS[queueId].safeParse(m.json);
    const first = parsed.success ? undefined : zodIssues("body", parsed.error)[0];
    if (first) poison = `${first.path}: ${first.message}`;
  }
  return {
    message: m,
    ...(tenantId ? { tenantId } : {}),
    ...(jobId ? { jobId } : {}),
    ...(eventId ? { eventId } : {}),
    ...(job ? { job } : {}),
    ...(poison ? { poison } : {}),
  };
};

/** The error code an operator filters on: the job's recorded error, or POISON_MESSAGE for unreadable bodies. */
export const errorCodeOf = (dead: DeadMessage): string | undefined =>
  dead.poison ? "POISON_MESSAGE" : dead.job?.error?.code;

/** Why it failed, in one line. */
export const failureReason = (dead: DeadMessage): string =>
  dead.poison
    ? `POISON_MESSAGE: ${dead.poison}`
    : dead.job?.error
      ? `${dead.job.error.code}: ${dead.job.error.message}`
      : dead.job
        ? `job ${dead.job.status}, no error recorded`
        : "no job record";

export interface RedriveCriteria {
  readonly job?: string;
  readonly tenant?: string;
  readonly error?: string;
}

/** The redrive filter of `cvpipe dlq redrive --job/--tenant/--error`; undefined without criteria (every message). */
export const redriveFilter = (
  criteria: RedriveCriteria,
  describe: (m: DlqMessage) => Promise<DeadMessage>,
): DlqFilter | undefined =>
  criteria.job || criteria.tenant || criteria.error
    ? async (message) => {
        const dead = await describe(message);
        if (criteria.job && dead.jobId !== criteria.job && dead.eventId !== criteria.job) return false;
        if (criteria.tenant && dead.tenantId !== criteria.tenant) return false;
        if (criteria.error && errorCodeOf(dead) !== criteria.error) return false;
        return true;
      }
    : undefined;
