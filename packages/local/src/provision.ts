/**
 * Creates the topology's queues, tables and bucket on the emulators — the
 * stack's own, or an endpoint the user configured (moto, LocalStack, a dynalite
 * of theirs). Idempotent: a second start finds and reuses what exists. Where an
 * emulator lacks an API, the step is skipped knowingly and said in a log line.
 * On an endpoint that is not the stack's own emulator (the user's, or real AWS
 * with CVPIPE_LOCAL_STAGE: services.ts) every name is judged first
 * (resource-guard.ts); what the stack creates there under a stage is tagged
 * with it, and an existing bucket there is left as it is. Buckets come first:
 * real S3 may refuse a name another account holds only when it is created, and
 * then no queue or table of this start exists yet.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketTaggingCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { createTableInput } from "@cvpipe/aws/table-definitions";
import {
  type BucketId,
  type BucketSpec,
  buckets,
  type FifoThroughputSpec,
  type QueueId,
  type QueueSpec,
  queues,
  type ResourceNames,
  resourceNames,
  type TableId,
  type TableSpec,
  tables,
} from "@cvpipe/core/topology";
import { BucketTakenError, checkResources, type ProvisionGuard, stageTags, tagList } from "./resource-guard.ts";

export type { ProvisionGuard } from "./resource-guard.ts";

export interface ProvisionedQueue {
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
}

export type Log = (line: string) => void;

export interface ProvisionOptions {
  /** Tests that need redelivery sooner than the production visibility timeout. */
  readonly visibilityTimeoutSeconds?: Partial<Record<QueueId, number>>;
  /** The physical names (resourceNames(CVPIPE_LOCAL_STAGE)); default the topology's as written. */
  readonly names?: ResourceNames;
  /** The services whose endpoint is not the stack's own emulator: their resources are guarded (the file comment). */
  readonly guarded?: ProvisionGuard;
}

const THROUGHPUT_ATTRIBUTES = [
  "DeduplicationScope",
  "FifoThroughputLimit",
] as const satisfies readonly QueueAttributeName[];

/** The topology's FIFO throughput mode as the two SQS attributes. */
const throughputAttributes = (spec: FifoThroughputSpec): Record<(typeof THROUGHPUT_ATTRIBUTES)[number], string> => ({
  DeduplicationScope: spec.deduplicationScope,
  FifoThroughputLimit: spec.fifoThroughputLimit,
});

const createQueue = async (
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
  throughput: FifoThroughputSpec,
  log: Log,
  guard: ProvisionGuard | undefined,
): Promise<{ url: string; arn: string }> => {
  const mode = throughputAttributes(throughput);
  const stageTagMap = stageTags(guard, "sqs");
  const tags = stageTagMap ? { tags: stageTagMap } : {};
  let url: string;
  try {
    url =
      (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { ...attributes, ...mode }, ...tags })))
        .QueueUrl ?? "";
  } catch (error) {
    // The queue exists with other attributes (e.g. the topology changed): bring it in line.
    if (!(error instanceof Error) || !/QueueAlreadyExists|QueueNameExists/.test(error.name)) throw error;
    url =
      (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true" } }))).QueueUrl ?? "";
    const { FifoQueue: _fifo, ...settable } = attributes;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: settable }));
  }
  const attrs =
    (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn", ...THROUGHPUT_ATTRIBUTES] }),
      )
    ).Attributes ?? {};
  await alignThroughput(sqs, name, url, mode, attrs, log);
  return { url, arn: attrs["QueueArn"] ?? "" };
};

/**
 * A queue that exists from before with another throughput mode (a data
 * directory older than the topology's mode; fauxqs's CreateQueue keeps the
 * existing queue's value without a word) is set to the topology's. fauxqs
 * refuses both attributes in SetQueueAttributes: the queue keeps its mode and
 * a log line says so — no emulator applies either attribute anyway
 * (docs/emulator-differences.md).
 */
const alignThroughput = async (
  sqs: SQSClient,
  name: string,
  url: string,
  mode: Record<string, string>,
  current: Record<string, string>,
  log: Log,
): Promise<void> => {
  const differs = Object.fromEntries(Object.entries(mode).filter(([key, value]) => current[key] !== value));
  if (Object.keys(differs).length === 0) return;
  try {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: differs }));
  } catch (error) {
    if (!(error instanceof Error) || !/InvalidAttribute/.test(error.name)) throw error;
    const had = Object.keys(differs).map((key) => `${key}=${current[key] ?? "(none)"}`);
    log(
      `queue ${name}: keeps ${had.join(", ")} — the emulator refuses to change them (${error.name}); it applies neither`,
    );
  }
};

const provisionQueue = async (
  sqs: SQSClient,
  spec: QueueSpec,
  names: ResourceNames["queues"][QueueId],
  options: ProvisionOptions,
  log: Log,
): Promise<ProvisionedQueue> => {
  const dlq = await createQueue(
    sqs,
    names.dlqName,
    { FifoQueue: "true", MessageRetentionPeriod: String(spec.dlqRetentionSeconds) },
    spec.fifoThroughput,
    log,
    options.guarded,
  );
  const main = await createQueue(
    sqs,
    names.name,
    {
      FifoQueue: "true",
      VisibilityTimeout: String(options.visibilityTimeoutSeconds?.[spec.id] ?? spec.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(spec.retentionSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: spec.maxReceiveCount }),
    },
    spec.fifoThroughput,
    log,
    options.guarded,
  );
  return { url: main.url, arn: main.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
};

const provisionTable = async (
  db: DynamoDBClient,
  spec: TableSpec,
  name: string,
  guard: ProvisionGuard | undefined,
  log: Log,
): Promise<void> => {
  try {
    await db.send(new DescribeTableCommand({ TableName: name }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const tags = stageTags(guard, "dynamodb");
  await db.send(
    new CreateTableCommand({ ...createTableInput(spec), TableName: name, ...(tags ? { Tags: tagList(tags) } : {}) }),
  );
  if (spec.ttlAttribute) {
    try {
      await db.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
        }),
      );
    } catch (error) {
      log(
        `table ${name}: TTL on "${spec.ttlAttribute}" not set — the emulator has no UpdateTimeToLive (${(error as Error).name}); every read filters expired items instead`,
      );
    }
  }
  log(`table ${name}: created`);
};

export interface Provisioned {
  readonly queues: Record<QueueId, ProvisionedQueue>;
  /** The payload bucket's name (`buckets.payloads`). */
  readonly bucket: string;
  readonly buckets: Record<BucketId, string>;
  readonly tables: Record<TableId, string>;
}

/**
 * Creates the bucket (kept if it is there) and sets its expiry where the topology gives one. On a
 * guarded service, a bucket that exists already (judged usable) is left as it is: its tags and
 * lifecycle rules may be the user's. Returns whether this call created it.
 */
const provisionBucket = async (
  s3: S3Client,
  spec: BucketSpec,
  name: string,
  guard: ProvisionGuard | undefined,
  existing: ReadonlySet<string>,
  log: Log,
): Promise<boolean> => {
  const guarded = guard?.s3 ? guard : undefined;
  if (guarded && existing.has(name)) return false;
  let created = true;
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: name,
        // Outside us-east-1, S3 (and moto) want the region said; the stack's own emulator needs nothing.
        ...(guarded && guarded.region !== "us-east-1"
          ? { CreateBucketConfiguration: { LocationConstraint: guarded.region as BucketLocationConstraint } }
          : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    // Someone else's: bucket names are global, so on real S3 the stage's name may be taken by another account.
    if (guarded && error.name === "BucketAlreadyExists") throw new BucketTakenError(name, { cause: error });
    if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(error.name)) throw error;
    created = false;
  }
  const tags = stageTags(guarded, "s3");
  if (created && tags) {
    await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: tagList(tags) } }));
  }
  if (spec.expireAfterDays === undefined) return created;
  try {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: name,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: `expire-${spec.id}`,
              Status: "Enabled",
              Filter: { Prefix: "" },
              Expiration: { Days: spec.expireAfterDays },
            },
          ],
        },
      }),
    );
  } catch (error) {
    log(`bucket ${name}: lifecycle expiry not set (${(error as Error).name}); objects are kept locally`);
  }
  return created;
};

/** The buckets, first: one refused (a name another account holds) takes back the empty ones this start created. */
const provisionBuckets = async (
  s3: S3Client,
  names: ResourceNames,
  guard: ProvisionGuard | undefined,
  existing: ReadonlySet<string>,
  log: Log,
): Promise<void> => {
  const created: string[] = [];
  try {
    for (const spec of Object.values(buckets) as BucketSpec[]) {
      const name = names.buckets[spec.id];
      if (await provisionBucket(s3, spec, name, guard, existing, log)) created.push(name);
    }
  } catch (error) {
    if (guard?.s3) {
      for (const name of created) {
        await s3.send(new DeleteBucketCommand({ Bucket: name })).catch((cleanup: unknown) => {
          log(`bucket ${name}: created by this start, not removed after the refusal (${(cleanup as Error).name})`);
        });
      }
    }
    throw error;
  }
};

export const provision = async (
  clients: { sqs: SQSClient; dynamoDb: DynamoDBClient; s3: S3Client },
  log: Log,
  options: ProvisionOptions = {},
): Promise<Provisioned> => {
  const names = options.names ?? resourceNames();
  const existing = options.guarded ? await checkResources(clients, names, options.guarded) : new Set<string>();
  await provisionBuckets(clients.s3, names, options.guarded, existing, log);
  const provisionedQueues = {} as Record<QueueId, ProvisionedQueue>;
  for (const spec of Object.values(queues) as QueueSpec[]) {
    provisionedQueues[spec.id] = await provisionQueue(clients.sqs, spec, names.queues[spec.id], options, log);
  }
  for (const spec of Object.values(tables) as TableSpec[]) {
    await provisionTable(clients.dynamoDb, spec, names.tables[spec.id], options.guarded, log);
  }
  return {
    queues: provisionedQueues,
    bucket: names.buckets.payloads,
    buckets: { ...names.buckets },
    tables: { ...names.tables },
  };
};
