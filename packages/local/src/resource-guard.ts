/**
 * What the embedded stack may use on an endpoint that is not its own emulator
 * (real AWS with CVPIPE_LOCAL_STAGE, or the user's emulator): provision.ts asks
 * here about every name before it creates or changes anything, so a refused
 * start leaves the account as it was.
 *
 * - A resource that belongs to a CloudFormation stack (its
 *   `aws:cloudformation:stack-name` tag: a deployed stage) is refused.
 * - With a stage, the stack tags what it creates `cvpipe:embedded-stack=<stage>`
 *   and uses an existing resource only when it carries that tag: one made by
 *   another tool, a teammate or another stage is not taken over.
 * - A bucket name another account holds (S3's names are global) is refused:
 *   real S3 answers 403 to anything but its owner.
 */
import {
  DescribeTableCommand,
  type DynamoDBClient,
  ListTagsOfResourceCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { GetBucketTaggingCommand, type S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { GetQueueUrlCommand, ListQueueTagsCommand, QueueDoesNotExist, type SQSClient } from "@aws-sdk/client-sqs";
import { ConfigError } from "@cvpipe/core/errors";
import type { ResourceNames } from "@cvpipe/core/topology";

/** The tag CloudFormation puts on every resource of a stack: a deployed stage's resource carries it. */
export const CLOUDFORMATION_STACK_TAG = "aws:cloudformation:stack-name";

/** The tag on what the stack creates under a stage (CVPIPE_LOCAL_STAGE): its value is the stage. */
export const EMBEDDED_STACK_TAG = "cvpipe:embedded-stack";

export type ResourceKind = "queue" | "table" | "bucket";

export interface ProvisionGuard {
  readonly sqs: boolean;
  readonly dynamodb: boolean;
  readonly s3: boolean;
  /** The region buckets are created in (S3 wants it said outside us-east-1). */
  readonly region: string;
  /** CVPIPE_LOCAL_STAGE: what the stack creates is tagged with it, and only what carries it is used. */
  readonly stage?: string;
}

/** An existing resource belongs to a CloudFormation stack: the embedded stack neither changes nor consumes it. */
export class DeployedResourceError extends ConfigError {
  constructor(kind: ResourceKind, name: string, stack: string) {
    super(
      `${kind} ${name} belongs to the CloudFormation stack ${stack} (a deployed stage): the embedded stack will not change it or consume from it. Set CVPIPE_LOCAL_STAGE to a stage name no deployment uses`,
    );
    this.name = "DeployedResourceError";
  }
}

/** An existing resource under the stage's name that the stack did not create for that stage. */
export class ForeignResourceError extends ConfigError {
  constructor(kind: ResourceKind, name: string, stage: string, found: string | undefined) {
    super(
      `${kind} ${name} exists and is not the embedded stack's for stage ${stage} (${found === undefined ? `no ${EMBEDDED_STACK_TAG} tag` : `tagged ${EMBEDDED_STACK_TAG}=${found}`}): the stack will not take it over. Set CVPIPE_LOCAL_STAGE to another stage name, or tag it ${EMBEDDED_STACK_TAG}=${stage} if it is this stage's`,
    );
    this.name = "ForeignResourceError";
  }
}

/** A bucket name another AWS account holds. */
export class BucketTakenError extends ConfigError {
  constructor(name: string, options?: ErrorOptions) {
    super(
      `bucket ${name} exists in another AWS account (bucket names are global): set CVPIPE_LOCAL_STAGE to another stage name`,
      options,
    );
    this.name = "BucketTakenError";
  }
}

/** A resource's tags; undefined when there is no such resource. */
type Tags = Readonly<Record<string, string>> | undefined;

const fromList = (
  list: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
): Record<string, string> => Object.fromEntries((list ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));

const queueTags = async (sqs: SQSClient, name: string): Promise<Tags> => {
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (error instanceof QueueDoesNotExist) return undefined;
    throw error;
  }
  return (await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
};

const tableTags = async (db: DynamoDBClient, name: string): Promise<Tags> => {
  let arn: string | undefined;
  try {
    arn = (await db.send(new DescribeTableCommand({ TableName: name }))).Table?.TableArn;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
  return fromList((await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags);
};

/** A bucket's tags; undefined when there is none of that name; BucketTakenError when it is another account's. */
export const bucketTags = async (s3: S3Client, name: string): Promise<Tags> => {
  try {
    return fromList((await s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet);
  } catch (error) {
    if (!(error instanceof S3ServiceException)) throw error;
    // Neither is modelled as a class: NoSuchBucket (free), NoSuchTagSet (a bucket without tags).
    if (error.name === "NoSuchBucket") return undefined;
    if (error.name === "NoSuchTagSet") return {};
    // S3 answers 403 to anyone but the owner: the name is another account's.
    if (error.$metadata.httpStatusCode === 403) throw new BucketTakenError(name, { cause: error });
    throw error;
  }
};

/** Refuses a resource the stack must not use; true when it exists (and may be used as it is). */
const judge = (kind: ResourceKind, name: string, tags: Tags, stage: string | undefined): boolean => {
  if (tags === undefined) return false;
  const stack = tags[CLOUDFORMATION_STACK_TAG];
  if (stack) throw new DeployedResourceError(kind, name, stack);
  if (stage !== undefined && tags[EMBEDDED_STACK_TAG] !== stage) {
    throw new ForeignResourceError(kind, name, stage, tags[EMBEDDED_STACK_TAG]);
  }
  return true;
};

/**
 * Every name the stack is about to use on a guarded service, looked up and judged before anything
 * is created: the names that exist already (and may be used), or the refusal of the first that may not.
 */
export const checkResources = async (
  clients: { sqs: SQSClient; dynamoDb: DynamoDBClient; s3: S3Client },
  names: ResourceNames,
  guard: ProvisionGuard,
): Promise<Set<string>> => {
  const existing = new Set<string>();
  const note = (kind: ResourceKind, name: string, tags: Tags): void => {
    if (judge(kind, name, tags, guard.stage)) existing.add(name);
  };
  if (guard.s3) {
    for (const name of Object.values(names.buckets)) note("bucket", name, await bucketTags(clients.s3, name));
  }
  if (guard.sqs) {
    for (const q of Object.values(names.queues)) {
      for (const name of [q.dlqName, q.name]) note("queue", name, await queueTags(clients.sqs, name));
    }
  }
  if (guard.dynamodb) {
    for (const name of Object.values(names.tables)) note("table", name, await tableTags(clients.dynamoDb, name));
  }
  return existing;
};

/** The stage's tag for what the stack creates on `service`: none unless it is guarded and there is a stage. */
export const stageTags = (
  guard: ProvisionGuard | undefined,
  service: "sqs" | "dynamodb" | "s3",
): Record<string, string> | undefined =>
  guard?.[service] && guard.stage !== undefined ? { [EMBEDDED_STACK_TAG]: guard.stage } : undefined;

/** Tags as DynamoDB and S3 take them: a list (SQS takes the map). */
export const tagList = (tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
