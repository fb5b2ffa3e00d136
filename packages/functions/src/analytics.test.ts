/**
 * The analytics worker folds an invocation's records together (one batch) and
 * still answers for each record in its message group's order: a record that
 * fails holds the later records of its group (reported failed, though the batch
 * may have folded them: their redelivery is a duplicate), poison holds nothing,
 * other groups are done. Against dynalite, through the real handler.
 */
import { DynamoAggregateStore } from "@cvpipe/aws/analytics/dynamo-aggregate-store";
import { createTables, type DynamoEmulator, startDynalite } from "@cvpipe/aws/analytics/testing/emulators";
import { mergeAggregates } from "@cvpipe/core/analytics/aggregate";
import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import { CLOCK_OFFSET_ENV } from "@cvpipe/core/ports/clock";
import { sqsEvent, sqsRecord } from "@cvpipe/core/testing/sqs-record";
import { tables } from "@cvpipe/core/topology";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lambdaContext } from "./testing/lambda-context.ts";

const WEEK = "2026-W47";
const AT = "2026-11-18T10:00:00.000Z";
/** The worker's clock: an hour after the events were received (well inside the dedup window), whatever today is. */
const WORKER_NOW = Date.parse(AT) + 3_600_000;
let db: DynamoEmulator;
let handler: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

test.before(async () => {
  db = await startDynalite();
  await createTables(db.client, ["events", "aggregates", "deletions"]);
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    EVENTS_TABLE: tables.events.name,
    AGGREGATES_TABLE: tables.aggregates.name,
    DELETIONS_TABLE: tables.deletions.name,
    POWERTOOLS_LOG_LEVEL: "SILENT",
    // The functions' clock is the system's shifted by this offset (clockFromEnv), the one way in for a handler.
    [CLOCK_OFFSET_ENV]: String(WORKER_NOW - Date.now()),
  });
  // Read at first use, as a cold start would.
  handler = (await import("./analytics.ts")).handler as unknown as typeof handler;
});
test.after(async () => db?.close());

const event = (eventId: string, userId: string): string =>
  JSON.stringify({
    schema: "analytics-event.v1",
    tenantId: "t1",
    userId,
    source: "producer",
    receivedAt: AT,
    event: { eventId, type: "cv.downloaded", occurredAt: AT },
  } satisfies AnalyticsEventMessage);

const counted = async (): Promise<number> =>
  mergeAggregates(
    WEEK,
    await new DynamoAggregateStore(db.documentClient, {
      tableName: tables.aggregates.name,
      clock: { now: () => new Date(WORKER_NOW) },
    }).readWeek(WEEK),
  ).events;

test("one invocation: a failed record holds its group's later records; poison holds nothing; others are done", async () => {
  const records = [
    sqsRecord({ messageId: "a1", groupId: "t1#a", body: event("a1", "a") }),
    // Not a SequenceNumber: this record fails (retryably), so a3 behind it is held.
    sqsRecord({ messageId: "a2", groupId: "t1#a", body: event("a2", "a"), sequenceNumber: "not-a-number" }),
    sqsRecord({ messageId: "a3", groupId: "t1#a", body: event("a3", "a") }),
    sqsRecord({ messageId: "b1", groupId: "t1#b", body: event("b1", "b") }),
    sqsRecord({ messageId: "c1", groupId: "t1#c", body: "not json at all" }),
    sqsRecord({ messageId: "c2", groupId: "t1#c", body: event("c2", "c") }),
  ];
  const answer = await handler(sqsEvent(records), lambdaContext("req-1", "analytics"));
  assert.equal(answer.batchItemFailures.map((f) => f.itemIdentifier).sort(), ["a2", "a3", "c1"]);
  // a3 went in with the batch although it is reported failed: a1, a3, b1, c2.
  assert.is(await counted(), 4);

  // Redelivered (a2 now with its real SequenceNumber): all done, a3 counted once.
  const again = await handler(
    sqsEvent([
      sqsRecord({ messageId: "a2", groupId: "t1#a", body: event("a2", "a"), receiveCount: 2 }),
      sqsRecord({ messageId: "a3", groupId: "t1#a", body: event("a3", "a"), receiveCount: 2 }),
    ]),
    lambdaContext("req-2", "analytics"),
  );
  assert.equal(again.batchItemFailures, []);
  assert.is(await counted(), 5);
});

test("a redelivered batch is all duplicates: nothing counted twice", async () => {
  const records = ["d1", "d2", "d3"].map((id, i) =>
    sqsRecord({ messageId: id, groupId: `t1#u${i}`, body: event(id, `u${i}`) }),
  );
  const before = await counted();
  assert.equal((await handler(sqsEvent(records), lambdaContext("req-3", "analytics"))).batchItemFailures, []);
  assert.equal((await handler(sqsEvent(records), lambdaContext("req-4", "analytics"))).batchItemFailures, []);
  assert.is(await counted(), before + 3);
});

test("a record without its FIFO SequenceNumber or MessageGroupId is poison: not counted, holding nothing", async () => {
  const before = await counted();
  const noSequence = sqsRecord({ messageId: "e1", groupId: "t1#e", body: event("e1", "e") });
  delete (noSequence.attributes as { SequenceNumber?: string }).SequenceNumber;
  const noGroup = sqsRecord({ messageId: "f1", groupId: "t1#f", body: event("f1", "f") });
  delete (noGroup.attributes as { MessageGroupId?: string }).MessageGroupId;
  const records = [noSequence, sqsRecord({ messageId: "e2", groupId: "t1#e", body: event("e2", "e") }), noGroup];
  const answer = await handler(sqsEvent(records), lambdaContext("req-5", "analytics"));
  assert.equal(answer.batchItemFailures.map((f) => f.itemIdentifier).sort(), ["e1", "f1"]);
  assert.is(await counted(), before + 1, "only e2, which the poison e1 does not hold");
});

test.run();
