/**
 * Creates the topology's queues, tables and bucket on the emulators — the
 * stack's own, or an endpoint the user configured (moto, LocalStack, a dynalite
 * of theirs). Idempotent: a second start finds and reuses what exists. Where an
 * emulator lacks an API, the step is skipped knowingly and said in a log line.
 * Never run against a real account: services.ts refuses real AWS for SQS, S3
 * and DynamoDB before anything starts.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, PutBucketLifecycleConfigurationCommand, type S3Client } from "@aws-sdk/client-s3";
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

/** Overrides for tests that need redelivery sooner than the production visibility timeout. */
export interface ProvisionOptions {
  readonly visibilityTimeoutSeconds?: Partial<Record<QueueId, number>>;
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
): Promise<{ url: string; arn: string }> => {
  const mode = throughputAttributes(throughput);
  let url: string;
  try {
    url =
      (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { ...attributes, ...mode } }))).QueueUrl ??
      "";
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
  options: ProvisionOptions,
  log: Log,
): Promise<ProvisionedQueue> => {
  const dlq = await createQueue(
    sqs,
    spec.dlqName,
    { FifoQueue: "true", MessageRetentionPeriod: String(spec.dlqRetentionSeconds) },
    spec.fifoThroughput,
    log,
  );
  const main = await createQueue(
    sqs,
    spec.name,
    {
      FifoQueue: "true",
      VisibilityTimeout: String(options.visibilityTimeoutSeconds?.[spec.id] ?? spec.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(spec.retentionSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: spec.maxReceiveCount }),
    },
    spec.fifoThroughput,
    log,
  );
  return { url: main.url, arn: main.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
};

const provisionTable = async (db: DynamoDBClient, spec: TableSpec, log: Log): Promise<void> => {
  try {
    await db.send(new DescribeTableCommand({ TableName: spec.name }));
    return;
  } catch (error) {
    if (!(error instanceof Error) || error.name !== "ResourceNotFoundException") throw error;
  }
  await db.send(new CreateTableCommand(createTableInput(spec)));
  if (spec.ttlAttribute) {
    try {
      await db.send(
        new UpdateTimeToLiveCommand({
          TableName: spec.name,
          TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
        }),
      );
    } catch (error) {
      log(
        `table ${spec.name}: TTL on "${spec.ttlAttribute}" not set — the emulator has no UpdateTimeToLive (${(error as Error).name}); every read filters expired items instead`,
      );
    }
  }
  log(`table ${spec.name}: created`);
};

export interface Provisioned {
  readonly queues: Record<QueueId, ProvisionedQueue>;
  /** The payload bucket's name (`buckets.payloads`). */
  readonly bucket: string;
  readonly buckets: Record<BucketId, string>;
}

/** Creates the bucket (kept if it is there) and sets its expiry where the topology gives one. */
const provisionBucket = async (s3: S3Client, spec: BucketSpec, log: Log): Promise<void> => {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: spec.name }));
  } catch (error) {
    if (!(error instanceof Error) || !/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(error.name)) throw error;
  }
  if (spec.expireAfterDays === undefined) return;
  try {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: spec.name,
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
    log(`bucket ${spec.name}: lifecycle expiry not set (${(error as Error).name}); objects are kept locally`);
  }
};

export const provision = async (
  clients: { sqs: SQSClient; dynamoDb: DynamoDBClient; s3: S3Client },
  log: Log,
  options: ProvisionOptions = {},
): Promise<Provisioned> => {
  const provisionedQueues = {} as Record<QueueId, ProvisionedQueue>;
  for (const spec of Object.values(queues)) {
    provisionedQueues[spec.id] = await provisionQueue(clients.sqs, spec, options, log);
  }
  for (const spec of Object.values(tables)) await provisionTable(clients.dynamoDb, spec, log);

  for (const spec of Object.values(buckets) as BucketSpec[]) await provisionBucket(clients.s3, spec, log);
  return {
    queues: provisionedQueues,
    bucket: buckets.payloads.name,
    buckets: Object.fromEntries(Object.values(buckets).map((b) => [b.id, b.name])) as Record<BucketId, string>,
  };
};
