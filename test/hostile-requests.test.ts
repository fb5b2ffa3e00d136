/**
 * Hostile requests through real HTTP on the embedded stack — the attacks of the
 * issue-9 security review, kept as regressions: no 5xx and no oversized answer
 * from content, per-user isolation, identity claims that cannot escape a key
 * prefix, a gateway as strict as API Gateway's JWT authorizer, opaque cursors,
 * owner-only state, FIFO group ids within SQS's limit.
 */
import { createPrivateKey, sign as cryptoSign, randomUUID } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { createSqsClient } from "@cvpipe/aws/clients";
import { identityProblem } from "@cvpipe/core/contracts/identity";
import { messageGroupId } from "@cvpipe/core/contracts/message-envelope";
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from "@cvpipe/local/jwt-keys";
import { STACK_INFO_FILE } from "@cvpipe/local/stack";
import { base64url, CompactSign, importJWK, SignJWT } from "jose";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkedFetch } from "./support/answer-contract.ts";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

const MiB = 1_048_576;
const START = new Date("2026-11-18T10:00:00Z");
const LAMBDA_LIMIT = 6 * 1024 * 1024;
/** AWS SQS: "The length of MessageGroupId is 128 characters" (SendMessage reference). */
const SQS_MAX_GROUP_ID = 128;

let stack: TestStack;
test.before(async () => {
  stack = await startTestStack({ clockStart: START });
});
test.after(async () => stack?.close());

interface Raw {
  status: number;
  text: string;
  bytes: number;
  headers: Record<string, string>;
}
const raw = async (
  method: string,
  path: string,
  token: string | null,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Raw> => {
  const res = await checkedFetch(`${stack.info.apiUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  const h: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k !== "date") h[k] = v;
  });
  return { status: res.status, text, bytes: Buffer.byteLength(text), headers: h };
};

// ---------------------------------------------------------------- claim 2: no 5xx from content

test("POST /v1/events, 1 MiB body with one property key of 524k '\"': a small 400, not a 500", async () => {
  const pre = '{"events":[{"eventId":"e1","type":"cv.viewed","occurredAt":"2026-11-17T00:00:00Z","properties":{"';
  const post = '":1}}]}';
  const n = Math.floor((MiB - pre.length - post.length) / 2);
  const body = pre + '\\"'.repeat(n) + post;
  assert.ok(Buffer.byteLength(body) <= MiB);
  const res = await raw("POST", "/v1/events", await stack.api.token("t2", "u2"), body);
  // The key (> 64 chars) is echoed in the issue path via JSON.stringify (x2), then in the summary and details
  // (x2), then escaped by the envelope (x2) and the Lambda payload (x2): ~9 MB > 6 MB → the last-line-of-defence 500.
  assert.ok(res.status < 500, `status ${res.status}: ${res.text.slice(0, 120)}`);
});

test('POST /v1/jobs, 800 KB body {"<400k quotes>": [[[…40 deep]]]}: a 400, not a 500', async () => {
  const deep = "[".repeat(40) + "]".repeat(40);
  const body = `{"${'\\"'.repeat(400_000)}":${deep}}`;
  assert.ok(Buffer.byteLength(body) < 0.8 * MiB);
  const res = await raw("POST", "/v1/jobs", await stack.api.token("t2", "u2"), body);
  // jsonLimitIssues' max_depth path carries the key JSON-stringified; 600 KB of it answers a 2.4 MB 400.
  assert.ok(res.status < 500, `status ${res.status}: ${res.text.slice(0, 120)}`);
});

test("a 600 KB body of the same shape answers a small 400: the answer's size does not follow the key's", async () => {
  const deep = "[".repeat(40) + "]".repeat(40);
  const body = `{"${'\\"'.repeat(300_000)}":${deep}}`;
  const res = await raw("POST", "/v1/jobs", await stack.api.token("t2", "u2"), body);
  assert.is(res.status, 400);
  assert.ok(res.bytes < 20_000, `${res.bytes} bytes`);
});

test("a huge object key in a CV is refused at the door (it made the verifier quadratic and ran the worker out of memory)", async () => {
  const cv = { ...fixture("http/post-job.valid.json").cv, ["k".repeat(100_000)]: Array(2_000).fill("x") };
  const res = await raw(
    "POST",
    "/v1/jobs",
    await stack.api.token("t3", "u3"),
    JSON.stringify({ ...fixture("http/post-job.valid.json"), cv }),
  );
  assert.is(res.status, 400, res.text.slice(0, 200));
  const body = JSON.parse(res.text);
  assert.ok(
    body.details.some((d: { rule: string }) => d.rule === "max_key_length"),
    res.text.slice(0, 300),
  );
  assert.ok(res.bytes < 20_000);
});

test("more than 30 combining marks in a row (Unicode's stream-safe limit) are refused in any field, CV text or posting", async () => {
  const marks = `a${"\u0300\u0316".repeat(40)}`;
  const token = await stack.api.token("t3", "u3");
  const base = fixture("http/post-job.valid.json");
  for (const body of [
    { ...base, cv: { ...base.cv, basics: { ...base.cv.basics, summary: marks } } },
    { ...base, cv: `# Jo Li\n\n## Experience\n\n- ${marks} at Acme for years\n` },
    { ...base, job: { ...base.job, description: `${base.job.description} ${marks}` } },
  ]) {
    const res = await raw("POST", "/v1/jobs", token, JSON.stringify(body));
    assert.is(res.status, 400, res.text.slice(0, 200));
    assert.ok(
      JSON.parse(res.text).details.some((d: { rule: string }) => d.rule === "combining_marks"),
      res.text.slice(0, 300),
    );
  }
  // 30 in a row is still fine (and real text never comes close).
  const ok = `a${"\u0300".repeat(30)}`;
  const fine = await raw(
    "POST",
    "/v1/jobs",
    token,
    JSON.stringify({ ...base, cv: { ...base.cv, basics: { ...base.cv.basics, summary: ok } } }),
  );
  assert.is(fine.status, 202, fine.text.slice(0, 200));
});

test("deep nesting (500k levels), many keys, limits, odd content types never 5xx", async () => {
  const tok = await stack.api.token("t2", "u2");
  const n = 500_000;
  const deep = await raw("POST", "/v1/jobs", tok, `{"cv":${"[".repeat(n)}${"]".repeat(n)}}`);
  assert.is(deep.status, 400, deep.text.slice(0, 200));
  const keys = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, 0]));
  const many = await raw("POST", "/v1/jobs", tok, JSON.stringify({ ...keys }));
  assert.is(many.status, 400);
  // 60k unknown keys (~600 KB) are all listed in one zod message, twice: a 1.4 MB 400 — big, but under the limit.
  assert.ok(many.bytes < LAMBDA_LIMIT, `${many.bytes}`);
  const valid = JSON.stringify(fixture("http/post-events.valid.json"));
  for (const [ct, body, want] of [
    ["application/json; charset=utf-16", Buffer.from(valid, "utf16le"), 400],
    ["application/octet-stream", valid, 415],
    ["application/vnd.x+json", Buffer.from([0xff, 0xfe, 0x00, 0x7b]), 400],
    ["application/jsonx", valid, 415],
  ] as const) {
    const r = await raw("POST", "/v1/events", tok, body, { "content-type": ct });
    assert.is(r.status, want, `${ct}: ${r.text.slice(0, 120)}`);
  }
  for (const q of ["limit=1e9", "limit=-1", "limit=1&limit=2", "limit=", "limit=%00", "cursor=%00.%00"]) {
    const r = await raw("GET", `/v1/jobs?${q}`, tok);
    assert.is(r.status, 400, q);
  }
  for (const p of ["%00", "%2F", "..%2f..%2f", "a".repeat(8000), "%E2%80%A4", "%", "%ZZ"]) {
    const r = await raw("GET", `/v1/jobs/${p}`, tok);
    assert.is(r.status, 404, p.slice(0, 20));
  }
});

test("350k empty work entries (1 MiB) do not time the ingress out", async () => {
  const job = fixture("http/post-job.valid.json").job;
  const head = `{"job":${JSON.stringify(job)},"cv":{"work":[`;
  const count = Math.floor((MiB - head.length - 4) / 3);
  const body = `${head}${Array.from({ length: count }, () => "{}").join(",")}]}}`;
  const r = await raw("POST", "/v1/jobs", await stack.api.token("t3", "u3"), body);
  assert.ok(r.status < 500, `${r.status} ${r.text.slice(0, 200)}`);
});

// ---------------------------------------------------------------- claim 3: key parts; group ids

test("look-alike, traversal and separator ids are a 401 naming the claim", async () => {
  for (const sub of [
    "..",
    ".",
    "\u2024\u2024",
    "\uFF0E\uFF0E",
    "a\u0000b",
    "a#b",
    "a/b",
    "%2e%2e",
    "alice\n",
    "a".repeat(129),
  ]) {
    const r = await raw("GET", "/v1/jobs", await stack.api.token("acme", sub));
    assert.is(r.status, 401, JSON.stringify(sub));
    assert.match(JSON.parse(r.text).error, /"sub" claim/, `${JSON.stringify(sub)}: ${r.text}`);
  }
  for (const tenant of ["..", "a#b", "a/b", "\uFF0E"]) {
    const r = await raw("GET", "/v1/jobs", await stack.api.token(tenant, "alice"));
    assert.is(r.status, 401, JSON.stringify(tenant));
  }
});

// ---------------------------------------------------------------- claim 1: isolation

test("another user's job, any tenant, is byte-identical to a missing one (body and headers); keys are per user", async () => {
  const alice = await stack.api.token("acme", "alice");
  const posted = await raw("POST", "/v1/jobs", alice, JSON.stringify(fixture("http/post-job.valid.json")), {
    "idempotency-key": "k1",
  });
  assert.is(posted.status, 202);
  const jobId = JSON.parse(posted.text).data.jobId as string;
  await stack.api.waitForJob(jobId, { tenant: "acme", user: "alice" });
  for (const [tenant, user] of [
    ["acme", "bob"],
    ["other", "alice"],
    ["acme", "Alice"],
  ] as const) {
    const t = await stack.api.token(tenant, user);
    // The caller's own correlation id on both, so the one header that names the request is the same too.
    // The per-request ids are the caller's, so the two answers can be compared whole.
    const probe = { "x-correlation-id": `probe-${tenant}-${user}`, "x-request-id": `probe-${tenant}-${user}` };
    const theirs = await raw("GET", `/v1/jobs/${jobId}`, t, undefined, probe);
    const missing = await raw("GET", `/v1/jobs/${randomUUID()}`, t, undefined, probe);
    assert.is(theirs.status, 404);
    assert.is(theirs.text, missing.text);
    assert.equal(theirs.headers, missing.headers);
    const again = await raw("POST", "/v1/jobs", t, JSON.stringify(fixture("http/post-job.valid.json")), {
      "idempotency-key": "k1",
    });
    assert.is(JSON.parse(again.text).code, "ACCEPTED", "no ALREADY_ACCEPTED oracle");
    assert.is.not(JSON.parse(again.text).data.jobId, jobId);
    const list = await raw("GET", "/v1/jobs?limit=100", t);
    assert.not.ok(list.text.includes(jobId));
  }
});

test("alice's cursor, replayed by bob or another tenant, is the forged-cursor 400; edited macs too", async () => {
  const alice = await stack.api.token("acme", "alice");
  for (let i = 0; i < 2; i++) await raw("POST", "/v1/jobs", alice, JSON.stringify(fixture("http/post-job.valid.json")));
  const page = JSON.parse((await raw("GET", "/v1/jobs?limit=1", alice)).text).data;
  const cursor: string = page.cursor;
  const forged = await raw("GET", "/v1/jobs?cursor=forged", await stack.api.token("acme", "bob"));
  for (const t of [await stack.api.token("acme", "bob"), await stack.api.token("other", "alice")]) {
    const r = await raw("GET", `/v1/jobs?limit=1&cursor=${encodeURIComponent(cursor)}`, t);
    assert.is(r.status, 400);
    assert.is(r.text, forged.text);
  }
  const mid = Math.floor(cursor.length / 2);
  for (const c of [
    cursor.slice(0, -1),
    `${cursor.slice(0, mid)}${cursor[mid] === "A" ? "Q" : "A"}${cursor.slice(mid + 1)}`,
    cursor.slice(0, 20),
  ]) {
    assert.is((await raw("GET", `/v1/jobs?cursor=${c}`, alice)).status, 400);
  }
  assert.is((await raw("GET", `/v1/jobs?limit=1&cursor=${cursor}`, alice)).status, 200, "own replay works");
});

test("the cursor is opaque: it decodes to nothing that names the table, the index or the caller", async () => {
  const alice = await stack.api.token("acme", "alice");
  for (let i = 0; i < 2; i++) await raw("POST", "/v1/jobs", alice, JSON.stringify(fixture("http/post-job.valid.json")));
  const cursor: string = JSON.parse((await raw("GET", "/v1/jobs?limit=1", alice)).text).data.cursor;
  const decoded = Buffer.from(cursor, "base64url").toString("latin1");
  assert.not.match(decoded, /userKey|tenantId|createdAt|acme|alice/, "no readable key attribute");
});

// ---------------------------------------------------------------- claim 5: the gateway

test("gateway refuses alg confusion, bad kid, bad time claims, bad aud; scope tricks are 403", async () => {
  const priv = await importJWK(stack.keys.privateJwk, "ES256");
  // Tokens on the stack's clock (it started at START and has run on for seconds since).
  const now = START.getTime() / 1000;
  const base = { iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub: "alice", tenantId: "acme", iat: now, exp: now + 3600 };
  const sign = (over: Record<string, unknown>, header: Record<string, unknown> = {}) => {
    const payload: Record<string, unknown> = { scope: "cvpipe/jobs.read", ...base, ...over };
    for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: "ES256", kid: stack.keys.kid, ...header })
      .sign(priv);
  };
  const signRaw = (header: object, payload: object) => {
    const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
    const key = createPrivateKey({ key: stack.keys.privateJwk, format: "jwk" });
    return `${input}.${base64url.encode(cryptoSign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }))}`;
  };
  const unsigned = (header: object, payload: object) =>
    `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;
  const hs = await new SignJWT({ tenantId: "acme", scope: "cvpipe/jobs.read" })
    .setProtectedHeader({ alg: "HS256", kid: stack.keys.kid })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject("alice")
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(JSON.stringify(stack.keys.publicJwk)));
  const s401: Array<[string, string]> = [
    ["alg none", unsigned({ alg: "none", kid: stack.keys.kid }, { ...base, scope: "cvpipe/jobs.read" })],
    ["HS256 keyed with the public JWK", hs],
    ["other kid", await sign({}, { kid: "other" })],
    ["kid with CRLF", await sign({}, { kid: 'x"\r\nX-Injected: 1' })],
    ["exp string", await sign({ exp: String(now + 3600) })],
    ["exp missing", await sign({ exp: undefined })],
    ["exp null", await sign({ exp: null })],
    ["nbf future", await sign({ nbf: now + 600 })],
    ["nbf string", await sign({ nbf: "0" })],
    ["iat future", await sign({ iat: now + 600 })],
    ["iat string", await sign({ iat: "x" })],
    ["aud array without", await sign({ aud: ["x"] })],
    ["aud nested", await sign({ aud: [[LOCAL_AUDIENCE]] })],
    ["aud [] + client_id", await sign({ aud: [], client_id: LOCAL_AUDIENCE })],
    ["iss array", await sign({ iss: [LOCAL_ISSUER] })],
    [
      "crit",
      signRaw({ alg: "ES256", kid: stack.keys.kid, crit: ["exp"], exp: 1 }, { ...base, scope: "cvpipe/jobs.read" }),
    ],
  ];
  for (const [name, t] of s401) {
    const r = await raw("GET", "/v1/jobs", t);
    assert.is(r.status, 401, name);
    assert.is(r.text, '{"message":"Unauthorized"}', name);
    assert.not.match(r.headers["www-authenticate"] ?? "", /Injected|other|\r|\n/, name);
  }
  const s403: Array<[string, string]> = [
    ["scope -extra", await sign({ scope: "cvpipe/jobs.read-extra" })],
    ["scope array element with a space", await sign({ scope: ["x cvpipe/jobs.read"] })],
    ["tab-separated", await sign({ scope: "x\tcvpipe/jobs.read" })],
    ["scope '' + scp", await sign({ scope: "", scp: ["cvpipe/jobs.read"] })],
    ["upper case", await sign({ scope: "CVPIPE/JOBS.READ" })],
    ["events scope on a jobs route", await sign({ scope: "cvpipe/events.write" })],
  ];
  for (const [name, t] of s403) assert.is((await raw("GET", "/v1/jobs", t)).status, 403, name);
  const write = await sign({ scope: "cvpipe/jobs.write" });
  assert.is((await raw("GET", `/v1/jobs/${randomUUID()}`, write)).status, 403, "write token on a read route");
  assert.is((await raw("POST", "/v1/events", write, "{}")).status, 403, "jobs token on events");
  const huge = await checkedFetch(`${stack.info.apiUrl}/v1/jobs`, {
    headers: { authorization: `Bearer ${"a".repeat(20_000)}` },
  });
  assert.is(huge.status, 431);
  const jwks = JSON.parse((await raw("GET", "/.well-known/jwks.json", null)).text);
  assert.not.ok("d" in jwks.keys[0], "no private part in the JWKS");
});

// ---------------------------------------------------------------- claim 6: internals, data directory

test("data directory owner-only; the id secret is 0600 and never in stack.json, the env or the log lines", async () => {
  const dir = stack.info.dataDir;
  const walk = (p: string): Array<[string, number]> => {
    const out: Array<[string, number]> = [[p, lstatSync(p).mode & 0o777]];
    if (lstatSync(p).isDirectory()) for (const e of readdirSync(p)) out.push(...walk(join(p, e)));
    return out;
  };
  const open = walk(dir).filter(([, m]) => (m & 0o077) !== 0);
  assert.equal(open, []);
  const secretFile = join(dir, "keys", "id-secret");
  assert.is(lstatSync(secretFile).mode & 0o777, 0o600);
  assert.is(lstatSync(join(dir, "keys")).mode & 0o777, 0o700);
  const secret = readFileSync(secretFile, "utf8").trim();
  assert.ok(secret.length >= 32);
  assert.not.ok(readFileSync(join(dir, STACK_INFO_FILE), "utf8").includes(secret));
  assert.not.ok(Object.values(process.env).some((v) => v?.includes(secret)));
  assert.not.ok(stack.lines.some((l) => l.includes(secret)));
});

test("tenantId and sub of 128 characters each still make a FIFO MessageGroupId within SQS's 128", async () => {
  const tenant = "t".repeat(128);
  const user = "u".repeat(128);
  assert.is(identityProblem(tenant), undefined);
  assert.is(identityProblem(user), undefined);
  // Last test: the analytics poller is stopped so the message stays in the queue to be read.
  await stack.pollers.analyticsEvents?.stop();
  const res = await stack.api.request("POST", "/v1/events", {
    body: fixture("http/post-events.valid.json"),
    tenant,
    user,
  });
  assert.is(res.status, 202, "fauxqs does not check the length; AWS SendMessageBatch refuses it (-> 503)");
  const out = await createSqsClient().send(
    new ReceiveMessageCommand({
      QueueUrl: stack.info.queues.analyticsEvents.url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 2,
      MessageSystemAttributeNames: ["All"],
    }),
  );
  const group = out.Messages?.find((m) => m.Body?.includes(tenant))?.Attributes?.MessageGroupId ?? "";
  assert.is(group, messageGroupId(tenant, user));
  assert.ok(group.length <= SQS_MAX_GROUP_ID, `MessageGroupId is ${group.length} characters`);
});

test.run();
