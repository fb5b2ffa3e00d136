/**
 * Standard AWS tooling works against the embedded stack: the `aws` CLI lists
 * the topology's queues and tables (skipped, saying so, where the CLI is absent).
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { queues, tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestStack, type TestStack } from "./support/stack.ts";

const run = promisify(execFile);
let stack: TestStack | undefined;
const hasCli = spawnSync("aws", ["--version"], { stdio: "ignore" }).status === 0;
// Without the CLI the checks are reported as skipped, never as passed.
const cliTest = hasCli ? test : test.skip;
if (!hasCli) console.log("aws CLI not installed: skipping the CLI checks");

test.before(async () => {
  if (hasCli) stack = await startTestStack({ pollers: false });
});
test.after(async () => stack?.close());
const info = () => stack!.info;

const aws = async (endpoint: string, ...args: string[]) =>
  JSON.parse(
    (
      await run("aws", ["--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json", ...args], {
        env: { ...process.env, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_PAGER: "" },
      })
    ).stdout,
  );

cliTest("aws sqs list-queues shows every queue and DLQ", async () => {
  const out = await aws(info().endpoints.sqs, "sqs", "list-queues");
  const names = (out.QueueUrls as string[]).map((u) => u.split("/").pop()).sort();
  assert.equal(
    names,
    Object.values(queues)
      .flatMap((q) => [q.name, q.dlqName])
      .sort(),
  );
});

cliTest("aws sqs get-queue-attributes shows the redrive policy from the topology", async () => {
  const out = await aws(
    info().endpoints.sqs,
    "sqs",
    "get-queue-attributes",
    "--queue-url",
    info().queues.tailoringJobs.url,
    "--attribute-names",
    "All",
  );
  const policy = JSON.parse(out.Attributes.RedrivePolicy);
  assert.is(policy.maxReceiveCount, queues.tailoringJobs.maxReceiveCount);
  assert.is(policy.deadLetterTargetArn, info().queues.tailoringJobs.dlqArn);
  assert.is(out.Attributes.FifoQueue, "true");
  assert.is(Number(out.Attributes.VisibilityTimeout), queues.tailoringJobs.visibilityTimeoutSeconds);
});

cliTest("aws dynamodb list-tables and describe-table show the topology's tables and index", async () => {
  const out = await aws(info().endpoints.dynamodb, "dynamodb", "list-tables");
  assert.equal(
    [...out.TableNames].sort(),
    Object.values(tables)
      .map((t) => t.name)
      .sort(),
  );
  const jobs = await aws(info().endpoints.dynamodb, "dynamodb", "describe-table", "--table-name", tables.jobs.name);
  assert.equal(
    jobs.Table.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName),
    ["byUser", "queued"],
  );
});

test.run();
