/**
 * Composition root, the part more than one function shares: the adapters they build the same way.
 * Each function's own is composition/<function>.ts (its configuration turned into its adapters, once
 * per cold start), so that a function bundles the adapters it builds, with their module-level schemas
 * and tables, and no other function's.
 */
import { type createS3Client, createSqsClient, type toDocumentClient } from "@cvpipe/aws/clients";
import { DynamoDeletionStore } from "@cvpipe/aws/dynamo-deletion-store";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import { S3BlobStore } from "@cvpipe/aws/s3-blob-store";
import { VisibilityReleaser } from "@cvpipe/aws/sqs-visibility";
import { cachedSuppressions } from "@cvpipe/core/deletions/suppression-cache";
import { type Clock, systemClock } from "@cvpipe/core/ports/clock";
import type { SuppressionLookup } from "@cvpipe/core/ports/deletion-store";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import type { ReleaseRecords } from "@cvpipe/core/ports/release-records";
import { deletionIndexes, jobIndexes } from "@cvpipe/core/topology";

type DocumentClient = ReturnType<typeof toDocumentClient>;

/** The deletions table's adapter: its name from the configuration, its index from the topology. */
export const deletionStore = (db: DocumentClient, tableName: string, clock: Clock): DynamoDeletionStore =>
  new DynamoDeletionStore(db, { tableName, pendingIndex: deletionIndexes.pending, clock });

/** The workers' question "did this user ask for their data to be deleted, and when" (cached: see the grace). */
export const suppressionLookup = (db: DocumentClient, tableName: string, clock: Clock): SuppressionLookup =>
  cachedSuppressions(deletionStore(db, tableName, clock), () => clock.now().getTime());

/** The jobs table's adapter: its name from the configuration, its index names from the topology. */
export const jobStore = (db: DocumentClient, tableName: string, clock: Clock): JobStore =>
  new DynamoJobStore(db, tableName, { clock, indexes: jobIndexes });

/**
 * Presigned URLs are signed on the real clock: S3 checks them against its own time. With a data key
 * (AWS), objects are written SSE-KMS under their tenant's encryption context; without one (local), plainly.
 */
export const payloadStore = (s3: ReturnType<typeof createS3Client>, bucket: string, kmsKeyArn?: string): S3BlobStore =>
  new S3BlobStore(s3, bucket, { signingClock: systemClock, ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }) });

let releaser: VisibilityReleaser | undefined;

/** For the FIFO workers: releases poison records at once (see fifoWorker). */
export const releaseRecords = (env: NodeJS.ProcessEnv = process.env): ReleaseRecords => {
  releaser ??= new VisibilityReleaser(createSqsClient(env));
  const visibility = releaser;
  return (queueArn, handles) => visibility.release(queueArn, handles);
};
