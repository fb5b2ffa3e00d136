/**
 * Housekeeping for the embedded stack, whose emulators never expire anything: what DynamoDB TTL
 * and the S3 lifecycle rules do on AWS (the CDK app sets both from the same topology), done here
 * by a sweep — hourly while the stack runs, and on demand (`cvpipe housekeeping run`).
 *
 * It removes exactly what AWS would: an item of a table with a TTL attribute whose value is at or
 * before `now` (each delete conditional on that, so an item re-created since the scan stays), and
 * an object of a bucket with an expiry older than that many days on S3's clock. Nothing else:
 * tables without TTL (the CV library, the report ledger) and buckets without expiry (the CV
 * library's) are never touched. Every read already treats an expired item as absent (DESIGN §4),
 * so this only reclaims space; it logs what it removed.
 */
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { DeleteCommand, type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionalCheckFailed } from "@cvpipe/aws/aws-errors";
import { type BucketId, type BucketSpec, buckets, type TableId, type TableSpec, tables } from "@cvpipe/core/topology";
import { DAY_MS, epochSeconds } from "@cvpipe/core/ttl";

export interface HousekeepingReport {
  /** Expired items removed, per table with a TTL attribute. */
  readonly items: Partial<Record<TableId, number>>;
  /** Expired objects removed, per bucket with an expiry. */
  readonly objects: Partial<Record<BucketId, number>>;
}

export interface HousekeepingOptions {
  /** The functions' clock: the time item TTLs were written on. */
  readonly now: Date;
  /** S3's clock (objects' LastModified): the real time, also where the functions' clock is shifted. */
  readonly s3Now: Date;
  /** Physical names (the topology's, locally). */
  readonly tableNames?: Partial<Record<TableId, string>>;
  readonly bucketNames?: Partial<Record<BucketId, string>>;
}

const sweepTable = async (db: DynamoDBDocumentClient, spec: TableSpec, name: string, now: Date): Promise<number> => {
  const ttl = spec.ttlAttribute!;
  const nowSeconds = epochSeconds(now);
  const keyNames = [spec.partitionKey.name, ...(spec.sortKey ? [spec.sortKey.name] : [])];
  let removed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: name,
        FilterExpression: "#ttl <= :now",
        ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(", "),
        ExpressionAttributeNames: { "#ttl": ttl, ...Object.fromEntries(keyNames.map((k, i) => [`#k${i}`, k])) },
        ExpressionAttributeValues: { ":now": nowSeconds },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const key of page.Items ?? []) {
      try {
        await db.send(
          new DeleteCommand({
            TableName: name,
            Key: key,
            // Still expired: an item written again since the scan (a job id reused after expiry) stays.
            ConditionExpression: "#ttl <= :now",
            ExpressionAttributeNames: { "#ttl": ttl },
            ExpressionAttributeValues: { ":now": nowSeconds },
          }),
        );
        removed++;
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return removed;
};

const sweepBucket = async (s3: S3Client, spec: BucketSpec, name: string, s3Now: Date): Promise<number> => {
  const cutoff = s3Now.getTime() - spec.expireAfterDays! * DAY_MS;
  let removed = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: name, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key || !object.LastModified || object.LastModified.getTime() > cutoff) continue;
      await s3.send(new DeleteObjectCommand({ Bucket: name, Key: object.Key }));
      removed++;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return removed;
};

/** One sweep of every table with a TTL and every bucket with an expiry. */
export const runHousekeeping = async (
  clients: { readonly db: DynamoDBDocumentClient; readonly s3: S3Client },
  options: HousekeepingOptions,
): Promise<HousekeepingReport> => {
  const items: Partial<Record<TableId, number>> = {};
  for (const spec of Object.values(tables) as TableSpec[]) {
    if (!spec.ttlAttribute) continue;
    items[spec.id] = await sweepTable(clients.db, spec, options.tableNames?.[spec.id] ?? spec.name, options.now);
  }
  const objects: Partial<Record<BucketId, number>> = {};
  for (const spec of Object.values(buckets) as BucketSpec[]) {
    if (spec.expireAfterDays === undefined) continue;
    objects[spec.id] = await sweepBucket(clients.s3, spec, options.bucketNames?.[spec.id] ?? spec.name, options.s3Now);
  }
  return { items, objects };
};

/** `housekeeping: removed 3 expired items (jobs 2, events 1, aggregates 0) and 1 object (payloads 1)`. */
export const describeHousekeeping = (report: HousekeepingReport): string => {
  const part = (counts: Record<string, number | undefined>) =>
    Object.entries(counts)
      .map(([k, n]) => `${k} ${n ?? 0}`)
      .join(", ");
  const sum = (counts: Record<string, number | undefined>) =>
    Object.values(counts).reduce((a = 0, b = 0) => a + b, 0) ?? 0;
  const items = sum(report.items);
  const objects = sum(report.objects);
  return `housekeeping: removed ${items} expired item${items === 1 ? "" : "s"} (${part(report.items)}) and ${objects} expired object${objects === 1 ? "" : "s"} (${part(report.objects)})`;
};
