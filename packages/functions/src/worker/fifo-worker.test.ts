/**
 * fifoWorker and correlation ids: every line logged while a record is
 * processed carries its message id and the correlation id its message brought (and only that record's), a
 * malformed id is ignored, and the "record failed" line names it too.
 */
import { sqsRecord } from "@cvpipe/core/testing/sqs-record";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLogger, withLambdaContext } from "../logger.ts";
import { lambdaContext } from "../testing/lambda-context.ts";
import { captureLogLines } from "../testing/log-lines.ts";
import { fifoWorker, type RecordContext, recordCorrelationId } from "./fifo-worker.ts";

const record = (messageId: string, correlationId?: string): SQSRecord => ({
  ...sqsRecord({ messageId, groupId: messageId, body: "{}" }),
  messageAttributes:
    correlationId === undefined
      ? {}
      : {
          correlationId: { stringValue: correlationId, dataType: "String", stringListValues: [], binaryListValues: [] },
        },
});

test("a record's lines carry its message id and correlation id; the next record's do not inherit them", async () => {
  const logger = createLogger("tailor", { POWERTOOLS_LOG_LEVEL: "INFO" });
  const seen: RecordContext[] = [];
  const handler = withLambdaContext(
    fifoWorker("testWorker", logger, async (r, context) => {
      seen.push(context);
      // No messageId given: the worker adds the record's to each of its lines.
      logger.info("working");
      if (r.messageId === "m3") throw new Error("down");
    }),
    logger,
  );
  const batch = [record("m1", "corr-1"), record("m2"), record("m3", "corr-3"), record("m4", "bad id with spaces")];
  const lines = await captureLogLines(() => handler({ Records: batch } satisfies SQSEvent, lambdaContext("req-9")));
  const working = lines.filter((l) => l["message"] === "working");
  assert.equal(
    working.map((l) => [l["messageId"], l["correlationId"], l["function_request_id"]]),
    [
      ["m1", "corr-1", "req-9"],
      ["m2", undefined, "req-9"],
      ["m3", "corr-3", "req-9"],
      ["m4", undefined, "req-9"],
    ],
  );
  assert.equal(seen, [{ correlationId: "corr-1" }, {}, { correlationId: "corr-3" }, {}]);
  const failed = lines.filter((l) => l["message"] === "record failed; it will be redelivered");
  assert.equal(
    failed.map((l) => [l["messageId"], l["correlationId"]]),
    [["m3", "corr-3"]],
  );
});

test("recordCorrelationId: well-formed ids only", () => {
  assert.is(recordCorrelationId(record("a", "Ab1cdEfGHIjKlMn=")), "Ab1cdEfGHIjKlMn=");
  assert.is(recordCorrelationId(record("b", "x".repeat(128))), "x".repeat(128));
  assert.is(recordCorrelationId(record("c", "x".repeat(129))), undefined);
  assert.is(recordCorrelationId(record("d", "line\nbreak")), undefined);
  assert.is(recordCorrelationId(record("e", "")), undefined);
  assert.is(recordCorrelationId(record("f")), undefined);
});

test.run();
