/** Composition root of the eraser: its configuration turned into its adapters, once per cold start. */
import { DynamoUserEvents } from "@cvpipe/aws/analytics/dynamo-user-events";
import { createDynamoDbClient, createS3Client, toDocumentClient } from "@cvpipe/aws/clients";
import { DynamoCvStore } from "@cvpipe/aws/dynamo-cv-store";
import { DynamoFeedbackStore } from "@cvpipe/aws/dynamo-feedback-store";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { eventIndexes } from "@cvpipe/core/topology";
import type { EraseUserDeps } from "../app/erase-user.ts";
import { EraserConfig as EraserConfigSchema } from "../config/eraser.ts";
import { parseConfig } from "../config/settings.ts";

import { deletionStore, jobStore, payloadStore } from "./shared.ts";

export const eraserDeps = (env: NodeJS.ProcessEnv = process.env): EraseUserDeps => {
  const config = parseConfig("eraser", EraserConfigSchema, env);
  const clock = clockFromEnv(env);
  const db = toDocumentClient(createDynamoDbClient(env));
  const s3 = createS3Client(env);
  return {
    deletions: deletionStore(db, config.DELETIONS_TABLE, clock),
    jobs: jobStore(db, config.JOBS_TABLE, clock),
    blobs: payloadStore(s3, config.PAYLOADS_BUCKET),
    cvs: new DynamoCvStore(db, config.CVS_TABLE),
    cvBlobs: payloadStore(s3, config.CVS_BUCKET),
    feedback: new DynamoFeedbackStore(db, config.FEEDBACK_TABLE, { clock }),
    events: new DynamoUserEvents(db, { tableName: config.EVENTS_TABLE, byGroupIndex: eventIndexes.byGroup }),
    clock,
    graceSeconds: config.DELETION_GRACE_SECONDS,
    // Every pending request gets a pass each run (a request that keeps failing does not hold back the others).
    batchLimit: 100,
  };
};
