/**
 * Tailor λ: worker of tailoring-jobs.fifo. FIFO-safe partial batches;
 * each record is one job, processed exactly once in effect (see processJob).
 */

import { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import type { SQSRecord } from "aws-lambda";
import type { ProcessJobDeps } from "./app/process-job.ts";
import { processJob } from "./app/process-job.ts";
import { releaseRecords } from "./composition/shared.ts";
import { tailorDeps } from "./composition/tailor.ts";
import { createLogger, JOB_ID_KEY, withLambdaContext } from "./logger.ts";
import { createMetrics, withMetrics } from "./metrics.ts";
import { fifoWorker, type RecordContext } from "./worker/fifo-worker.ts";
import { parseRecordBody } from "./worker/record-body.ts";

const logger = createLogger("tailor");
const metrics = createMetrics();
let deps: ProcessJobDeps | undefined;

const tailorRecord = async function tailorRecord(record: SQSRecord, context: RecordContext): Promise<void> {
  deps ??= tailorDeps(process.env, logger, metrics);
  const message = parseRecordBody(record, TailoringJobMessage);
  // Every line of the job's processing names it (`cvpipe logs --job`), whatever logs it.
  logger.appendKeys({ [JOB_ID_KEY]: message.jobId });
  try {
    const outcome = await processJob(deps, message, {
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
      ...context,
    });
    logger.info("job processed", { tenantId: message.tenantId, outcome });
  } finally {
    logger.removeKeys([JOB_ID_KEY]);
  }
};

export const handler = withMetrics(
  withLambdaContext(fifoWorker("tailorBatch", logger, tailorRecord, releaseRecords), logger),
  metrics,
);
