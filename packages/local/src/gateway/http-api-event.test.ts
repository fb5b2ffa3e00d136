/**
 * The gateway's API Gateway event carries the time of the gateway's clock (the stack's, which tests
 * shift with `clockStart`), as the token check does: never the system's own, beside it.
 */
import type { IncomingMessage } from "node:http";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { toApiEvent } from "./http-api-event.ts";
import { matchRoute } from "./route-match.ts";

const request = {
  headers: { host: "127.0.0.1:3000", "user-agent": "test" },
  httpVersion: "1.1",
  socket: { remoteAddress: "127.0.0.1" },
} as unknown as IncomingMessage;

test("requestContext.time and timeEpoch are the clock's now", () => {
  const now = new Date("2030-03-04T05:06:07.890Z");
  const url = new URL("http://127.0.0.1:3000/v1/health");
  const matched = matchRoute("GET", url.pathname);
  assert.ok(matched, "GET /v1/health is a route");
  const event = toApiEvent(request, url, Buffer.alloc(0), matched, undefined, undefined, "req-1", {
    now: () => now,
  });
  assert.is(event.requestContext.timeEpoch, now.getTime());
  assert.is(event.requestContext.time, "04/Mar/2030:05:06:07 +0000");
  assert.is(event.requestContext.requestId, "req-1");
});

test.run();
