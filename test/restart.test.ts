/**
 * Restart persistence, with the stack as a real process (`pnpm start`'s entry)
 * stopped by SIGTERM: messages still queued at the stop are processed after the
 * next start, nothing is lost, nothing is processed twice, and a job finished
 * before the stop is still readable.
 */
import { rmSync } from "node:fs";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createSqsClient } from "@cvpipe/aws/clients";
import { tables } from "@cvpipe/core/topology";
import { readKeys } from "@cvpipe/local/jwt-keys";
import type { LocalSettings } from "@cvpipe/local/settings";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { readDepth } from "./support/queues.ts";
import { ApiClient, testSettings, until } from "./support/stack.ts";
import { readStackInfo } from "./support/stack-info.ts";
import { type StackProcess, spawnStack, waitReady } from "./support/stack-process.ts";

let settings: LocalSettings;

/** `pnpm start`'s entry as a child process, once it printed "ready;". */
const start = async (env: Record<string, string> = {}): Promise<StackProcess> => {
  const stack = spawnStack(settings, env);
  await waitReady(stack);
  return stack;
};

const api = () => new ApiClient(`http://127.0.0.1:${settings.apiPort}`, { keys: readKeys(settings.dataDir) });

const useEndpoints = () => {
  const info = readStackInfo(settings.dataDir);
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SQS: info.endpoints.sqs,
    AWS_ENDPOINT_URL_DYNAMODB: info.endpoints.dynamodb,
  });
  return info;
};

const body = fixture("http/post-job.valid.json");

test.before(async () => {
  settings = await testSettings();
});
test.after(() => rmSync(settings.dataDir, { recursive: true, force: true }));

test("queued work survives a stop; nothing lost, nothing twice; finished jobs stay readable", async () => {
  // Run 1: one job completes.
  let child = await start();
  const first = await api().request("POST", "/v1/jobs", { body });
  const done = await api().waitForJob(first.body.data.jobId);
  assert.is(done.status, "SUCCEEDED");
  assert.is(await child.stop(), 0, "graceful stop exits 0");

  // Run 2: workers paused; five jobs from two users wait on the queue when the stack stops.
  child = await start({ CVPIPE_WORKERS: "off" });
  const queued: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await api().request("POST", "/v1/jobs", { body, user: i % 2 === 0 ? "alice" : "bob" });
    assert.is(res.status, 202);
    queued.push(res.body.data.jobId);
  }
  const info = useEndpoints();
  const atStop = await readDepth(createSqsClient(), info.queues.tailoringJobs.url);
  assert.is(atStop.visible, 5, "five messages queued at the stop");
  assert.is(await child.stop(), 0);

  // Run 3: everything is processed exactly once.
  child = await start();
  try {
    for (const jobId of queued) {
      const job = await api().waitForJob(jobId, {
        user: queued.indexOf(jobId) % 2 === 0 ? "alice" : "bob",
        timeoutMs: 30_000,
      });
      assert.is(job.status, "SUCCEEDED", jobId);
      assert.is(job.attempts, 1, `${jobId} processed once`);
    }
    const before = await api().request("GET", `/v1/jobs/${first.body.data.jobId}`);
    assert.is(before.status, 200);
    assert.is(before.body.data.status, "SUCCEEDED");
    assert.is(before.body.data.result.resume.basics.name, "Dana Okafor");

    // One outcome event per job reaches the events table, no more.
    useEndpoints();
    const events = await until("six outcome events", async () => {
      const out = await createDocumentClient().send(
        new QueryCommand({
          TableName: tables.events.name,
          KeyConditionExpression: "tenantId = :t",
          ExpressionAttributeValues: { ":t": "acme" },
        }),
      );
      const outcomes = (out.Items ?? []).filter((i) => String(i["eventId"]).startsWith("tailoring-outcome-"));
      return outcomes.length >= 6 ? outcomes : undefined;
    });
    assert.is(events.length, 6);
    const depth = await readDepth(createSqsClient(), info.queues.tailoringJobs.url);
    assert.is(depth.visible, 0);
    assert.is(depth.notVisible, 0);
  } finally {
    await child.stop();
  }
});

test.run();
