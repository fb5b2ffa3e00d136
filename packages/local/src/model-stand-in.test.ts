import { test } from "uvu";
import * as assert from "uvu/assert";
import { estimateUsage, modelReplies, Unanswerable } from "./model-stand-in.ts";

const throttledTwice = () => ({ scenario: { kind: "throttled", times: 2 } as const, key: "m" });

test("scripted replies come first, one per request, and the scenario is not read for them", () => {
  const replies = modelReplies<string>();
  replies.script("a", "b");
  const unread = () => {
    throw new Error("scenario read");
  };
  assert.equal(replies.next(unread, unread), { kind: "reply", reply: "a" });
  assert.equal(replies.next(unread, unread), { kind: "reply", reply: "b" });
  assert.equal(
    replies.next(throttledTwice, () => "good"),
    { kind: "throttled" },
  );
});

test("throttled-<n> answers n requests of a key 429, then the answer; other keys count apart", () => {
  const replies = modelReplies<string>();
  const turns = [1, 2, 3].map(() => replies.next(throttledTwice, () => "good").kind);
  assert.equal(turns, ["throttled", "throttled", "reply"]);
  const other = () => ({ scenario: { kind: "throttled", times: 1 } as const, key: "n" });
  assert.is(replies.next(other, () => "good").kind, "throttled");
  assert.is(
    replies.next(
      () => ({ scenario: { kind: "throttled" }, key: "m" }),
      () => "x",
    ).kind,
    "throttled",
  );
});

test("unavailable, and an answer that cannot be made (its message kept)", () => {
  const replies = modelReplies<string>();
  assert.equal(
    replies.next(
      () => ({ scenario: { kind: "unavailable" }, key: "m" }),
      () => "x",
    ),
    {
      kind: "unavailable",
    },
  );
  const cannot = () => {
    throw new Unanswerable("no <cv> in the prompt");
  };
  assert.equal(
    replies.next(() => ({ scenario: { kind: "good" }, key: "m" }), cannot),
    {
      kind: "unanswerable",
      message: "no <cv> in the prompt",
    },
  );
});

test("an unexpected exception while answering is not the request's fault: it is thrown on, not made a 400", () => {
  const replies = modelReplies<string>();
  const broken = (): string => {
    throw new TypeError("Cannot read properties of null (reading 'role')");
  };
  assert.throws(
    () => replies.next(() => ({ scenario: { kind: "good" }, key: "m" }), broken),
    (error: Error) => error instanceof TypeError,
  );
});

test("usage: about four characters a token, rounded up", () => {
  assert.equal(estimateUsage("12345", "1234"), { inputTokens: 2, outputTokens: 1, totalTokens: 3 });
});

test.run();
