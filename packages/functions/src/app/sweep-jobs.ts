import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import type { Clock } from "@cvpipe/core/ports/clock";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import type { QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import { publishJobEvents } from "./publish-job-events.ts";

export interface SweepJobsDeps {
  readonly jobs: JobStore;
  readonly queue: QueuePublisher;
  readonly clock: Clock;
  /** A job still QUEUED this long after it was accepted is taken for never enqueued. */
  readonly stuckAfterMinutes: number;
  /** Jobs closed per run at most (the next run takes the rest). */
  readonly batchLimit: number;
}

export interface SweepResult {
  readonly examined: number;
  readonly failed: readonly string[];
}

/**
 * Closes jobs that were accepted but never started: the ingress wrote the job
 * and died before its message was sent (a crash, a timeout), so no worker will
 * ever see it, and a caller without an Idempotency-Key cannot retry into it.
 *
 * Such a job becomes FAILED `NOT_STARTED`, marked retryable, and its failure is
 * published like any other outcome. Retryable on purpose: if the message did
 * exist after all (a queue backlog longer than the bound), the worker still
 * takes the job over when it arrives (`start` accepts a retryable failure), it
 * ends SUCCEEDED, and that ending retracts the NOT_STARTED outcome — so the
 * report counts the job once, as what it finally was. The transition is
 * conditional on QUEUED: a job that started meanwhile is left alone.
 */
export const sweepStuckJobs = async (deps: SweepJobsDeps): Promise<SweepResult> => {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - deps.stuckAfterMinutes * 60_000).toISOString();
  const stuck: JobRecord[] = await deps.jobs.listQueuedBefore(cutoff, deps.batchLimit);
  const failed: string[] = [];
  for (const job of stuck) {
    const closed = await deps.jobs.fail(
      job.tenantId,
      job.jobId,
      {
        code: "NOT_STARTED",
        message: `not picked up within ${deps.stuckAfterMinutes} minutes of being accepted: it was probably never enqueued; submit it again`,
        retryable: true,
      },
      now.toISOString(),
      "QUEUED",
    );
    if (!closed) continue;
    failed.push(job.jobId);
    const record = await deps.jobs.get(job.tenantId, job.jobId);
    if (record) await publishJobEvents(deps.queue, record);
  }
  return { examined: stuck.length, failed };
};
