/**
 * Sweeper λ: fired by EventBridge every 15 minutes (topology `schedules.jobSweep`).
 * Fails jobs left QUEUED past STUCK_JOB_MINUTES — accepted, but their message
 * never reached the queue (see sweepStuckJobs) — counting each in JobsFailed.
 */
import middy from "@middy/core";
import { type SweepJobsDeps, sweepStuckJobs } from "./app/sweep-jobs.ts";
import { sweeperDeps } from "./composition/sweeper.ts";
import { createLogger, withLambdaContext } from "./logger.ts";
import { createMetrics, withMetrics } from "./metrics.ts";

const logger = createLogger("sweeper");
const metrics = createMetrics();
let deps: SweepJobsDeps | undefined;

const sweep = async function sweep(): Promise<{ examined: number; failed: number; published: number }> {
  deps ??= sweeperDeps(process.env, metrics);
  const result = await sweepStuckJobs(deps);
  if (result.failed.length > 0) {
    logger.warn("jobs never enqueued were failed NOT_STARTED", {
      jobIds: result.failed,
      examined: result.examined,
      stuckAfterMinutes: deps.stuckAfterMinutes,
    });
  }
  return { examined: result.examined, failed: result.failed.length, published: result.published };
};

export const handler = withMetrics(withLambdaContext(middy(sweep), logger), metrics);
