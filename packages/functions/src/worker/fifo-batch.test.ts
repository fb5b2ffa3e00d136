import { PoisonMessageError } from "@cvpipe/core/errors";
import { sqsRecord } from "@cvpipe/core/testing/sqs-record";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLogger } from "../logger.ts";
import { lambdaContext } from "../testing/lambda-context.ts";
import { processFifoBatch, SkippedAfterGroupFailure } from "./fifo-batch.ts";
import { fifoWorker, poisonReleases, type WorkerAnswer } from "./fifo-worker.ts";

const record = (messageId: string, group: string): SQSRecord =>
  sqsRecord({ messageId, groupId: group, body: JSON.stringify({ id: messageId }) });

const batch = [record("A1", "A"), record("A2", "A"), record("B1", "B"), record("A3", "A")];

/** What Lambda reads: the middleware's SQSBatchResponse (fails the test on the worker's inner answer). */
const batchResponse = (answer: WorkerAnswer): SQSBatchResponse => {
  if (Array.isArray(answer)) throw new Error("the handler answered the worker's settled results, not a batch response");
  return answer;
};

test("[A1, A2, B1, A3] with A2 failing: batchItemFailures are exactly A2 and A3", async () => {
  process.env["POWERTOOLS_LOG_LEVEL"] = "SILENT";
  const attempted: string[] = [];
  const handler = fifoWorker("testWorker", createLogger("test"), async (r) => {
    attempted.push(r.messageId);
    if (r.messageId === "A2") throw new Error("boom");
  });
  const response = await handler({ Records: batch } as SQSEvent, lambdaContext());
  assert.equal(response, { batchItemFailures: [{ itemIdentifier: "A2" }, { itemIdentifier: "A3" }] });
  assert.equal(attempted, ["A1", "A2", "B1"], "A3 is never attempted after A2 fails");
});

test("all succeed: no failures", async () => {
  const handler = fifoWorker("ok", createLogger("test"), async () => {});
  assert.equal(await handler({ Records: batch } as SQSEvent, lambdaContext()), { batchItemFailures: [] });
});

test("a failing first record of group B leaves group A untouched", async () => {
  const results = await processFifoBatch(batch, async (r) => {
    if (r.messageId === "B1") throw new Error("B down");
  });
  assert.equal(
    results.map((r) => r.status),
    ["fulfilled", "fulfilled", "rejected", "fulfilled"],
  );
});

test("skipped records say which message failed first", async () => {
  const results = await processFifoBatch(batch, async (r) => {
    if (r.messageId === "A1") throw new Error("first");
  });
  const skipped = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").slice(1);
  assert.is(skipped.length, 2);
  for (const s of skipped) {
    assert.instance(s.reason, SkippedAfterGroupFailure);
    assert.match((s.reason as Error).message, "A1");
  }
});

test("a poison record does not hold its group, and is released at once; a retryable failure does hold", async () => {
  const released: string[][] = [];
  const attempted: string[] = [];
  const handler = fifoWorker(
    "poisonWorker",
    createLogger("test"),
    async (r) => {
      attempted.push(r.messageId);
      if (r.messageId === "A2") throw new PoisonMessageError("bad body");
      if (r.messageId === "B1") throw new Error("DynamoDB down");
    },
    () => async (_arn, handles) => {
      released.push([...handles]);
    },
  );
  const response = batchResponse(
    await handler({ Records: [...batch, record("B2", "B")] } as SQSEvent, lambdaContext()),
  );
  assert.equal(
    response.batchItemFailures.map((f) => f.itemIdentifier),
    ["A2", "B1", "B2"],
  );
  assert.equal(attempted, ["A1", "A2", "B1", "A3"], "A3 runs after the poison A2; B2 waits behind B1");
  assert.equal(released, [[batch[1]!.receiptHandle]], "only the poison record skips its visibility timeout");
});

test("no release without poison", () => {
  const results: PromiseSettledResult<void>[] = batch.map(() => ({ status: "rejected", reason: new Error("x") }));
  assert.equal(poisonReleases(batch, results), []);
});

test.run();
