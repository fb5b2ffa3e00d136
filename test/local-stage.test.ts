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
import { GetBucketTaggingCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
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
import { fixture } from "./support/fixtures.ts";
import { hasMotoServer, type Moto, startMoto } from "./support/moto.ts";
import { startTestStack, testSettings } from "./support/stack.ts";

process.env["POWERTOOLS_LOG_LEVEL"] = "SILENT";
const available = hasMotoServer();
const test = available ? uvuTest : uvuTest.skip;
if (!available) console.log("# skipped: moto_server is not installed (it plays the AWS account here)");

let moto: Moto | undefined;
const saved = new Map<string, string | undefined>();
uvuTest.before(async () => {
  if (!available) return;
  moto = await startMoto();
  // The stack's queues, tables and buckets go to moto: the user's endpoint, not the stack's emulators.
  for (const name of ["AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB"]) {
    saved.set(name, process.env[name]);
    process.env[name] = moto?.endpoint;
  }
});
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
  } finally {
    await stack.close();
    delete process.env["CVPIPE_LOCAL_STAGE"];
  }
});

test("a queue or table of a deployed stage (CloudFormation's tag) refuses the start, and nothing is created or changed", async () => {
  const { sqs, db, s3 } = clients();
  for (const [stage, kind] of [
    ["bob", "queue"],
    ["carol", "table"],
  ] as const) {
    const names = resourceNames(stage);
    let owned: string;
    if (kind === "queue") {
      owned = names.queues.analyticsEvents.name;
      await sqs.send(
        new CreateQueueCommand({
          QueueName: owned,
          Attributes: { FifoQueue: "true", VisibilityTimeout: "77" },
          tags: { [CLOUDFORMATION_STACK_TAG]: `cvpipe-${stage}-service` },
        }),
      );
    } else {
      owned = names.tables.reports;
      await db.send(
        new CreateTableCommand({
          TableName: owned,
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
          Tags: [{ Key: CLOUDFORMATION_STACK_TAG, Value: `cvpipe-${stage}-stateful` }],
        }),
      );
    }
    const before = {
      queues: (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [],
      tables: (await db.send(new ListTablesCommand({}))).TableNames ?? [],
      buckets: ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name),
    };
    process.env["CVPIPE_LOCAL_STAGE"] = stage;
    try {
      const started = await startTestStack({ settings: await testSettings() }).then(
        async (stack) => {
          await stack.close();
          return undefined;
        },
        (error: unknown) => error,
      );
      assert.instance(started, ConfigError, `the stack started on ${stage}'s resources`);
      assert.match(
        (started as Error).message,
        new RegExp(
          `${kind} ${owned} belongs to the CloudFormation stack cvpipe-${stage}-\\w+ \\(a deployed stage\\).*CVPIPE_LOCAL_STAGE`,
        ),
      );
    } finally {
      delete process.env["CVPIPE_LOCAL_STAGE"];
    }
    const after = {
      queues: (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [],
      tables: (await db.send(new ListTablesCommand({}))).TableNames ?? [],
      buckets: ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name),
    };
    assert.equal(after, before, `${stage}: nothing was created`);
    if (kind === "queue") {
      const url = after.queues.find((u) => queueNameOf(u) === owned) ?? "";
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["VisibilityTimeout", "RedrivePolicy"] }),
      );
      assert.equal(Attributes, { VisibilityTimeout: "77" }, "the deployed queue is unchanged");
    }
  }
});

uvuTest.run();
