import { api } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type ApiEvent, preferredWaitSeconds, scopesOf } from "./api-request.ts";

const withPrefer = (prefer?: string) =>
  ({ headers: prefer === undefined ? {} : { Prefer: prefer } }) as unknown as ApiEvent;

test("Prefer: wait=N is read as RFC 7240 writes it; anything else is no preference", () => {
  const cases: Array<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ["wait=10", 10],
    ["WAIT = 3", 3],
    ['wait="7"', 7],
    ["respond-async, wait=5", 5],
    ["handling=lenient; x=1, wait=2;foo", 2],
    ["wait=0", 0],
    [`wait=${api.maxPreferWaitSeconds + 100}`, api.maxPreferWaitSeconds],
    ["wait=soon", undefined],
    ["wait=-1", undefined],
    ["wait=1.5", undefined],
    ["wait", undefined],
    ["handling=strict", undefined],
  ];
  for (const [prefer, expected] of cases) assert.is(preferredWaitSeconds(withPrefer(prefer)), expected, String(prefer));
});

/** An event as API Gateway's JWT authorizer hands it over: the scopes it matched, and the token's claims as strings. */
const authorized = (jwt: { scopes?: string[] | null; claims?: Record<string, string> }, authorization?: string) =>
  ({
    headers: authorization === undefined ? {} : { authorization },
    requestContext: { authorizer: { jwt: { claims: {}, ...jwt } } },
  }) as unknown as ApiEvent;

test("a token's scopes are all it was granted, not only those the route's authorizer matched", () => {
  // API Gateway's jwt.scopes can hold just the route's matched scope; the token's scope claim holds the rest.
  const matchedOnly = authorized({
    scopes: ["cvpipe/jobs.write"],
    claims: { scope: "cvpipe/jobs.write cvpipe/cvs.read" },
  });
  assert.ok(scopesOf(matchedOnly).includes("cvpipe/cvs.read"));
  assert.ok(scopesOf(matchedOnly).includes("cvpipe/jobs.write"));
  // scp as API Gateway writes an array claim ("[a b]"), and no authorizer scopes at all.
  assert.equal(scopesOf(authorized({ scopes: null, claims: { scp: "[cvpipe/jobs.write cvpipe/cvs.read]" } })).sort(), [
    "cvpipe/cvs.read",
    "cvpipe/jobs.write",
  ]);
  // Scopes are separated by spaces only: a comma is part of a scope, not a second one.
  assert.not.ok(
    scopesOf(authorized({ claims: { scope: "cvpipe/jobs.write cvpipe/x,cvpipe/cvs.read" } })).includes(
      "cvpipe/cvs.read",
    ),
  );
  // Nothing granted: nothing read, whatever a header says (the authorizer's claims are the verified ones).
  const forged = `Bearer e30.${Buffer.from(JSON.stringify({ scope: "cvpipe/cvs.read" })).toString("base64url")}.sig`;
  assert.equal(scopesOf(authorized({ scopes: ["cvpipe/jobs.write"] }, forged)), ["cvpipe/jobs.write"]);
});

test.run();
