/**
 * Creates the topology's queues, tables and bucket on the emulators — the
 * stack's own, or an endpoint the user configured (moto, LocalStack, a dynalite
 * of theirs). Idempotent: a second start finds and reuses what exists. Where an
 * emulator lacks an API, the step is skipped knowingly and said in a log line.
 * On an endpoint that is not the stack's own emulator (the user's, or real AWS
 * with CVPIPE_LOCAL_STAGE: services.ts) the resources are guarded: one that
 * belongs to a CloudFormation stack (a deployed stage) is refused before
 * anything is changed or consumed, and what the stack creates is tagged as the
 * embedded stack's.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTagsOfResourceCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  GetBucketTaggingCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketTaggingCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  type QueueAttributeName,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { createTableInput } from "@cvpipe/aws/table-definitions";
import { ConfigError } from "@cvpipe/core/errors";
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

export interface ProvisionGuard {
  readonly sqs: boolean;
  readonly dynamodb: boolean;
  readonly s3: boolean;
  /** The region buckets are created in (S3 wants it said outside us-east-1). */
  readonly region: string;
  /** Tags on what the stack creates there: whose it is, under which stage. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The tag CloudFormation puts on every resource of a stack: a deployed stage's resource carries it. */
export const CLOUDFORMATION_STACK_TAG = "aws:cloudformation:stack-name";

/** An existing resource belongs to a CloudFormation stack: the embedded stack neither changes nor consumes it. */
export class DeployedResourceError extends ConfigError {
  constructor(kind: "queue" | "table" | "bucket", name: string, stack: string) {
    super(
      `${kind} ${name} belongs to the CloudFormation stack ${stack} (a deployed stage): the embedded stack will not change it or consume from it. Set CVPIPE_LOCAL_STAGE to a stage name no deployment uses`,
    );
    this.name = "DeployedResourceError";
  }
}

/** The guard's tags in SQS's shape (a map) and in DynamoDB's and S3's (a list). */
const tagList = (tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** The CloudFormation stack a queue belongs to, or undefined (no such queue, or none of CloudFormation's). */
const queueStack = async (sqs: SQSClient, name: string): Promise<string | undefined> => {
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (error instanceof QueueDoesNotExist) return undefined;
    throw error;
  }
  const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
  return Tags?.[CLOUDFORMATION_STACK_TAG];
};

/** The CloudFormation stack a table belongs to, or undefined. */
const tableStack = async (db: DynamoDBClient, name: string): Promise<string | undefined> => {
  let arn: string | undefined;
  try {
    arn = (await db.send(new DescribeTableCommand({ TableName: name }))).Table?.TableArn;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
  const { Tags } = await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
  return Tags?.find((tag) => tag.Key === CLOUDFORMATION_STACK_TAG)?.Value;
};

/**
 * Before anything is created or changed: on a guarded service, every name the stack is about to
 * use is looked up, and one that belongs to a CloudFormation stack refuses the whole start, so a
 * refused start leaves the account as it was.
 */
const refuseDeployedResources = async (
  clients: { sqs: SQSClient; dynamoDb: DynamoDBClient; s3: S3Client },
  names: ResourceNames,
  guard: ProvisionGuard,
): Promise<void> => {
  if (guard.sqs) {
    for (const q of Object.values(names.queues)) {
      for (const name of [q.dlqName, q.name]) {
        const stack = await queueStack(clients.sqs, name);
        if (stack) throw new DeployedResourceError("queue", name, stack);
      }
    }
  }
  if (guard.dynamodb) {
    for (const name of Object.values(names.tables)) {
      const stack = await tableStack(clients.dynamoDb, name);
      if (stack) throw new DeployedResourceError("table", name, stack);
    }
  }
  if (guard.s3) {
    for (const name of Object.values(names.buckets)) {
      const stack = await bucketStack(clients.s3, name);
      if (stack) throw new DeployedResourceError("bucket", name, stack);
    }
  }
};

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
  const tags = guard?.sqs ? { tags: { ...guard.tags } } : {};
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
  await db.send(
    new CreateTableCommand({
      ...createTableInput(spec),
      TableName: name,
      ...(guard?.dynamodb ? { Tags: tagList(guard.tags) } : {}),
    }),
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

/** The CloudFormation stack a bucket belongs to, or undefined (no such bucket, no tags, or none of CloudFormation's). */
const bucketStack = async (s3: S3Client, name: string): Promise<string | undefined> => {
  try {
    const { TagSet } = await s3.send(new GetBucketTaggingCommand({ Bucket: name }));
    return TagSet?.find((tag) => tag.Key === CLOUDFORMATION_STACK_TAG)?.Value;
  } catch (error) {
    // NoSuchBucket: it is created below; NoSuchTagSet: a bucket without tags (neither is modelled as a class).
    if (error instanceof S3ServiceException && /^(NoSuchBucket|NoSuchTagSet)$/.test(error.name)) return undefined;
    throw error;
  }
};

/** Creates the bucket (kept if it is there) and sets its expiry where the topology gives one. */
const provisionBucket = async (
  s3: S3Client,
  spec: BucketSpec,
  name: string,
  guard: ProvisionGuard | undefined,
  log: Log,
): Promise<void> => {
  const guarded = guard?.s3 ? guard : undefined;
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
    if (guarded && error.name === "BucketAlreadyExists") {
      throw new ConfigError(
        `bucket ${name} exists in another AWS account (bucket names are global): set CVPIPE_LOCAL_STAGE to another stage name`,
        { cause: error },
      );
    }
    if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(error.name)) throw error;
    created = false;
  }
  if (guarded && created) {
    await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: tagList(guarded.tags) } }));
  }
  if (spec.expireAfterDays === undefined) return;
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
};

export const provision = async (
  clients: { sqs: SQSClient; dynamoDb: DynamoDBClient; s3: S3Client },
  log: Log,
  options: ProvisionOptions = {},
): Promise<Provisioned> => {
  const names = options.names ?? resourceNames();
  if (options.guarded) await refuseDeployedResources(clients, names, options.guarded);
  const provisionedQueues = {} as Record<QueueId, ProvisionedQueue>;
  for (const spec of Object.values(queues) as QueueSpec[]) {
    provisionedQueues[spec.id] = await provisionQueue(clients.sqs, spec, names.queues[spec.id], options, log);
  }
  for (const spec of Object.values(tables) as TableSpec[]) {
    await provisionTable(clients.dynamoDb, spec, names.tables[spec.id], options.guarded, log);
  }
  for (const spec of Object.values(buckets) as BucketSpec[]) {
    await provisionBucket(clients.s3, spec, names.buckets[spec.id], options.guarded, log);
  }
  return {
    queues: provisionedQueues,
    bucket: names.buckets.payloads,
    buckets: { ...names.buckets },
    tables: { ...names.tables },
  };
};
