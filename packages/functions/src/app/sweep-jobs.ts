import { isCorrelationId } from "@cvpipe/core/contracts/message-envelope";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import type { Clock } from "@cvpipe/core/ports/clock";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import { METRIC, type Metrics, noMetrics } from "@cvpipe/core/ports/metrics";
import type { QueuePublisher } from "@cvpipe/core/ports/queue-publisher";
import { publicJobErrorFor } from "./job-error.ts";
import { publishJobEvents } from "./publish-job-events.ts";

export interface SweepJobsDeps {
  readonly jobs: JobStore;
  readonly queue: QueuePublisher;
  readonly clock: Clock;
  /** A job still QUEUED this long after it was accepted is taken for never enqueued. */
  readonly stuckAfterMinutes: number;
  /** Jobs closed per run at most (the next run takes the rest). */
  readonly batchLimit: number;
  /** JobsFailed (ErrorCode NOT_STARTED) for each job this run fails (default: none recorded). */
  readonly metrics?: Metrics;
}

export interface SweepResult {
  /** Jobs read from the sparse index. */
  readonly examined: number;
  /** Jobs this run failed NOT_STARTED. */
  readonly failed: readonly string[];
  /** NOT_STARTED outcomes this run published (its own, and earlier runs' that failed to publish). */
  readonly published: number;
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
 *
 * The job stays in the sparse index until its outcome is published, so a run
 * that fails between the two (SQS throttled) leaves it for the next run, which
 * publishes it again (same event id: counted once) and only then lets it go.
 *
 * The outcome carries the job's correlation id — the one of the request that
 * created it, when the record has it, else `sweep-<jobId>` — so the sweep's
 * lines downstream can be found like a worker's.
 */
export const sweepStuckJobs = async (deps: SweepJobsDeps): Promise<SweepResult> => {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - deps.stuckAfterMinutes * 60_000).toISOString();
  const listed: JobRecord[] = await deps.jobs.listAwaitingSweep(cutoff, deps.batchLimit);
  const metrics = deps.metrics ?? noMetrics;
  const failed: string[] = [];
  let published = 0;
  for (const job of listed) {
    if (job.status === "QUEUED") {
      const closed = await deps.jobs.fail(
        job.tenantId,
        job.jobId,
        publicJobErrorFor("NOT_STARTED", { retryable: true }),
        now.toISOString(),
        "QUEUED",
      );
      if (!closed) continue;
      failed.push(job.jobId);
      metrics.count(METRIC.jobsFailed, 1, { ErrorCode: "NOT_STARTED" });
    }
    const record = await deps.jobs.get(job.tenantId, job.jobId);
    // Published only while it still is the sweep's failure: a job a worker took over publishes its own ending.
    if (record?.status === "FAILED" && record.error?.code === "NOT_STARTED") {
      await publishJobEvents(deps.queue, record, sweepCorrelationId(record));
      published++;
    }
    await deps.jobs.clearSweepMark(job.tenantId, job.jobId);
  }
  return { examined: listed.length, failed, published };
};

/** The correlation id a swept job's outcome carries: its request's, else one naming the sweep and the job. */
export const sweepCorrelationId = (record: JobRecord): string =>
  isCorrelationId(record.correlationId) ? record.correlationId : `sweep-${record.jobId}`;
