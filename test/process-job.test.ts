/**
 * processJob against a real DynamoDB protocol server (dynalite): overlapping
 * attempts, expired jobs, a missing claim check, and a redriven job's events.
 */

import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoEmulator } from "@cvpipe/aws/analytics/testing/emulators";
import type { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import { isRetractionEvent } from "@cvpipe/core/contracts/analytics-event";
import type { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { CvpipeError } from "@cvpipe/core/errors";
import { type JobRecord, userKey } from "@cvpipe/core/jobs/job-record";
import { jobMessage, queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import type { EngineOutput, TailoringEngine, TailorRequest } from "@cvpipe/core/tailoring/types";
import { tables } from "@cvpipe/core/topology";
import { expiresAt } from "@cvpipe/core/ttl";
import { type ProcessJobDeps, processJob } from "@cvpipe/functions/app/process-job";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MemoryBlobs, Outbox } from "./support/fakes.ts";
import { fixture } from "./support/fixtures.ts";
import { startJobStore } from "./support/job-store.ts";

const sample = fixture("http/post-job.valid.json");
const NOW = new Date("2026-11-18T10:00:00Z");
const clock = { now: () => NOW };
let db: DynamoEmulator;
let jobs: DynamoJobStore;

test.before(async () => {
  ({ db, jobs } = await startJobStore(clock));
});
test.after(async () => db?.close());

/** An engine that returns the CV as it is (always grounded), with the token usage it is given. */
const engine = (inputTokens: number, before?: () => Promise<void>): TailoringEngine => ({
  name: "local",
  async tailor(request: TailorRequest): Promise<EngineOutput> {
    await before?.();
    return { resume: request.cv, usage: { inputTokens, outputTokens: 1, totalTokens: inputTokens + 1 } };
  },
});

const deps = (over: Partial<ProcessJobDeps> & Pick<ProcessJobDeps, "engines">): ProcessJobDeps => ({
  jobs,
  blobs: new MemoryBlobs(),
  queue: new Outbox(),
  clock,
  bannedClaims: [],
  maxReceiveCount: 3,
  inlineResultLimitBytes: 400_000,
  logger: { warn: () => {}, error: () => {} },
  ...over,
});

const queued = async (jobId: string, over: Partial<JobRecord> = {}): Promise<TailoringJobMessage> => {
  const record = queuedJob(jobId, over, NOW);
  await db.documentClient.send(new PutCommand({ TableName: tables.jobs.name, Item: record }));
  return jobMessage(record, { cv: sample.cv, posting: sample.job, options: { engine: "local" } });
};

test("overlapping attempts: the slow older one writes nothing visible; result, blob and usage are the newer one's", async () => {
  const message = await queued("overlap-1");
  const blobs = new MemoryBlobs();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let tailoring!: () => void;
  const inEngine = new Promise<void>((r) => (tailoring = r));
  // Results go to S3 (limit 1 byte), where a late write used to replace the winner's object.
  const a = processJob(
    deps({
      blobs,
      inlineResultLimitBytes: 1,
      engines: {
        local: engine(111, async () => {
          tailoring();
          await gate;
        }),
      },
    }),
    message,
    { receiveCount: 1 },
  );
  await inEngine;
  // A's message became visible again (A overran); B takes the job over and finishes it.
  const bOutbox = new Outbox();
  const b = await processJob(
    deps({ blobs, queue: bOutbox, inlineResultLimitBytes: 1, engines: { local: engine(222) } }),
    message,
    { receiveCount: 2 },
  );
  assert.is(b, "succeeded");
  release();
  assert.is(await a, "superseded");
  const job = await jobs.get("acme", "overlap-1");
  assert.is(job?.status, "SUCCEEDED");
  assert.is(job?.attempts, 2);
  assert.is(job?.usage?.inputTokens, 222);
  const stored = JSON.parse(blobs.objects.get(job!.resultBlob!.key)!);
  assert.is(stored.usage.inputTokens, 222, "the blob the job points at is B's");
  assert.equal(
    bOutbox.events().map((e) => e.eventId),
    ["tailoring-outcome-overlap-1-2"],
  );
});

test("an older attempt's failure cannot overwrite a newer attempt's success", async () => {
  const message = await queued("overlap-2");
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let tailoring!: () => void;
  const inEngine = new Promise<void>((r) => (tailoring = r));
  const aOutbox = new Outbox();
  const a = processJob(
    deps({
      queue: aOutbox,
      engines: {
        local: {
          name: "local",
          tailor: async () => {
            tailoring();
            await gate;
            throw new CvpipeError("model output invalid", { code: "ENGINE_OUTPUT_INVALID" });
          },
        },
      },
    }),
    message,
    { receiveCount: 1 },
  );
  await inEngine;
  assert.is(await processJob(deps({ engines: { local: engine(5) } }), message, { receiveCount: 2 }), "succeeded");
  release();
  assert.is(await a, "superseded");
  assert.is((await jobs.get("acme", "overlap-2"))?.status, "SUCCEEDED");
  assert.equal(aOutbox.sent, [], "the loser publishes no outcome");
});

test("a redriven job that succeeds publishes the retraction of its failure, then its outcome", async () => {
  const message = await queued("redriven-1", {
    status: "FAILED",
    attempts: 3,
    finishedAt: "2026-11-18T09:59:40.000Z",
    error: { code: "ENGINE_UNAVAILABLE", message: "throttled", retryable: true },
  });
  const outbox = new Outbox();
  assert.is(
    await processJob(deps({ queue: outbox, engines: { local: engine(7) } }), message, { receiveCount: 1 }),
    "succeeded",
  );
  const events = outbox.events();
  assert.equal(
    events.map((e) => e.eventId),
    ["tailoring-retraction-redriven-1-3", "tailoring-outcome-redriven-1-4"],
  );
  const [retraction] = events;
  assert.ok(retraction && isRetractionEvent(retraction));
  assert.is(retraction.supersedes.outcome, "failed");
  assert.is(retraction.supersedes.eventId, "tailoring-outcome-redriven-1-3");
  // Every message of the job in its group, deduplicated by event id.
  assert.ok(outbox.sent.every((m) => m.groupId === "acme#alice" && m.deduplicationId.startsWith("tailoring-")));
});

test("an expired job is not run, whatever its status says", async () => {
  const message = await queued("expired-1", { expiresAt: Math.floor(NOW.getTime() / 1000) - 1 });
  const outbox = new Outbox();
  assert.is(
    await processJob(deps({ queue: outbox, engines: { local: engine(1) } }), message, { receiveCount: 1 }),
    "missing",
  );
  assert.equal(outbox.sent, []);
});

test("two requests racing to replace an expired job: exactly one creates it", async () => {
  const expired = Math.floor(NOW.getTime() / 1000) - 1;
  await queued("race-1", { expiresAt: expired, status: "SUCCEEDED" });
  const fresh = (hash: string): JobRecord => ({
    tenantId: "acme",
    jobId: "race-1",
    userId: "alice",
    userKey: userKey("acme", "alice"),
    status: "QUEUED",
    engine: "local",
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    expiresAt: expiresAt(NOW, 1),
    requestHash: hash,
    attempts: 0,
  });
  const outcomes = await Promise.all([jobs.create(fresh("first")), jobs.create(fresh("second"))]);
  assert.is(outcomes.filter((o) => o.created).length, 1, JSON.stringify(outcomes));
  const loser = outcomes.find((o) => !o.created);
  const stored = await jobs.get("acme", "race-1");
  assert.ok(loser && !loser.created && loser.existing.requestHash === stored?.requestHash);
});

test("a claim-check object that is gone fails the job permanently (no retries, no DLQ round trips)", async () => {
  const message: TailoringJobMessage = {
    ...(await queued("claim-gone")),
    input: { blob: { bucket: "payloads", key: "requests/acme/claim-gone.json", bytes: 10 } },
  };
  const outbox = new Outbox();
  const outcome = await processJob(deps({ queue: outbox, engines: { local: engine(1) } }), message, {
    receiveCount: 1,
  });
  assert.is(outcome, "failed");
  const job = await jobs.get("acme", "claim-gone");
  assert.is(job?.status, "FAILED");
  assert.is(job?.error?.code, "INPUT_MISSING");
  assert.is(job?.error?.retryable, false);
});

test.run();
