/**
 * What the CLI talks to: the running embedded stack (default, found through
 * `.cvpipe/stack.json`) or a deployed stage (`CVPIPE_STAGE=prod` with the usual
 * AWS credentials and region), whose physical names follow the topology.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import {
  createDocumentClient,
  createSqsClient,
  endpointEnv,
  localCredentialsEnv,
  SERVICE_IDS,
} from "@cvpipe/aws/clients";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { type BucketId, jobIndexes, type QueueId, queues, resourceNames, type TableId } from "@cvpipe/core/topology";
import { DATA_DIR_ENV, settingsFromEnv } from "@cvpipe/local/settings";
import { STACK_INFO_FILE, type StackInfo } from "@cvpipe/local/stack";
import { STAGE_ENV } from "./cli-env.ts";

/** A mistake in how the command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface QueueTarget {
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
}

export interface Target {
  /** "local" or the stage name. */
  readonly name: string;
  readonly queues: Readonly<Record<QueueId, QueueTarget>>;
  readonly tables: Readonly<Record<TableId, string>>;
  /** The embedded stack's buckets (the housekeeping sweep's); a stage's carry account and region CloudFormation chose. */
  readonly buckets?: Readonly<Record<BucketId, string>>;
  /** Where previews are written by default. */
  readonly workDir: string;
  /** The embedded stack's workers (its pollers) by queue; absent on a stage (Lambda's event source mappings say). */
  readonly workers?: Readonly<Record<QueueId, "running" | "paused">>;
}

/**
 * The embedded stack is not where the CLI looks: the message says where it looked, which variable
 * chose that directory, and the command that starts a stack there. (A new user who started the
 * stack with another CVPIPE_DATA_DIR was told only "start the stack once".) Printed without the
 * command's help: nothing about the command line is wrong.
 */
export class StackNotFoundError extends UsageError {
  constructor(what: string) {
    const dir = settingsFromEnv().dataDir;
    const set = process.env[DATA_DIR_ENV];
    super(
      `${what} under ${dir} (${set ? `${DATA_DIR_ENV}=${set}` : `${DATA_DIR_ENV} is unset: the default data directory`}).\n` +
        `  Start the stack there: ${DATA_DIR_ENV}=${dir} pnpm start\n` +
        `  or set ${DATA_DIR_ENV} to the data directory the running stack was started with` +
        ` (or ${STAGE_ENV} to work on a deployed stage).`,
    );
    this.name = "StackNotFoundError";
  }
}

/** The running embedded stack's description, from the file it writes at start-up. */
export const readStackInfo = (): StackInfo => {
  const file = join(settingsFromEnv().dataDir, STACK_INFO_FILE);
  if (!existsSync(file)) throw new StackNotFoundError(`no running stack found: no ${STACK_INFO_FILE}`);
  const info = JSON.parse(readFileSync(file, "utf8")) as StackInfo;
  if (!isRunning(info.pid)) {
    throw new StackNotFoundError(`the stack of ${STACK_INFO_FILE} (pid ${info.pid}) is no longer running`);
  }
  return info;
};

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as { code?: string }).code === "EPERM";
  }
};

const localTarget = (): Target => {
  const info = readStackInfo();
  process.env["AWS_REGION"] ??= info.region;
  // Each service as the stack runs it: its emulator or the user's endpoint (any credentials will do
  // there), or real AWS (SES the stack sends through with your credentials: nothing is pointed
  // elsewhere, nothing overrides your keys — `report send` really sends, as the stack's reporter would).
  // The services the CLI calls (never Bedrock).
  for (const service of ["sqs", "s3", "dynamodb", "ses"] as const) {
    if (info.services?.[service]?.source === "aws") continue;
    process.env[endpointEnv(SERVICE_IDS[service])] = info.endpoints[service];
    process.env[localCredentialsEnv(SERVICE_IDS[service])] ??= "local:local";
  }
  // A stack.json written before the stack named its tables and buckets there: the topology's names.
  const names = resourceNames();
  return {
    name: "local",
    queues: info.queues,
    tables: info.tables ?? names.tables,
    buckets: info.buckets ?? names.buckets,
    workDir: info.dataDir,
    ...((info.workers ?? info.consumers) ? { workers: info.workers ?? info.consumers } : {}),
  };
};

const stageTarget = async (stage: string): Promise<Target> => {
  const sqs = createSqsClient();
  const queueTarget = async (name: string): Promise<{ url: string; arn: string }> => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    return { url: QueueUrl ?? "", arn: Attributes?.["QueueArn"] ?? "" };
  };
  const names = resourceNames(stage);
  const resolved = {} as Record<QueueId, QueueTarget>;
  for (const q of Object.keys(queues) as QueueId[]) {
    const main = await queueTarget(names.queues[q].name);
    const dlq = await queueTarget(names.queues[q].dlqName);
    resolved[q] = { url: main.url, arn: main.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
  }
  return { name: stage, queues: resolved, tables: names.tables, workDir: join(process.cwd(), ".cvpipe") };
};

let target: Promise<Target> | undefined;

/** The target for this invocation, resolved once. */
export const resolveTarget = (): Promise<Target> => {
  const stage = process.env[STAGE_ENV];
  target ??= stage ? stageTarget(stage) : Promise.resolve(localTarget());
  return target;
};

/** The target's jobs table, on the clock the functions run on (CVPIPE_CLOCK_OFFSET_MS when set). */
export const jobStoreFor = (target: Target): DynamoJobStore =>
  new DynamoJobStore(createDocumentClient(), target.tables.jobs, {
    clock: clockFromEnv(process.env),
    indexes: jobIndexes,
  });
