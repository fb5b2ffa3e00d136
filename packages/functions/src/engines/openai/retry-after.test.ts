import { test } from "uvu";
import * as assert from "uvu/assert";
import { retryAfterMs } from "./retry-after.ts";

const now = Date.parse("2026-03-02T10:00:00Z");

test("delay seconds, capped", () => {
  assert.is(retryAfterMs("2", now, 20_000), 2_000);
  assert.is(retryAfterMs(" 0 ", now, 20_000), 0);
  assert.is(retryAfterMs("3600", now, 20_000), 20_000);
});

test("an HTTP date, against the given clock; one already past is 0", () => {
  assert.is(retryAfterMs("Mon, 02 Mar 2026 10:00:05 GMT", now, 20_000), 5_000);
  assert.is(retryAfterMs("Mon, 02 Mar 2026 09:59:00 GMT", now, 20_000), 0);
  assert.is(retryAfterMs("Mon, 02 Mar 2026 11:00:00 GMT", now, 20_000), 20_000);
  assert.is(retryAfterMs("Monday, 02-Mar-26 10:00:03 GMT", now, 20_000), 3_000, "RFC 850");
});

test("absent or unreadable: undefined (the caller backs off by itself)", () => {
  for (const value of [undefined, null, "", "soon", "-1", "1.5"]) {
    assert.is(retryAfterMs(value, now, 20_000), undefined, String(value));
  }
});

test.run();
