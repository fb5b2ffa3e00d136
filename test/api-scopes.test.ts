/**
 * OAuth scopes through the real local gateway and the real ingress handler:
 * each token shape can do exactly what its scopes allow (any one of a route's
 * scopes suffices, as with API Gateway's authorizationScopes); a missing scope
 * is API Gateway's 403 `{"message":"Forbidden"}`; health and the OpenAPI
 * document stay public. `cvpipe token` mints the producer's scopes by default
 * and others with --scope.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { mintToken } from "@cvpipe/local/jwt-keys";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { repoRoot, startTestStack, type TestStack } from "./support/stack.ts";

const exec = promisify(execFile);
let stack: TestStack;
/** The stack's clock: the events fixture is dated just before it, whatever today is. */
const START = new Date("2026-11-18T10:00:00Z");

test.before(async () => {
  stack = await startTestStack({ pollers: false, clockStart: START });
});
test.after(async () => stack?.close());

type Action = "submit" | "list" | "get" | "events" | "upload" | "cvs";
const ALL: readonly Action[] = ["submit", "list", "get", "events", "upload", "cvs"];

interface Shape {
  readonly name: string;
  readonly claims: Record<string, unknown>;
  readonly may: readonly Action[];
}

const shapes: readonly Shape[] = [
  {
    name: "producer",
    claims: { scope: "cvpipe/jobs.write cvpipe/jobs.read cvpipe/events.write cvpipe/cvs.write cvpipe/cvs.read" },
    may: ["submit", "list", "get", "events", "upload", "cvs"],
  },
  { name: "library", claims: { scope: "cvpipe/cvs.write cvpipe/cvs.read" }, may: ["upload", "cvs"] },
  { name: "library-reader", claims: { scope: "cvpipe/cvs.read" }, may: ["cvs"] },
  { name: "submitter", claims: { scope: "cvpipe/jobs.write" }, may: ["submit"] },
  { name: "reader", claims: { scope: "cvpipe/jobs.read" }, may: ["list", "get"] },
  { name: "events", claims: { scope: "cvpipe/events.write" }, may: ["events"] },
  { name: "noscope", claims: {}, may: [] },
  { name: "empty", claims: { scope: "" }, may: [] },
  // The scopes tokens carried before scopes were enforced, and an ID token's: none is one of ours.
  { name: "legacy", claims: { scope: "cvpipe/jobs cvpipe/events openid profile" }, may: [] },
  { name: "scp", claims: { scp: ["cvpipe/jobs.read", "cvpipe/events.write"] }, may: ["list", "get", "events"] },
];

/** The stack's "now", which the gateway checks tokens against. */
const stackNow = () => clockFromEnv(process.env).now();

const token = (user: string, claims: Record<string, unknown>) =>
  mintToken(stack.keys, { tenantId: "scopes", userId: user, scopes: [], extraClaims: claims, now: stackNow() });

/** Runs one action with the token; the job `jobId` exists and belongs to the same user. */
const attempt = async (action: Action, bearer: string, jobId: string) => {
  const auth = { token: bearer };
  switch (action) {
    case "submit":
      return stack.api.request("POST", "/v1/jobs", { ...auth, body: fixture("http/post-job.valid.json") });
    case "list":
      return stack.api.request("GET", "/v1/jobs", auth);
    case "get":
      return stack.api.request("GET", `/v1/jobs/${jobId}`, auth);
    case "events":
      return stack.api.request("POST", "/v1/events", { ...auth, body: fixture("http/post-events.valid.json") });
    case "upload":
      return stack.api.request("POST", "/v1/cvs", { ...auth, body: { cv: fixture("http/post-job.valid.json").cv } });
    case "cvs":
      return stack.api.request("GET", "/v1/cvs", auth);
  }
};
const allowedStatus: Record<Action, number> = { submit: 202, list: 200, get: 200, events: 202, upload: 201, cvs: 200 };

for (const shape of shapes) {
  test(`scopes: the ${shape.name} token can do exactly ${shape.may.join(", ") || "nothing"}`, async () => {
    const user = `user-${shape.name}`;
    const seeded = await stack.api.request("POST", "/v1/jobs", {
      body: fixture("http/post-job.valid.json"),
      tenant: "scopes",
      user,
    });
    assert.is(seeded.status, 202, "the default test token (a producer's) submits");
    const jobId: string = seeded.body.data.jobId;
    const bearer = await token(user, shape.claims);
    for (const action of ALL) {
      const res = await attempt(action, bearer, jobId);
      if (shape.may.includes(action)) {
        assert.is(res.status, allowedStatus[action], `${shape.name} may ${action}: ${JSON.stringify(res.body)}`);
      } else {
        assert.is(res.status, 403, `${shape.name} may not ${action}`);
        assert.equal(res.body, { message: "Forbidden" });
        assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer error="insufficient_scope"/);
      }
    }
    // A refused submission never reached the handler: the user has the seeded job, plus one if submitting was allowed.
    const list = await stack.api.request("GET", "/v1/jobs", { tenant: "scopes", user });
    assert.is(list.status, 200);
    assert.is(list.body.data.items.length, shape.may.includes("submit") ? 2 : 1);
  });
}

test("scopes: health and the OpenAPI document need no token at all", async () => {
  assert.is((await stack.api.request("GET", "/v1/health", { token: null })).status, 200);
  assert.is((await stack.api.request("GET", "/v1/openapi.json", { token: null })).status, 200);
});

test("scopes: an invalid token is a 401 even where its scopes would not do (validation comes first)", async () => {
  const expired = await mintToken(stack.keys, {
    tenantId: "scopes",
    userId: "late",
    ttlSeconds: -60,
    extraClaims: { scope: "cvpipe/events.write" },
    now: stackNow(),
  });
  const res = await stack.api.request("POST", "/v1/jobs", {
    token: expired,
    body: fixture("http/post-job.valid.json"),
  });
  assert.is(res.status, 401);
  assert.equal(res.body, { message: "Unauthorized" });
});

const cvpipe = (args: string[]) =>
  exec(process.execPath, [join(repoRoot, "packages/cli/src/cvpipe.ts"), ...args], {
    env: { ...process.env, CVPIPE_DATA_DIR: stack.info.dataDir },
  }).then(
    (r) => ({ code: 0, out: r.stdout.trim(), err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout.trim(), err: e.stderr }),
  );

const scopesOf = (jwt: string): unknown =>
  (JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as { scope?: unknown }).scope;

test("cvpipe token: the producer's scopes by default (the README's examples work); --scope mints fewer", async () => {
  const producer = await cvpipe(["token", "--tenant", "acme", "--user", "alice"]);
  assert.is(producer.code, 0, producer.err);
  assert.is(
    scopesOf(producer.out),
    "cvpipe/jobs.write cvpipe/jobs.read cvpipe/events.write cvpipe/cvs.write cvpipe/cvs.read cvpipe/users.delete",
  );
  const submitted = await stack.api.request("POST", "/v1/jobs", {
    token: producer.out,
    body: fixture("http/post-job.valid.json"),
  });
  assert.is(submitted.status, 202);
  assert.is(
    (await stack.api.request("GET", `/v1/jobs/${submitted.body.data.jobId}`, { token: producer.out })).status,
    200,
  );

  const reader = await cvpipe(["token", "--tenant", "acme", "--user", "alice", "--scope", "cvpipe/jobs.read"]);
  assert.is(reader.code, 0, reader.err);
  assert.is(scopesOf(reader.out), "cvpipe/jobs.read");
  assert.is((await stack.api.request("GET", "/v1/jobs", { token: reader.out })).status, 200);
  assert.is(
    (await stack.api.request("POST", "/v1/jobs", { token: reader.out, body: fixture("http/post-job.valid.json") }))
      .status,
    403,
  );

  const two = await cvpipe([
    "token",
    "--tenant",
    "acme",
    "--user",
    "alice",
    "--scope",
    "cvpipe/jobs.read",
    "--scope",
    "cvpipe/events.write",
  ]);
  assert.is(two.code, 0, two.err);
  assert.is(scopesOf(two.out), "cvpipe/jobs.read cvpipe/events.write");

  const unknown = await cvpipe(["token", "--tenant", "acme", "--user", "alice", "--scope", "cvpipe/admin"]);
  assert.is(unknown.code, 2);
  assert.match(
    unknown.err,
    /--scope "cvpipe\/admin" is not one of cvpipe\/jobs\.write, cvpipe\/jobs\.read, cvpipe\/events\.write/,
  );
});

test.run();
