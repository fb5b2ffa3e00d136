/**
 * CVPIPE_LOCAL_STAGE: the embedded stack's queues, tables and buckets carry a
 * stage's names on an endpoint that is not its own emulator (real AWS with
 * CVPIPE_USE_AWS=sqs,s3,dynamodb, or the user's emulator), are tagged as the
 * embedded stack's, and a name that belongs to a CloudFormation stack (a
 * deployed stage) refuses the start before anything is created or changed.
 *
 * moto plays the account here (nothing leaves the machine): one started for
 * this file on either backend — the moto backend's own is reset by every fresh
 * stack, which would erase the deployed stage this file sets up (skipped where
 * moto_server is not installed). What differs for real AWS
 * — the SDK's endpoint and the user's credential chain — is the same code path
 * as real Bedrock's (test/user-credentials.test.ts).
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ListTagsOfResourceCommand,
} from "@aws-sdk/client-dynamodb";
import { GetBucketTaggingCommand, ListBucketsCommand, PutBucketTaggingCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ConfigError } from "@cvpipe/core/errors";
import { queueNameOf, resourceNames } from "@cvpipe/core/topology";
import { CLOUDFORMATION_STACK_TAG, EMBEDDED_STACK_TAG } from "@cvpipe/local/stack";
import { test as uvuTest } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "./support/cli.ts";
import { fixture } from "./support/fixtures.ts";
import { hasMotoServer, type Moto, startMoto } from "./support/moto.ts";
import { startTestStack, testSettings } from "./support/stack.ts";

process.env["POWERTOOLS_LOG_LEVEL"] = "SILENT";
const available = hasMotoServer();
const test = available ? uvuTest : uvuTest.skip;
if (!available) console.log("# skipped: moto_server is not installed (it plays the AWS account here)");

let moto: Moto | undefined;
const saved = new Map<string, string | undefined>();
// Without moto every test is a skip (above), and there is nothing to start.
if (available) {
  uvuTest.before(async () => {
    moto = await startMoto();
    // The stack's queues, tables and buckets go to moto: the user's endpoint, not the stack's emulators.
    for (const name of ["AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB"]) {
      saved.set(name, process.env[name]);
      process.env[name] = moto.endpoint;
    }
  });
}
uvuTest.after(async () => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  delete process.env["CVPIPE_LOCAL_STAGE"];
  await moto?.close();
});

const clients = () => {
  const config = moto?.clientConfig ?? {};
  const db = new DynamoDBClient(config);
  return {
    sqs: new SQSClient(config),
    db,
    doc: DynamoDBDocumentClient.from(db),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
};

test("CVPIPE_LOCAL_STAGE: every queue, table and bucket under the stage's name, tagged as the stack's; a job flows through them", async () => {
  const names = resourceNames("alice");
  process.env["CVPIPE_LOCAL_STAGE"] = "alice";
  const stack = await startTestStack({ settings: await testSettings() });
  const { sqs, db, doc, s3 } = clients();
  try {
    assert.is(stack.info.stage, "alice");
    assert.equal(stack.info.tables, names.tables);
    assert.equal(stack.info.buckets, names.buckets);
    for (const [id, q] of Object.entries(stack.info.queues)) {
      const expected = names.queues[id as keyof typeof names.queues];
      assert.is(queueNameOf(q.url), expected.name);
      assert.is(queueNameOf(q.dlqUrl), expected.dlqName);
      for (const url of [q.url, q.dlqUrl]) {
        const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
        assert.is(Tags?.[EMBEDDED_STACK_TAG], "alice", `${url}'s tags: ${JSON.stringify(Tags)}`);
      }
    }
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
    assert.ok(
      QueueUrls.every((url) => queueNameOf(url).includes("-alice")),
      `only the stage's queues: ${QueueUrls.join(", ")}`,
    );
    const { TableNames = [] } = await db.send(new ListTablesCommand({}));
    for (const name of Object.values(names.tables)) {
      assert.ok(TableNames.includes(name), `table ${name} in ${TableNames.join(", ")}`);
      const arn = `arn:aws:dynamodb:${stack.info.region}:123456789012:table/${name}`;
      const { Tags = [] } = await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
      assert.ok(
        Tags.some((t) => t.Key === EMBEDDED_STACK_TAG && t.Value === "alice"),
        `${name}: ${JSON.stringify(Tags)}`,
      );
    }
    assert.ok(
      TableNames.every((name) => name.endsWith("-alice")),
      `only the stage's tables: ${TableNames.join(", ")}`,
    );
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    for (const name of Object.values(names.buckets)) {
      assert.ok(
        Buckets.some((b) => b.Name === name),
        `bucket ${name}`,
      );
      const { TagSet = [] } = await s3.send(new GetBucketTaggingCommand({ Bucket: name }));
      assert.ok(
        TagSet.some((t) => t.Key === EMBEDDED_STACK_TAG && t.Value === "alice"),
        `${name}: ${JSON.stringify(TagSet)}`,
      );
    }

    const res = await stack.api.request("POST", "/v1/jobs", { body: fixture("http/post-job.valid.json") });
    assert.is(res.status, 202, JSON.stringify(res.body));
    const job = await stack.api.waitForJob(res.body.data.jobId, { timeoutMs: 30_000 });
    assert.is(job.status, "SUCCEEDED", JSON.stringify(job));
    const items = await doc.send(new ScanCommand({ TableName: names.tables.jobs }));
    assert.ok(
      (items.Items ?? []).some((i) => JSON.stringify(i).includes(res.body.data.jobId)),
      "the job's record is in the stage's jobs table",
    );
    // The operator's read-outs name the stage's queues, and housekeeping sweeps the stage's tables and buckets.
    const env = { CVPIPE_DATA_DIR: stack.info.dataDir };
    const queuesRun = await runCli(["queues", "--json"], env);
    assert.is(queuesRun.code, 0, queuesRun.err);
    const shown = JSON.parse(queuesRun.out) as { queues: { queue: string }[]; alarms: { detail: string }[] };
    assert.equal(
      shown.queues.map((q) => q.queue).sort(),
      Object.values(names.queues)
        .flatMap((q) => [q.name, q.dlqName])
        .sort(),
    );
    for (const alarm of shown.alarms) assert.match(alarm.detail, /-alice\.fifo/, alarm.detail);
    const sweep = await runCli(["housekeeping", "run", "--json"], env);
    assert.is(sweep.code, 0, sweep.err);
  } finally {
    await stack.close();
  }
  // A restart on the same stage uses what it made, and leaves a bucket as the user left it.
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: names.buckets.cvs,
      Tagging: {
        TagSet: [
          { Key: EMBEDDED_STACK_TAG, Value: "alice" },
          { Key: "cost-center", Value: "team-a" },
        ],
      },
    }),
  );
  const again = await startTestStack({ settings: await testSettings() });
  try {
    assert.equal(again.info.tables, names.tables);
    const { TagSet = [] } = await s3.send(new GetBucketTaggingCommand({ Bucket: names.buckets.cvs }));
    assert.ok(
      TagSet.some((t) => t.Key === "cost-center"),
      `the user's tag is kept: ${JSON.stringify(TagSet)}`,
    );
  } finally {
    await again.close();
    delete process.env["CVPIPE_LOCAL_STAGE"];
  }
});

type Clients = ReturnType<typeof clients>;

/** Everything on moto the default account can list: a refused start must leave it as it was. */
const inventory = async ({ sqs, db, s3 }: Clients) => ({
  queues: (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [],
  tables: (await db.send(new ListTablesCommand({}))).TableNames ?? [],
  buckets: ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name),
});

const fifoQueue = async (sqs: SQSClient, name: string, tags: Record<string, string>): Promise<void> => {
  await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true", VisibilityTimeout: "77" }, tags }),
  );
};

/** A stage whose names someone else holds: what is there before the start, and what the refusal says. */
interface Refusal {
  readonly stage: string;
  readonly what: string;
  readonly setUp: (c: Clients, names: ReturnType<typeof resourceNames>) => Promise<string>;
  readonly says: (held: string, stage: string) => RegExp;
}

const refusals: readonly Refusal[] = [
  {
    stage: "bob",
    what: "a deployed stage's queue",
    setUp: async ({ sqs }, names) => {
      await fifoQueue(sqs, names.queues.analyticsEvents.name, { [CLOUDFORMATION_STACK_TAG]: "cvpipe-bob-service" });
      return names.queues.analyticsEvents.name;
    },
    says: (held) =>
      new RegExp(`queue ${held} belongs to the CloudFormation stack cvpipe-bob-service \\(a deployed stage\\)`),
  },
  {
    stage: "carol",
    what: "a deployed stage's table",
    setUp: async ({ db }, names) => {
      await db.send(
        new CreateTableCommand({
          TableName: names.tables.reports,
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
          Tags: [{ Key: CLOUDFORMATION_STACK_TAG, Value: "cvpipe-carol-stateful" }],
        }),
      );
      return names.tables.reports;
    },
    says: (held) => new RegExp(`table ${held} belongs to the CloudFormation stack cvpipe-carol-stateful`),
  },
  {
    stage: "dave",
    what: "a queue someone else made under the stage's name",
    setUp: async ({ sqs }, names) => {
      await fifoQueue(sqs, names.queues.tailoringJobs.name, { owner: "someone-else" });
      return names.queues.tailoringJobs.name;
    },
    says: (held, stage) =>
      new RegExp(
        `queue ${held} exists and is not the embedded stack's for stage ${stage} \\(no ${EMBEDDED_STACK_TAG} tag\\)`,
      ),
  },
  {
    stage: "erin",
    what: "a queue another stage of the stack made",
    setUp: async ({ sqs }, names) => {
      await fifoQueue(sqs, names.queues.tailoringJobs.dlqName, { [EMBEDDED_STACK_TAG]: "frank" });
      return names.queues.tailoringJobs.dlqName;
    },
    says: (held) =>
      new RegExp(
        `queue ${held} exists and is not the embedded stack's for stage erin \\(tagged ${EMBEDDED_STACK_TAG}=frank\\)`,
      ),
  },
  {
    stage: "gina",
    what: "a bucket name another account holds",
    setUp: async (_clients, names) => {
      // moto keeps one bucket namespace across its accounts, as S3 does; this bucket is account 111111111111's.
      const res = await fetch(`${moto?.endpoint}/${names.buckets.cvs}`, {
        method: "PUT",
        headers: { "x-moto-account-id": "111111111111" },
      });
      assert.is(res.status, 200, await res.text());
      return names.buckets.cvs;
    },
    // moto shows another account's bucket tags to anyone (no tags: not the stack's); S3 answers 403
    // (another account's: BucketTakenError, resource-guard.test.ts). Either way, refused before anything is made.
    says: (held, stage) =>
      new RegExp(
        `bucket ${held} (exists in another AWS account|exists and is not the embedded stack's for stage ${stage})`,
      ),
  },
];

for (const refusal of refusals) {
  test(`${refusal.what} refuses the start, naming it and what to change; nothing is created or changed`, async () => {
    const c = clients();
    const held = await refusal.setUp(c, resourceNames(refusal.stage));
    const before = await inventory(c);
    process.env["CVPIPE_LOCAL_STAGE"] = refusal.stage;
    let refused: unknown;
    try {
      refused = await startTestStack({ settings: await testSettings() }).then(
        async (stack) => {
          await stack.close();
          return undefined;
        },
        (error: unknown) => error,
      );
    } finally {
      delete process.env["CVPIPE_LOCAL_STAGE"];
    }
    assert.instance(refused, ConfigError, `the stack started on ${refusal.stage}'s names`);
    const message = (refused as Error).message;
    assert.match(message, refusal.says(held, refusal.stage), message);
    assert.match(message, /CVPIPE_LOCAL_STAGE/);
    assert.not.match(message, /are they running/, "a refusal is no connection problem");
    assert.equal(await inventory(c), before, "nothing was created");
    const queue = before.queues.find((url) => queueNameOf(url) === held);
    if (queue) {
      const { Attributes = {} } = await c.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ["VisibilityTimeout", "RedrivePolicy"] }),
      );
      assert.equal(Attributes, { VisibilityTimeout: "77" }, "the queue is unchanged");
    }
  });
}

uvuTest.run();
