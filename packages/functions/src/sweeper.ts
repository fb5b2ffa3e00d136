/**
 * Sweeper λ: fired by EventBridge every 15 minutes (topology `schedules.jobSweep`).
 * Fails jobs left QUEUED past STUCK_JOB_MINUTES — accepted, but their message
 * never reached the queue (see sweepStuckJobs).
 */
import middy from "@middy/core";
import { type SweepJobsDeps, sweepStuckJobs } from "./app/sweep-jobs.ts";
import { sweeperDeps } from "./composition.ts";
import { createLogger, withLambdaContext } from "./logger.ts";

const logger = createLogger("sweeper");
let deps: SweepJobsDeps | undefined;

const sweep = async function sweep(): Promise<{ examined: number; failed: number; published: number }> {
  deps ??= sweeperDeps();
  const result = await sweepStuckJobs(deps);
  if (result.failed.length > 0) {
    logger.warn("jobs never enqueued were failed NOT_STARTED", { jobIds: result.failed, examined: result.examined });
  }
  return { examined: result.examined, failed: result.failed.length, published: result.published };
};

export const handler = withLambdaContext(middy(sweep), logger);
