import { test } from "uvu";
import * as assert from "uvu/assert";
import { UnsafeKeyError } from "../keys.ts";
import { messageGroupId } from "./message-envelope.ts";

test("group ids: tenant#user, the tenant alone without a user — never the group of a user named '-'", () => {
  assert.is(messageGroupId("acme", "alice"), "acme#alice");
  assert.is(messageGroupId("acme", undefined), "acme");
  assert.is.not(messageGroupId("acme", "-"), messageGroupId("acme", undefined));
  assert.throws(
    () => messageGroupId("ac#me", "alice"),
    (e: unknown) => e instanceof UnsafeKeyError,
  );
});

test.run();
