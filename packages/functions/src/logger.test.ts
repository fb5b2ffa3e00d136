import { captureStdout } from "@cvpipe/core/testing/stdout";
import middy from "@middy/core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLogger, LAMBDA_INITIALIZATION_TYPE, withLambdaContext } from "./logger.ts";
import { lambdaContext } from "./testing/lambda-context.ts";

const context = (requestId: string) => lambdaContext(requestId, "cvpipe-prod-tailor");

/** The JSON lines Powertools writes to stdout while `fn` runs. */
const logLines = async (fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> => {
  const out = await captureStdout(fn);
  return out
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
};

test("the service name is the environment's, 'cvpipe' only when it has none", async () => {
  const env = { POWERTOOLS_LOG_LEVEL: "INFO", POWERTOOLS_SERVICE_NAME: "cvpipe-prod" };
  const [named] = await logLines(async () => createLogger("tailor", env).info("hello"));
  assert.is(named?.["service"], "cvpipe-prod");
  const [fallback] = await logLines(async () => createLogger("tailor", { POWERTOOLS_LOG_LEVEL: "INFO" }).info("x"));
  assert.is(fallback?.["service"], "cvpipe");
});

test("every line a handler logs carries the invocation's request id, function name and cold-start flag", async () => {
  process.env["POWERTOOLS_LOG_LEVEL"] = "INFO";
  const logger = createLogger("tailor");
  const handler = withLambdaContext(
    middy(async (event: { n: number }) => {
      logger.info("working", { n: event.n });
      return event.n;
    }),
    logger,
  );
  const lines = await logLines(async () => {
    await handler({ n: 1 }, context("req-1"));
    await handler({ n: 2 }, context("req-2"));
  });
  const working = lines.filter((l) => l["message"] === "working");
  assert.equal(
    working.map((l) => [l["function_request_id"], l["function_name"], l["fn"], typeof l["cold_start"]]),
    [
      ["req-1", "cvpipe-prod-tailor", "tailor", "boolean"],
      ["req-2", "cvpipe-prod-tailor", "tailor", "boolean"],
    ],
  );
  // Per-invocation keys do not leak into the next invocation's lines.
  assert.is(working[1]?.["n"], 2);
});

test("cold_start is true on an environment's first invocation and false after, as Lambda's on-demand runtime says it", async () => {
  process.env["POWERTOOLS_LOG_LEVEL"] = "INFO";
  process.env[LAMBDA_INITIALIZATION_TYPE.env] = LAMBDA_INITIALIZATION_TYPE.value;
  try {
    const logger = createLogger("tailor");
    const handler = withLambdaContext(
      middy(async () => logger.info("working")),
      logger,
    );
    const lines = await logLines(async () => {
      await handler({}, context("req-1"));
      await handler({}, context("req-2"));
    });
    assert.equal(
      lines.filter((l) => l["message"] === "working").map((l) => l["cold_start"]),
      [true, false],
    );
  } finally {
    delete process.env[LAMBDA_INITIALIZATION_TYPE.env];
  }
});

test("the invocation event (a CV, a posting) is never logged, even with POWERTOOLS_LOGGER_LOG_EVENT=true", async () => {
  process.env["POWERTOOLS_LOG_LEVEL"] = "DEBUG";
  process.env["POWERTOOLS_LOGGER_LOG_EVENT"] = "true";
  try {
    const logger = createLogger("ingress");
    const handler = withLambdaContext(
      middy(async (_event: { body: string }) => "done"),
      logger,
    );
    const out = await captureStdout(async () => {
      await handler({ body: '{"cv":"Dana Okafor, dana@example.org"}' }, context("req-3"));
    });
    assert.not.match(out, /Dana Okafor|dana@example\.org/);
  } finally {
    delete process.env["POWERTOOLS_LOGGER_LOG_EVENT"];
  }
});

test.run();
