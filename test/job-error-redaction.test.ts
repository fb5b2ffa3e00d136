/**
 * Issue 9 item 7: a failed job tells its tenant a code and a generic message;
 * what the engine or a dependency said (role ARNs, account ids, bucket keys)
 * goes to the logs only. processJob against dynalite, as in process-job.test.ts.
 */

import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoEmulator } from "@cvpipe/aws/analytics/testing/emulators";
import type { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import type { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { CvpipeError, DependencyError } from "@cvpipe/core/errors";
import { type JobRecord, userKey } from "@cvpipe/core/jobs/job-record";
import { jobMessage, queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import type { TailoringEngine } from "@cvpipe/core/tailoring/types";
import { tables } from "@cvpipe/core/topology";
import { expiresAt } from "@cvpipe/core/ttl";
import { jobView } from "@cvpipe/functions/app/job-view";
import { type ProcessJobDeps, processJob } from "@cvpipe/functions/app/process-job";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MemoryBlobs, Outbox } from "./support/fakes.ts";
import { fixture } from "./support/fixtures.ts";
import { startJobStore } from "./support/job-store.ts";

const sample = fixture("http/post-job.valid.json");
const NOW = new Date("2026-11-18T10:00:00Z");
const clock = { now: () => NOW };
const ARN = "arn:aws:sts::123456789012:assumed-role/cvpipe-prod-TailorFunctionRole-1A2B3C/cvpipe-tailor";
const LEAKS = /arn:aws|123456789012|TailorFunctionRole|requests\/acme/;
let db: DynamoEmulator;
let jobs: DynamoJobStore;

test.before(async () => {
  ({ db, jobs } = await startJobStore(clock));
});
test.after(async () => db?.close());

/** Counts what the use case logs, as middy's tests count logger calls. */
const recordingLogger = () => {
  const lines: Array<{ level: string; message: string; extra: unknown }> = [];
  const at = (level: string) => (message: string, extra?: unknown) => lines.push({ level, message, extra });
  return { lines, logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } };
};

const failing = (error: unknown): TailoringEngine => ({
  name: "local",
  async tailor() {
    throw error;
  },
});

const queued = async (jobId: string, input?: TailoringJobMessage["input"]): Promise<TailoringJobMessage> => {
  const record = queuedJob(jobId, {}, NOW);
  await db.documentClient.send(new PutCommand({ TableName: tables.jobs.name, Item: record }));
  return jobMessage(record, input ?? { cv: sample.cv, posting: sample.job, options: { engine: "local" } });
};

const run = async (jobId: string, engine: TailoringEngine, input?: TailoringJobMessage["input"]) => {
  const { lines, logger } = recordingLogger();
  const deps = {
    jobs,
    blobs: new MemoryBlobs(),
    queue: new Outbox(),
    clock,
    engines: { local: engine },
    bannedClaims: [],
    maxReceiveCount: 3,
    inlineResultLimitBytes: 400_000,
    logger,
  } satisfies ProcessJobDeps;
  const message = await queued(jobId, input);
  // The last attempt: the failure is recorded on the job (and the message goes on to the DLQ).
  await processJob(deps, message, { receiveCount: 3 }).catch(() => undefined);
  const record = await jobs.get("acme", jobId);
  if (!record) throw new Error(`job ${jobId} vanished`);
  return { record, lines, view: await jobView(record, deps.blobs) };
};

test("a dependency error carrying a role ARN: the job says DEPENDENCY_UNAVAILABLE and a generic message; the log has the ARN", async () => {
  const denied = Object.assign(new Error(`User: ${ARN} is not authorized to perform: bedrock:InvokeModel`), {
    name: "AccessDeniedException",
  });
  const { record, lines, view } = await run(
    "redact-1",
    failing(new DependencyError(`Bedrock InvokeModel failed: AccessDeniedException: ${denied.message}`, denied)),
  );
  assert.is(record.status, "FAILED");
  assert.is(record.error?.code, "DEPENDENCY_UNAVAILABLE");
  assert.is(record.error?.retryable, true, "still redrivable");
  assert.not.match(JSON.stringify(record.error), LEAKS);
  assert.not.match(JSON.stringify(view), LEAKS);
  assert.ok((record.error?.message ?? "").length > 10, "a message a person can read");
  const logged = lines.filter((l) => l.level === "error" || l.level === "warn");
  assert.is(logged.length, 1, JSON.stringify(lines));
  assert.match(JSON.stringify(logged[0]), /123456789012/);
  assert.match(JSON.stringify(logged[0]), /redact-1/, "the log line names the job");
});

test("an unexpected error (not a CvpipeError) shows INTERNAL_ERROR; its message is logged, not stored", async () => {
  const { record, lines } = await run("redact-2", failing(new TypeError(`cannot read ${ARN}`)));
  assert.is(record.error?.code, "INTERNAL_ERROR");
  assert.not.match(JSON.stringify(record.error), LEAKS);
  assert.match(JSON.stringify(lines), /123456789012/);
});

test("a missing claim check: INPUT_MISSING without the bucket key in the job", async () => {
  // The engine is never reached (the input is missing first); if it were, its error would not be INPUT_MISSING.
  const unreached = failing(new Error("the engine ran although the input is missing"));
  const { record, view } = await run("redact-3", unreached, {
    blob: { bucket: "cvpipe-payloads-prod-123456789012-eu-west-1", key: "requests/acme/redact-3.json", bytes: 5 },
  });
  assert.is(record.error?.code, "INPUT_MISSING");
  assert.not.match(JSON.stringify(view), LEAKS);
});

test("details meant for the producer stay: the engine's invalid output and grounding violations", async () => {
  const violation = { code: "UNGROUNDED_CLAIM", path: "work[0].highlights[0]", text: "Led 40 engineers", reason: "x" };
  const { record } = await run(
    "redact-4",
    failing(
      new CvpipeError(`verification failed at ${ARN}`, {
        code: "UNGROUNDED_CLAIM",
        details: { violations: [violation] },
      }),
    ),
  );
  assert.is(record.error?.code, "UNGROUNDED_CLAIM");
  assert.equal(record.error?.details, { violations: [violation] });
  assert.not.match(record.error?.message ?? "", LEAKS);
});

test("a job stored before the fix, with a full dependency message, is shown with the generic one", async () => {
  const old: JobRecord = {
    tenantId: "acme",
    jobId: "redact-5",
    userId: "alice",
    userKey: userKey("acme", "alice"),
    status: "FAILED",
    engine: "bedrock",
    createdAt: "2026-11-18T09:59:00.000Z",
    updatedAt: "2026-11-18T09:59:30.000Z",
    expiresAt: expiresAt(NOW, 1),
    requestHash: "h",
    attempts: 3,
    error: {
      code: "DEPENDENCY_UNAVAILABLE",
      message: `Bedrock InvokeModel failed: AccessDeniedException: User: ${ARN}`,
      retryable: true,
      details: { key: "requests/acme/redact-5.json" },
    },
  };
  const view = await jobView(old, new MemoryBlobs());
  assert.is(view.error?.code, "DEPENDENCY_UNAVAILABLE");
  assert.not.match(JSON.stringify(view), LEAKS);
});

test.run();
