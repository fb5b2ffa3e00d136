/** `cvpipe logs`' filters and flags, and the CloudWatch filter pattern a stage query becomes. */
import type { LogRecord } from "@cvpipe/local/stack-log-lines";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { UsageError } from "../stack-info.ts";
import { formatRecord, idFlag, levelFlag, matches, sinceFlag } from "./log-query.ts";
import { filterInput, filterPattern } from "./stage-logs.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const rec = (fields: Partial<LogRecord> & Record<string, unknown>): LogRecord => ({
  level: "INFO",
  message: "job processed",
  timestamp: "2026-11-18T09:59:00.000Z",
  fn: "tailor",
  ...fields,
});

test("id filters read the line's keys; every filter given must match", () => {
  const line = rec({ jobId: "j1", messageId: "m1", correlationId: "c1" });
  assert.ok(matches(line, { jobId: "j1" }));
  assert.ok(matches(line, { jobId: "j1", messageId: "m1", correlationId: "c1" }));
  assert.not.ok(matches(line, { jobId: "j2" }));
  assert.not.ok(matches(line, { jobId: "j1", messageId: "m2" }));
  assert.not.ok(matches(rec({ message: "mentions j1 in its text" }), { jobId: "j1" }), "a function line by key only");
});

test("the stack's own text lines match an id in their text", () => {
  const id = "2a17793c-6d05-8085-89df-db9c8f0921b3";
  const own = rec({ fn: "stack", message: `api GET /v1/jobs/${id} 200 4ms` });
  assert.ok(matches(own, { jobId: id }));
  assert.not.ok(matches(own, { jobId: "2a17793c-6d05-8085-89df-db9c8f0921b4" }));
  // Only as a whole path segment or word, and not a short id a caller chose: "1" is in every line.
  assert.not.ok(matches(own, { jobId: id.slice(0, 20) }), "inside another id");
  assert.not.ok(matches(own, { correlationId: "1" }));
});

test("--level is a least level; --since compares the line's timestamp", () => {
  assert.ok(matches(rec({ level: "ERROR" }), { level: "WARN" }));
  assert.ok(matches(rec({ level: "WARN" }), { level: "WARN" }));
  assert.not.ok(matches(rec({ level: "INFO" }), { level: "WARN" }));
  assert.ok(matches(rec({}), { since: new Date("2026-11-18T09:59:00Z") }));
  assert.not.ok(matches(rec({}), { since: new Date("2026-11-18T09:59:00.001Z") }));
  assert.not.ok(matches(rec({ timestamp: "not a time" }), { since: new Date(0) }));
});

test("flags: durations back from now, ISO times, levels any case; mistakes name the flag", () => {
  assert.equal(sinceFlag("15m", NOW), new Date("2026-11-18T09:45:00Z"));
  assert.equal(sinceFlag("2h", NOW), new Date("2026-11-18T08:00:00Z"));
  assert.equal(sinceFlag("1d", NOW), new Date("2026-11-17T10:00:00Z"));
  assert.equal(sinceFlag("2026-11-01T00:00:00Z", NOW), new Date("2026-11-01T00:00:00Z"));
  assert.is(sinceFlag(undefined, NOW), undefined);
  assert.throws(
    () => sinceFlag("yesterday", NOW),
    (e: Error) => e instanceof UsageError && /^--since:/.test(e.message),
  );
  assert.is(levelFlag("warn"), "WARN");
  assert.throws(
    () => levelFlag("SILENT"),
    (e: Error) => e instanceof UsageError && /^--level:/.test(e.message),
  );
  assert.is(idFlag("--job", "trace-4f2c:checkout/42"), "trace-4f2c:checkout/42");
  assert.throws(
    () => idFlag("--message", 'a"b'),
    (e: Error) => e instanceof UsageError && /^--message:/.test(e.message),
  );
  assert.throws(
    () => idFlag("--job", "a\\b"),
    (e: Error) => e instanceof UsageError,
  );
  assert.throws(
    () => idFlag("--job", "x".repeat(129)),
    (e: Error) => e instanceof UsageError,
  );
});

test("a person's line: time, level, function, message, then the ids, outcome and error it carries", () => {
  assert.is(
    formatRecord(rec({ jobId: "j1", messageId: "m1", correlationId: "c1", outcome: "succeeded" })),
    "2026-11-18T09:59:00.000Z  INFO   tailor     job processed  job=j1  message=m1  correlation=c1  outcome=succeeded",
  );
  assert.is(
    formatRecord(
      rec({
        level: "ERROR",
        message: "job failed",
        jobId: "j1",
        code: "MODEL_UNAVAILABLE",
        error: { name: "DependencyError", message: "down" },
      }),
    ),
    "2026-11-18T09:59:00.000Z  ERROR  tailor     job failed  job=j1  code=MODEL_UNAVAILABLE  error=DependencyError: down",
  );
});

test("stage: the filter pattern ANDs the ids and ORs the levels at or above --level", () => {
  assert.is(filterPattern({}), undefined);
  assert.is(filterPattern({ jobId: "j1" }), '{ ($.jobId = "j1") }');
  assert.is(
    filterPattern({ jobId: "j1", messageId: "m1", correlationId: "c1", level: "ERROR" }),
    '{ ($.jobId = "j1") && ($.messageId = "m1") && ($.correlationId = "c1") && ($.level = "ERROR" || $.level = "CRITICAL") }',
  );
  assert.equal(filterInput("/aws/lambda/cvpipe-prod-service-Tailor", { jobId: "j1", since: NOW }), {
    logGroupName: "/aws/lambda/cvpipe-prod-service-Tailor",
    filterPattern: '{ ($.jobId = "j1") }',
    startTime: NOW.getTime(),
  });
  assert.equal(filterInput("g", {}), { logGroupName: "g" });
});

test.run();
