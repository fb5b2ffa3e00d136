/**
 * DLQ redrive against an SQS that hands out several messages of one FIFO
 * group in one receive, as AWS does (moto). fauxqs hands out one per group,
 * which hides ordering bugs: a filter, or a limit, that keeps a group's first
 * message must keep every later message of that group too, and the dry run
 * must say the same thing the real run does.
 *
 * Skipped (counted as skipped) where moto_server is not installed.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { type DlqFilter, type RedriveReport, redriveDlq } from "@cvpipe/aws/dlq";
import { createTableInput } from "@cvpipe/aws/table-definitions";
import { queues, stagedName, tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hasMotoServer, type Moto, startMoto } from "./support/moto.ts";

const repoRoot = join(import.meta.dirname, "..");
const available = hasMotoServer();
if (!available) console.log("moto_server not installed: skipping the redrive tests against moto");
const it = available ? test : test.skip;

let moto: Moto;
let sqs: SQSClient;

test.before(async () => {
  // Without moto every test below is test.skip (counted as skipped): nothing to start.
  if (available) {
    moto = await startMoto();
    sqs = new SQSClient(moto.clientConfig);
  }
});
test.after(async () => {
  if (available) await moto.close();
});

let queueCount = 0;
const fifo = async (name: string): Promise<{ url: string; arn: string }> => {
  const { QueueUrl = "" } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name}-${++queueCount}.fifo`, Attributes: { FifoQueue: "true" } }),
  );
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl, arn: Attributes["QueueArn"] ?? "" };
};

/** A source queue and its DLQ holding `messages` ([group, jobId]) in this order. */
const pair = async (messages: ReadonlyArray<readonly [string, string]>) => {
  const source = await fifo("source");
  const dlq = await fifo("dlq");
  for (const [group, jobId] of messages) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq.url,
        MessageBody: JSON.stringify({ jobId }),
        MessageGroupId: group,
        MessageDeduplicationId: `dead-${jobId}`,
      }),
    );
  }
  return { sourceUrl: source.url, sourceArn: source.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
};

const jobOf = (body: string | undefined): string => (JSON.parse(body ?? "{}") as { jobId: string }).jobId;

/** Every message of a queue, deleting as it goes, as `group: [jobId, ...]` in each group's order. */
const drain = async (url: string): Promise<Record<string, string[]>> => {
  const out: Record<string, string[]> = {};
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0) return out;
    for (const m of Messages) {
      const group = m.Attributes?.["MessageGroupId"] ?? "";
      out[group] = [...(out[group] ?? []), jobOf(m.Body)];
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle ?? "" }));
    }
  }
};

/** What a report decided, per job: "move", or why it stays ("filter", "group<-jobId", "limit"). */
const verdicts = (report: RedriveReport): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const m of report.moved) out[jobOf(m.body)] = "move";
  for (const k of report.skipped) {
    out[jobOf(k.message.body)] = k.reason === "group" ? `group<-${jobOf(k.behind?.body)}` : k.reason;
  }
  return out;
};

const byJob =
  (...jobIds: string[]): DlqFilter =>
  (m) =>
    jobIds.includes((m.json as { jobId?: string }).jobId ?? "");

it("moto, like SQS, hands out several messages of one FIFO group in one receive", async () => {
  const q = await pair([
    ["acme#alice", "job-A"],
    ["acme#alice", "job-B"],
    ["acme#alice", "job-C"],
  ]);
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: q.dlqUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 30,
      MessageSystemAttributeNames: ["All"],
    }),
  );
  console.log(`moto: one receive returned ${Messages.length} message(s) of one 3-message group`);
  assert.equal(
    Messages.map((m) => jobOf(m.Body)),
    ["job-A", "job-B", "job-C"],
    "the whole group, in order, in one receive",
  );
  await sqs.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl: q.dlqUrl,
      Entries: Messages.map((m: Message, i) => ({
        Id: String(i),
        ReceiptHandle: m.ReceiptHandle ?? "",
        VisibilityTimeout: 0,
      })),
    }),
  );
});

it("--job job-B on a group [job-A, job-B]: nothing moves, B stays behind A (the issue's case)", async () => {
  const q = await pair([
    ["acme#alice", "job-A"],
    ["acme#alice", "job-B"],
  ]);
  const dry = await redriveDlq(sqs, { ...q, filter: byJob("job-B"), dryRun: true });
  assert.equal(dry.moved, [], "the dry run says nothing would move");
  const real = await redriveDlq(sqs, { ...q, filter: byJob("job-B") });
  assert.equal(await drain(q.sourceUrl), {}, "B did not jump ahead of A");
  assert.equal(await drain(q.dlqUrl), { "acme#alice": ["job-A", "job-B"] });
  assert.equal(verdicts(dry), { "job-A": "filter", "job-B": "group<-job-A" });
  assert.equal(verdicts(real), verdicts(dry), "the real run does what the dry run said");
});

it("the dry run says what the real run does, message by message, over several groups", async () => {
  const q = await pair([
    ["g1", "A"],
    ["g1", "B"],
    ["g1", "C"],
    ["g2", "X"],
    ["g2", "Y"],
    ["g3", "P"],
    ["g3", "Q"],
  ]);
  const filter = byJob("A", "C", "X", "Y", "Q");
  const expected = { A: "move", B: "filter", C: "group<-B", X: "move", Y: "move", P: "filter", Q: "group<-P" };
  const dry = await redriveDlq(sqs, { ...q, filter, dryRun: true });
  assert.is(dry.method, "send-then-delete");
  assert.equal(
    dry.moved.map((m) => jobOf(m.body)),
    ["A", "X", "Y"],
  );
  assert.equal(await drain(q.sourceUrl), {}, "the dry run moved nothing");
  const real = await redriveDlq(sqs, { ...q, filter });
  assert.equal(await drain(q.sourceUrl), { g1: ["A"], g2: ["X", "Y"] }, "C did not jump ahead of B, nor Q of P");
  assert.equal(await drain(q.dlqUrl), { g1: ["B", "C"], g3: ["P", "Q"] });
  assert.equal(verdicts(dry), expected);
  assert.equal(verdicts(real), expected);
});

it("--limit: a group cut by the limit stays whole behind its first kept message; dry run agrees", async () => {
  const q = await pair([
    ["g1", "A"],
    ["g1", "B"],
    ["g1", "C"],
    ["g2", "X"],
    ["g2", "Y"],
  ]);
  const dry = await redriveDlq(sqs, { ...q, limit: 2, dryRun: true });
  const real = await redriveDlq(sqs, { ...q, limit: 2 });
  assert.is(real.method, "send-then-delete", "a limit needs the message-by-message move");
  const moved = await drain(q.sourceUrl);
  const left = await drain(q.dlqUrl);
  for (const [group, all] of Object.entries({ g1: ["A", "B", "C"], g2: ["X", "Y"] })) {
    assert.equal([...(moved[group] ?? []), ...(left[group] ?? [])], all, `${group} keeps its order across both queues`);
  }
  for (const report of [dry, real]) {
    const v = verdicts(report);
    assert.is(report.moved.length, 2);
    // Whatever order SQS hands the groups out in: each group moves a prefix, its first kept
    // message stays for the limit and every later one stays behind that one.
    for (const group of [
      ["A", "B", "C"],
      ["X", "Y"],
    ]) {
      const firstKept = group.findIndex((j) => v[j] !== "move");
      if (firstKept === -1) continue;
      assert.is(v[group[firstKept]!], "limit", `${group[firstKept]} ${JSON.stringify(v)}`);
      for (const later of group.slice(firstKept + 1)) assert.is(v[later], `group<-${group[firstKept]}`, later);
    }
  }
  assert.equal(verdicts(real), verdicts(dry));
});

it("a failure between send and delete loses nothing and duplicates nothing; the next run goes on at once", async () => {
  const q = await pair([
    ["g1", "A"],
    ["g1", "B"],
  ]);
  // A client whose first DeleteMessage fails: A has been sent to the source but is still in the DLQ.
  const flaky = new SQSClient(moto.clientConfig);
  let failNextDelete = true;
  const send = flaky.send.bind(flaky) as (command: unknown) => Promise<unknown>;
  (flaky as unknown as { send: (command: unknown) => Promise<unknown> }).send = async (command) => {
    if (command instanceof DeleteMessageCommand && failNextDelete) {
      failNextDelete = false;
      throw new Error("connection reset");
    }
    return send(command);
  };
  const all = () => true;
  const failure = await redriveDlq(flaky, { ...q, filter: all }).then(
    () => undefined,
    (error: Error) => error,
  );
  assert.is(failure?.message, "connection reset");
  // The run gave back what it held: the next run sees A and B now, not after a visibility timeout.
  const again = await redriveDlq(flaky, { ...q, filter: all });
  assert.equal(verdicts(again), { A: "move", B: "move" });
  // A was sent twice with one deduplication id (from its DLQ messageId): SQS kept one copy.
  assert.equal(await drain(q.sourceUrl), { g1: ["A", "B"] });
  assert.equal(await drain(q.dlqUrl), {});
});

/** The operator CLI, as a separate process, against a "deployed stage" that lives in moto. */
const cvpipe = (args: string[], stage: string) =>
  promisify(execFile)(process.execPath, [join(repoRoot, "packages/cli/src/cvpipe.ts"), ...args], {
    env: { ...process.env, ...moto.env, CVPIPE_STAGE: stage },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

const deployStage = async (stage: string) => {
  const urls: Record<string, string> = {};
  for (const q of Object.values(queues)) {
    for (const name of [q.name, q.dlqName]) {
      const { QueueUrl = "" } = await sqs.send(
        new CreateQueueCommand({ QueueName: stagedName(name, stage), Attributes: { FifoQueue: "true" } }),
      );
      urls[name] = QueueUrl;
    }
  }
  const dlqUrl = urls[queues.tailoringJobs.dlqName] ?? "";
  const sourceUrl = urls[queues.tailoringJobs.name] ?? "";
  const jobsTable = stagedName(tables.jobs.name, stage);
  const dynamo = new DynamoDBClient(moto.clientConfig);
  await dynamo.send(new CreateTableCommand(createTableInput({ ...tables.jobs, name: jobsTable })));
  const docs = DynamoDBDocumentClient.from(dynamo);
  const now = "2026-11-18T10:00:00.000Z";
  const failed = async (jobId: string, code: string) => {
    await docs.send(
      new PutCommand({
        TableName: jobsTable,
        Item: {
          tenantId: "acme",
          jobId,
          userId: "alice",
          userKey: "acme#alice",
          status: "FAILED",
          engine: "bedrock",
          createdAt: now,
          updatedAt: now,
          // The CLI runs on the real clock: a TTL far past any date this test may run on.
          expiresAt: Date.UTC(2100, 0, 1) / 1000,
          requestHash: "x",
          attempts: 3,
          error: { code, message: `${code} after 3 attempts`, retryable: true },
        },
      }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify({
          schema: "tailoring-job.v1",
          jobId,
          tenantId: "acme",
          userId: "alice",
          submittedAt: now,
          input: {
            inline: { cv: "x".repeat(60), posting: { description: "A job description long enough." }, options: {} },
          },
        }),
        MessageGroupId: "acme#alice",
        MessageDeduplicationId: `dead-${jobId}`,
      }),
    );
  };
  await failed("job-A", "ENGINE_UNAVAILABLE");
  await failed("job-B", "DEPENDENCY_UNAVAILABLE");
  return { dlqUrl, sourceUrl };
};

it("cvpipe dlq redrive --job / --error: the dry run and the run both say B stays behind A, and why", async () => {
  const { dlqUrl, sourceUrl } = await deployStage("motoa");
  for (const filter of [
    ["--job", "job-B"],
    ["--error", "DEPENDENCY_UNAVAILABLE"],
  ]) {
    for (const dryRun of [["--dry-run"], []]) {
      const r = await cvpipe(["dlq", "redrive", "--queue", "tailoring", ...filter, ...dryRun], "motoa");
      const what = `${filter.join(" ")} ${dryRun.join("")}:\n${r.out}${r.err}`;
      assert.is(r.code, 0, what);
      assert.match(
        r.out,
        dryRun.length ? /dry run: 0 of 2 message\(s\) judged would move/ : /moved 0 message\(s\)/,
        what,
      );
      assert.match(r.out, /(?:would keep|kept): .*job job-A .*— the filter \(--\S+ \S+\) does not match/, what);
      assert.match(
        r.out,
        /(?:would keep|kept): .*job job-B .*— behind job job-A \(message \S+\), which stays: a group keeps its order/,
        what,
      );
    }
  }
  assert.equal(await drain(sourceUrl), {});
  // Without the filter the group moves whole, in order.
  const all = await cvpipe(["dlq", "redrive", "--queue", "tailoring", "--limit", "5"], "motoa");
  assert.match(all.out, /moved 2 message\(s\)/, all.out + all.err);
  assert.equal(await drain(sourceUrl), { "acme#alice": ["job-A", "job-B"] });
  assert.equal(await drain(dlqUrl), {});
});

test.run();
