/**
 * The operator CLI as an operator runs it: a separate process against the
 * running embedded stack (or a stage named by CVPIPE_STAGE), its output and
 * exit codes.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { CreateQueueCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { createSqsClient } from "@cvpipe/aws/clients";
import { queues, stagedName } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { repoRoot, startTestStack, type TestStack, tempDataDir } from "./support/stack.ts";

const exec = promisify(execFile);
let stack: TestStack;

const cvpipe = (args: string[], env: Record<string, string> = {}) =>
  exec(process.execPath, [join(repoRoot, "packages/cli/src/cvpipe.ts"), ...args], {
    env: { ...process.env, CVPIPE_DATA_DIR: stack.info.dataDir, ...env },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

/** Whether a receive hands out several messages of one FIFO group (moto, like SQS) or one (fauxqs). */
let wholeGroups: boolean;

test.before(async () => {
  stack = await startTestStack({ pollers: false });
  wholeGroups = stack.backend === "moto";
});
test.after(async () => stack?.close());

test("queues: a depth table; a DLQ with messages points at the runbook", async () => {
  const sqs = createSqsClient();
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.info.queues.tailoringJobs.dlqUrl,
      MessageBody: JSON.stringify({
        schema: "tailoring-job.v1",
        jobId: "0000",
        tenantId: "acme",
        userId: "alice",
        submittedAt: "2026-11-20T10:00:00Z",
        input: {
          inline: { cv: "x".repeat(60), posting: { description: "A job description long enough." }, options: {} },
        },
      }),
      MessageGroupId: "acme#alice",
      MessageDeduplicationId: "dead-1",
    }),
  );
  const r = await cvpipe(["queues"]);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /tailoring-jobs-dlq\.fifo\s+1\s+0\s+0/);
  assert.match(r.out, /1 message\(s\) in dead-letter queues: see "cvpipe dlq peek" and RUNBOOK\.md/);
});

test("dlq peek lists without removing; redrive --dry-run moves nothing; redrive moves it back", async () => {
  const peek = await cvpipe(["dlq", "peek", "--queue", "tailoring"]);
  assert.is(peek.code, 0, peek.err);
  assert.match(peek.out, /tailoring-jobs-dlq\.fifo: 1 message\(s\); showing 1/);
  assert.match(peek.out, /group=acme#alice .*job 0000 tenant=acme/);
  const dry = await cvpipe(["dlq", "redrive", "--queue", "tailoring", "--dry-run"]);
  assert.match(
    dry.out,
    /dry run: 1 of 1 message\(s\) judged would move from tailoring-jobs-dlq\.fifo to tailoring-jobs\.fifo/,
  );
  assert.match(dry.out, /would move: .*job 0000/);
  assert.match((await cvpipe(["queues"])).out, /tailoring-jobs-dlq\.fifo\s+1\s/);
  const moved = await cvpipe(["dlq", "redrive", "--queue", "tailoring", "--tenant", "acme"]);
  assert.is(moved.code, 0, moved.err);
  assert.match(moved.out, /moved 1 message\(s\) to tailoring-jobs\.fifo; 0 left in tailoring-jobs-dlq\.fifo/);
  const after = (await cvpipe(["queues"])).out;
  assert.match(after, /tailoring-jobs\.fifo\s+1\s/);
  assert.match(after, /tailoring-jobs-dlq\.fifo\s+0\s/);
});

test("poison is named in peek and can be selected with --error POISON_MESSAGE; a group's second message shows behind its head", async () => {
  const sqs = createSqsClient();
  const dlq = stack.info.queues.analyticsEvents.dlqUrl;
  for (const [i, body] of ["{not json", '{"schema":"analytics-event.v0"}'].entries()) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq,
        MessageBody: body,
        MessageGroupId: "p#q",
        MessageDeduplicationId: `p-${i}`,
      }),
    );
  }
  const peek = await cvpipe(["dlq", "peek", "--queue", "analytics"]);
  assert.match(peek.out, /POISON_MESSAGE \(body is not JSON\)/);
  if (wholeGroups) {
    assert.match(peek.out, /analytics-events-dlq\.fifo: 2 message\(s\); showing 2/);
    assert.match(peek.out, /group=p#q .*POISON_MESSAGE \(body\.schema: /, "the second of the group, after its head");
    assert.not.match(peek.out, /wait behind these/);
  } else {
    assert.match(peek.out, /analytics-events-dlq\.fifo: 2 message\(s\); showing 1/);
    assert.match(peek.out, /1 more wait behind these in their FIFO groups/);
  }
  const moved = await cvpipe(["dlq", "redrive", "--queue", "analytics", "--error", "POISON_MESSAGE"]);
  assert.match(moved.out, /moved 2 message\(s\) to analytics-events\.fifo; 0 left/);
  assert.match(moved.out, /POISON_MESSAGE \(body\.schema: /);
});

test("dlq redrive --job: a message behind a kept one stays, and the output says why and what was not reached", async () => {
  const sqs = createSqsClient();
  for (const jobId of ["0001", "0002"]) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.info.queues.tailoringJobs.dlqUrl,
        MessageBody: JSON.stringify({
          schema: "tailoring-job.v1",
          jobId,
          tenantId: "acme",
          userId: "bob",
          submittedAt: "2026-11-20T10:00:00Z",
          input: {
            inline: { cv: "x".repeat(60), posting: { description: "A job description long enough." }, options: {} },
          },
        }),
        MessageGroupId: "acme#bob",
        MessageDeduplicationId: `dead-${jobId}`,
      }),
    );
  }
  // fauxqs hands out one message per group: 0002 is never reached while 0001 stays. moto, like SQS,
  // hands out both: 0002 is judged, and stays behind 0001 (test/dlq-redrive-moto.test.ts goes further).
  const dry = await cvpipe(["dlq", "redrive", "--queue", "tailoring", "--job", "0002", "--dry-run"]);
  assert.is(dry.code, 0, dry.err);
  assert.match(dry.out, /would keep: .*job 0001 tenant=acme — the filter \(--job 0002\) does not match/);
  const real = await cvpipe(["dlq", "redrive", "--queue", "tailoring", "--job", "0002"]);
  assert.match(real.out, /moved 0 message\(s\) to tailoring-jobs\.fifo; 2 left in tailoring-jobs-dlq\.fifo/);
  assert.match(real.out, /kept: .*job 0001 tenant=acme — the filter \(--job 0002\) does not match/);
  if (wholeGroups) {
    assert.match(dry.out, /dry run: 0 of 2 message\(s\) judged would move/);
    const behind = /job 0002 tenant=acme — behind job 0001 \(message \S+\), which stays: a group keeps its order/;
    assert.match(dry.out, new RegExp(`would keep: .*${behind.source}`));
    assert.match(real.out, new RegExp(`kept: .*${behind.source}`));
    assert.not.match(`${dry.out}${real.out}`, /not reached/);
  } else {
    assert.match(dry.out, /dry run: 0 of 1 message\(s\) judged would move/);
    assert.match(dry.out, /\(1 not reached: .*behind a message that stays they stay\)/);
    assert.match(real.out, /\(1 more not reached: they wait behind the kept messages of their groups\)/);
  }
  const whole = await cvpipe(["dlq", "redrive", "--queue", "tailoring", "--tenant", "acme"]);
  assert.match(whole.out, /moved 2 message\(s\) to tailoring-jobs\.fifo; 0 left/);
  assert.match(whole.out, /moved: .*job 0001[\s\S]*moved: .*job 0002/, "in the group's order");
});

test("dlq redrive with no filter where the endpoint has no move tasks (fauxqs, moto): message by message", async () => {
  // moto answers StartMessageMoveTask with a bare HTML 500; the redrive once crashed on it.
  await createSqsClient().send(
    new SendMessageCommand({
      QueueUrl: stack.info.queues.tailoringJobs.dlqUrl,
      MessageBody: JSON.stringify({
        schema: "tailoring-job.v1",
        jobId: "0003",
        tenantId: "acme",
        userId: "carol",
        submittedAt: "2026-11-20T10:00:00Z",
        input: {
          inline: { cv: "x".repeat(60), posting: { description: "A job description long enough." }, options: {} },
        },
      }),
      MessageGroupId: "acme#carol",
      MessageDeduplicationId: "dead-0003",
    }),
  );
  const all = await cvpipe(["dlq", "redrive", "--queue", "tailoring"]);
  assert.is(all.code, 0, all.out + all.err);
  assert.match(all.out, /moved 1 message\(s\) to tailoring-jobs\.fifo; 0 left in tailoring-jobs-dlq\.fifo/);
  assert.match(all.out, /moved: .*job 0003/);
});

test("jobs list and get read the jobs table", async () => {
  const body = fixture("http/post-job.valid.json");
  const res = await stack.api.request("POST", "/v1/jobs", { body, tenant: "cli", user: "olga" });
  const list = await cvpipe(["jobs", "list", "--tenant", "cli", "--user", "olga"]);
  assert.match(list.out, new RegExp(`${res.body.data.jobId}\\s+QUEUED`));
  const get = await cvpipe(["jobs", "get", "--tenant", "cli", res.body.data.jobId, "--json"]);
  assert.is(JSON.parse(get.out).status, "QUEUED");
  const missing = await cvpipe(["jobs", "get", "--tenant", "cli", "nope"]);
  assert.is(missing.code, 1);
  assert.match(missing.err, /no job nope for tenant cli/);
});

test("mistakes are named, with the command's help, exit 2", async () => {
  const unknownFlag = await cvpipe(["dlq", "peek", "--queue", "tailoring", "--bogus"]);
  assert.is(unknownFlag.code, 2);
  assert.match(unknownFlag.err, /--bogus/);
  assert.match(unknownFlag.err, /cvpipe dlq peek/);
  const badQueue = await cvpipe(["dlq", "peek", "--queue", "orders"]);
  assert.is(badQueue.code, 2);
  assert.match(badQueue.err, /--queue must be one of tailoring, analytics/);
  const badWeek = await cvpipe(["report", "preview", "--week", "2026-W54"]);
  assert.is(badWeek.code, 2);
  assert.match(badWeek.err, /not an ISO week/);
  const elsewhere = tempDataDir();
  const noStack = await cvpipe(["queues"], { CVPIPE_DATA_DIR: elsewhere });
  assert.is(noStack.code, 2);
  assert.match(noStack.err, /no running stack found: no stack\.json under /);
  assert.ok(noStack.err.includes(`CVPIPE_DATA_DIR=${elsewhere} pnpm start`), noStack.err);
  const unknown = await cvpipe(["frobnicate"]);
  assert.is(unknown.code, 2);
  assert.match(unknown.err, /unknown command "frobnicate"/);
});

test("CVPIPE_STAGE: the same commands find a deployed stage's resources by their staged names", async () => {
  const sqs = createSqsClient();
  for (const q of Object.values(queues)) {
    for (const name of [q.name, q.dlqName]) {
      await sqs.send(new CreateQueueCommand({ QueueName: stagedName(name, "qa"), Attributes: { FifoQueue: "true" } }));
    }
  }
  const r = await cvpipe(["queues"], {
    CVPIPE_STAGE: "qa",
    CVPIPE_DATA_DIR: tempDataDir(),
    AWS_ENDPOINT_URL: stack.info.endpoints.sqs,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "x",
    AWS_SECRET_ACCESS_KEY: "x",
  });
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /tailoring-jobs-qa\.fifo\s+0/);
  assert.match(r.out, /analytics-events-dlq-qa\.fifo\s+0/);
});

test.run();
