/**
 * `cvpipe verify` as an operator runs it after a deploy, against a test stack: every check passes or
 * is skipped with its reason; breaking a queue's redrive policy, or running without pollers so no job
 * completes, fails that check with its "what to do" and exit code 1.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { createSqsClient } from "@cvpipe/aws/clients";
import { queues } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { repoRoot, startTestStack, type TestStack } from "./support/stack.ts";

const exec = promisify(execFile);
let stack: TestStack | undefined;

interface Outcome {
  id: string;
  status: "pass" | "fail" | "skip";
  detail: string;
  todo?: string;
}

const verify = (args: string[]) =>
  exec(process.execPath, [join(repoRoot, "packages/cli/src/cvpipe.ts"), "verify", ...args], {
    env: { ...process.env, CVPIPE_DATA_DIR: (stack as TestStack).info.dataDir },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

const outcomes = (out: string): Outcome[] => (JSON.parse(out) as { checks: Outcome[] }).checks;

test.after(async () => stack?.close());

test("on a healthy stack every check passes or is skipped with a reason; exit 0", async () => {
  stack = await startTestStack();
  const r = await verify(["--json", "--timeout", "60"]);
  const checks = outcomes(r.out);
  const failed = checks.filter((c) => c.status === "fail");
  assert.equal(failed, [], r.err);
  assert.is(r.code, 0, r.err);
  for (const c of checks.filter((c) => c.status === "skip")) assert.ok(c.detail.length > 20, `${c.id}: a reason`);
  const passed = new Set(checks.filter((c) => c.status === "pass").map((c) => c.id));
  for (const id of [
    "job:end-to-end",
    "api:valid",
    "api:invalid",
    "api:no-token",
    "api:routes",
    "queue:tailoringJobs",
  ]) {
    assert.ok(passed.has(id), `${id} passed`);
  }
  assert.is(
    checks.find((c) => c.id === "logs:retention")?.status,
    "skip",
    "no log retention locally: skipped, not passed",
  );
  const text = await verify([]);
  assert.match(text.out, /✓ a job \(engine local\) completes end to end/);
  assert.match(text.out, /– log groups with retention: not applicable locally/);
  assert.match(text.out, /\d+ passed, 0 failed, \d+ skipped/);
});

test("with the pollers stopped no job completes: the job check fails with what to do; exit 1", async () => {
  for (const poller of Object.values((stack as TestStack).pollers)) await poller?.stop();
  const r = await verify(["--json", "--timeout", "2"]);
  assert.is(r.code, 1, r.err);
  const job = outcomes(r.out).find((c) => c.id === "job:end-to-end");
  assert.is(job?.status, "fail");
  assert.match(job?.detail ?? "", /still QUEUED after 2 s/, JSON.stringify(job));
  assert.match(job?.todo ?? "", /is the tailor worker running\?/);
});

test("a queue without its redrive policy fails its check with what to do; exit 1", async () => {
  const sqs = createSqsClient();
  const url = (stack as TestStack).info.queues.analyticsEvents.url;
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: "" } }));
  const r = await verify(["--timeout", "2"]);
  assert.is(r.code, 1, r.out);
  assert.match(
    r.out,
    new RegExp(`✗ queue ${queues.analyticsEvents.name.replace(".", "\\.")}: .*redrive target is none`),
  );
  assert.match(r.out, /what to do: restart the stack \("pnpm start"\)/);
});

test.run();
