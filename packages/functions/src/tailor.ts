/**
 * Tailor λ: consumer of tailoring-jobs.fifo. FIFO-safe partial batches;
 * each record is one job, processed exactly once in effect (see processJob).
 */

import { TailoringJobMessage } from "@cvpipe/core/contracts/messages";
import type { SQSRecord } from "aws-lambda";
import type { ProcessJobDeps } from "./app/process-job.ts";
import { processJob } from "./app/process-job.ts";
import { releaseRecords, tailorDeps } from "./composition.ts";
import { createLogger } from "./logger.ts";
import { fifoWorker } from "./middleware/fifo-worker.ts";
import { parseRecordBody } from "./middleware/record-body.ts";

const logger = createLogger("tailor");
let deps: ProcessJobDeps | undefined;

const tailorRecord = async function tailorRecord(record: SQSRecord): Promise<void> {
  deps ??= tailorDeps(process.env, logger);
  const message = parseRecordBody(record, TailoringJobMessage);
  const outcome = await processJob(deps, message, { receiveCount: Number(record.attributes.ApproximateReceiveCount) });
  logger.info("job processed", { jobId: message.jobId, tenantId: message.tenantId, outcome });
};

export const handler = fifoWorker("tailorBatch", logger, tailorRecord, releaseRecords);
