/**
 * errorResponse: the domain errors a use case raises about one value it was
 * given (a page size, a cursor, an idempotency key) answer as the 400
 * VALIDATION_ERROR naming the request field that value came in — the same
 * answer the HTTP API gave when the use cases built it themselves — and a code
 * no HTTP answer carries is an internal error.
 */
import {
  CvpipeError,
  InvalidCursorError,
  InvalidIdempotencyKeyError,
  InvalidInputError,
  InvalidLimitError,
  VerificationError,
} from "@cvpipe/core/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { errorResponse } from "./api-response.ts";

const answer = (error: unknown) => {
  const response = errorResponse(error);
  return { status: response.statusCode, body: JSON.parse(String(response.body)) };
};

test("an invalid limit is a 400 naming query.limit with the range", () => {
  assert.equal(answer(new InvalidLimitError(1, 100)), {
    status: 400,
    body: {
      success: false,
      code: "VALIDATION_ERROR",
      error: "query.limit: must be an integer from 1 to 100",
      details: [{ path: "query.limit", rule: "range", message: "must be an integer from 1 to 100" }],
    },
  });
});

test("an invalid cursor is one 400 naming query.cursor, whatever the store said", () => {
  const expected = {
    status: 400,
    body: {
      success: false,
      code: "VALIDATION_ERROR",
      error: "query.cursor: is not a cursor returned by this listing; omit it to start over",
      details: [
        {
          path: "query.cursor",
          rule: "cursor",
          message: "is not a cursor returned by this listing; omit it to start over",
        },
      ],
    },
  };
  assert.equal(answer(new InvalidCursorError()), expected);
  assert.equal(answer(new InvalidCursorError("ExclusiveStartKey userKey does not match")), expected);
});

test("an invalid idempotency key is a 400 naming the header", () => {
  const { status, body } = answer(
    new InvalidIdempotencyKeyError("must be 1-255 printable ASCII characters, no spaces"),
  );
  assert.is(status, 400);
  assert.equal(body.details, [
    { path: "headers.idempotency-key", rule: "format", message: "must be 1-255 printable ASCII characters, no spaces" },
  ]);
});

test("a use case's refused inputs are one 400 naming the path or query parameter each travels in", () => {
  const { status, body } = answer(
    new InvalidInputError([
      { input: "version", rule: "integer", message: "must be a version number (1, 2, …)" },
      { input: "cvId", rule: "maxVersions", message: "this CV has 50 versions" },
      { input: "status", rule: "enum", message: "must be one of QUEUED, RUNNING" },
      { input: "userId", rule: "format", message: "is empty" },
    ]),
  );
  assert.is(status, 400);
  assert.is(body.code, "VALIDATION_ERROR");
  assert.equal(
    body.details.map((d: { path: string; rule: string }) => [d.path, d.rule]),
    [
      ["query.version", "integer"],
      ["path.cvId", "maxVersions"],
      ["query.status", "enum"],
      ["path.userId", "format"],
    ],
  );
  assert.match(body.error, /^query\.version: must be a version number/);
});

test("a code no HTTP answer carries (a worker's) is an internal error that says nothing", () => {
  for (const error of [
    new VerificationError("tailored CV contains an ungrounded claim: secret text", "UNGROUNDED_CLAIM", []),
    new CvpipeError("x", { code: "INVALID_CURSOR" }),
  ]) {
    assert.equal(answer(error), {
      status: 500,
      body: { success: false, code: "INTERNAL_ERROR", error: "internal error" },
    });
  }
});

test.run();
