/**
 * Issue 11 §3: a generated fuzz suite over every route of the served OpenAPI
 * document — broken JSON, wrong types, huge strings, deep nesting, wrong
 * content types, missing/expired/forged/alg-none tokens, other tenants' and
 * users' ids, traversal in ids, prompt injection in CVs and postings — on the
 * embedded stack with the queue pollers off. No answer is a 5xx, every status
 * is documented for its route (and every envelope error's code listed for that
 * status), no case invalid by construction is accepted, and no queue receives
 * anything.
 *
 * Seeded: CVPIPE_FUZZ_SEED (a number or any text; default below) picks the
 * cases; a failure prints the seed, each failing case and a line re-running
 * just those (CVPIPE_FUZZ_ONLY=<index,...>). CVPIPE_FUZZ_CASES sets the count;
 * CVPIPE_FUZZ_DUMP=<file> writes one line per case (time, request, answer).
 */
import { Agent } from "node:http";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createDynamoDbClient, createS3Client, createSqsClient } from "@cvpipe/aws/clients";
import { clockFromEnv } from "@cvpipe/core/ports/clock";
import { seedFrom } from "@cvpipe/core/testing/random";
import { api, tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture, fixturePaths } from "./support/fixtures.ts";
import { ApiModel } from "./support/fuzz/api-model.ts";
import { type FuzzCase, generateCases, isIdempotencyHeader, REPLAYED_KEY, routeScopes } from "./support/fuzz/cases.ts";
import { checkAnswer } from "./support/fuzz/check.ts";
import { type Answer, pool, resolveCase, type SendContext, sendOne } from "./support/fuzz/send.ts";
import { type AuthVariant, IDENTITIES, TokenFactory } from "./support/fuzz/tokens.ts";
import { drainQueues, messageCounts, queueDepths } from "./support/queues.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

const DEFAULT_SEED = "20261118";
const SEED_TEXT = process.env["CVPIPE_FUZZ_SEED"] || DEFAULT_SEED;
const SEED = seedFrom(/^\d+$/.test(SEED_TEXT) ? Number(SEED_TEXT) : SEED_TEXT);
const TARGET = Number(process.env["CVPIPE_FUZZ_CASES"] || 1_500);
const ONLY = process.env["CVPIPE_FUZZ_ONLY"]
  ?.split(",")
  .filter((s) => s.trim() !== "")
  .map(Number);
const CONCURRENCY = 8;
const START = new Date("2026-11-18T10:00:00Z");

let stack: TestStack;
let model: ApiModel;
let ctx: SendContext;
let cases: FuzzCase[];
let agent: Agent;
/** Ids of the owner's resources, by the path parameter they fill. */
const ids: Record<string, string[]> = {};
let jobRowsBefore = 0;
let generationMs = 0;
let tokens: TokenFactory;

const jobRows = async (): Promise<number> =>
  (await createDynamoDbClient().send(new ScanCommand({ TableName: tables.jobs.name, Select: "COUNT" }))).Count ?? 0;

const payloadObjects = async (): Promise<number> =>
  (await createS3Client().send(new ListObjectsV2Command({ Bucket: stack.info.bucket }))).KeyCount ?? 0;

/** Messages in each queue and DLQ of the stack (visible, in flight or delayed). */
const depthsNow = async (): Promise<Record<string, number>> =>
  messageCounts(await queueDepths(createSqsClient(), stack.info.queues));

/** Every sample request body in events/http (valid or not: the generator keeps those the document accepts). */
const samples = (): unknown[] => fixturePaths("http").map((path) => fixture<unknown>(path));

/** `jobId: "…"` and `eventIds: […]` of an accepted answer, filed under the path parameter they would fill. */
const learnIds = (data: unknown) => {
  for (const [k, v] of Object.entries((data ?? {}) as Record<string, unknown>)) {
    const found = k.endsWith("Id") && typeof v === "string" ? [v] : k.endsWith("Ids") && Array.isArray(v) ? v : [];
    const param = k.endsWith("Ids") ? k.slice(0, -1) : k;
    if (found.length > 0) ids[param] = [...(ids[param] ?? []), ...found.map(String)];
  }
};

/** The owner's ids that fill path parameters (server-made, like job ids): nobody else may see them. */
const ownerPathIds = (): string[] => {
  const params = new Set(
    model.operations.flatMap((o) => o.parameters.filter((p) => p.in === "path").map((p) => p.name)),
  );
  return Object.entries(ids).flatMap(([k, v]) => (params.has(k) ? v : []));
};

const generate = (seed: number) =>
  generateCases(model, {
    seed,
    target: TARGET,
    samples: samples(),
    learnedIds: Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, Math.min(v.length, 2)])),
  });

test.before(async () => {
  stack = await startTestStack({ pollers: false, clockStart: START });
  agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  // The document is served bare, as client generators read it.
  model = new ApiModel((await stack.api.request("GET", "/v1/openapi.json", { token: null })).body);

  // The owner's resources, for other users' cases: every sample body an operation accepts, POSTed once
  // (the first one with an Idempotency-Key where the operation takes one, for the replay case).
  for (const op of model.operations.filter((o) => o.body && !o.path.includes("{"))) {
    const keyHeader = op.parameters.find(isIdempotencyHeader);
    for (const [i, body] of samples()
      .filter((s) => model.valid(op.body!.schema, s))
      .entries()) {
      const res = await stack.api.request(op.method, op.path, {
        body,
        tenant: IDENTITIES.owner.tenantId,
        user: IDENTITIES.owner.userId,
        ...(keyHeader && i === 0 ? { headers: { [keyHeader.name]: REPLAYED_KEY } } : {}),
      });
      assert.ok(res.status >= 200 && res.status < 300, `set-up ${op.key}: ${res.status} ${JSON.stringify(res.body)}`);
      learnIds(res.body?.data);
    }
  }
  await drainQueues(createSqsClient(), stack.info.queues);
  const depths = await depthsNow();
  assert.ok(
    Object.values(depths).every((n) => n === 0),
    `queues not empty before the fuzz: ${JSON.stringify(depths)}`,
  );
  jobRowsBefore = await jobRows();

  tokens = new TokenFactory(stack.keys, () => clockFromEnv(process.env).now());
  await tokens.init();
  const headers = new Map<string, Promise<string | undefined>>();
  ctx = {
    baseUrl: stack.info.apiUrl,
    ids,
    authHeader: (auth: AuthVariant, opKey: string) => {
      const op = model.operations.find((o) => o.key === opKey);
      const scopes = op ? routeScopes(op) : [];
      const key = `${JSON.stringify(auth)} ${scopes.join(" ")}`;
      if (!headers.has(key)) headers.set(key, tokens.header(auth, scopes));
      return headers.get(key)!;
    },
  };
  const t0 = performance.now();
  cases = generate(SEED);
  generationMs = Math.round(performance.now() - t0);
});

test.after(async () => {
  agent?.destroy();
  await stack?.close();
});

// ---------------------------------------------------------------- the generator and the oracle

test("every route of the topology is in the served document, and every operation gets cases of every kind it has", () => {
  assert.equal(model.operations.map((o) => o.key).sort(), api.routes.map((r) => `${r.method} ${r.path}`).sort());
  assert.ok(cases.length >= 1_000, `${cases.length} cases`);
  for (const op of model.operations) {
    const mine = cases.filter((c) => c.op === op.key);
    assert.ok(mine.length >= 40, `${op.key}: only ${mine.length} cases`);
    if (op.secured)
      assert.ok(
        mine.some((c) => c.auth && "refused" in c.auth && c.auth.refused === "alg none"),
        op.key,
      );
    if (op.body) assert.ok(mine.filter((c) => c.refusedBy === "body").length >= 100, `${op.key}: body cases`);
  }
  assert.ok(ids["jobId"]?.length, "the set-up learned the owner's job ids");
  const labels = cases.map((c) => c.label).join("\n");
  for (const kind of [
    /^body\.cv\.work\[0\]\.highlights\[0\]: prompt injection/m,
    /^body\.cv: prompt injection/m,
    /^body\.job\.description: prompt injection/m,
    /huge string/,
    /nested \d+ deep/,
    /token: expired/,
    /token: forged signature/,
    /asked by otherTenant/,
    /path jobId: raw "\.\."/,
    /content-type "text\/plain"/,
    /body bytes: truncated/,
  ]) {
    assert.match(labels, kind);
  }
});

test("the same seed gives the same cases; another seed other ones", () => {
  const again = generate(SEED);
  assert.is(again.length, cases.length);
  assert.ok(
    again.every(
      (c, i) => c.label === cases[i]!.label && c.path === cases[i]!.path && String(c.body) === String(cases[i]!.body),
    ),
    "case for case the same",
  );
  const other = generate(SEED + 1);
  assert.ok(
    other.some((c, i) => c.label !== cases[i]?.label),
    "another seed reorders and varies the cases",
  );
});

test("the oracle refuses a 5xx, an undocumented status, an unlisted code, an accepted hostile case, another user's job", () => {
  const plain = (c: FuzzCase) => c.auth !== undefined && "valid" in c.auth && c.auth.valid === "colleague";
  const post = cases.find(
    (c) => c.path === "/v1/jobs" && c.method === "POST" && c.refusedBy === "body" && plain(c) && !c.expect,
  )!;
  const foreign = cases.find((c) => c.refusedBy === "foreign id" && c.method === "GET" && c.expect?.join() === "404")!;
  const envelope = (status: number, code: string) => ({
    status,
    headers: {},
    text: JSON.stringify({ success: false, code, error: "x" }),
  });
  const problems = (c: FuzzCase, a: Answer) => checkAnswer(model, c, c.path, a);
  assert.equal(problems(post, envelope(400, "VALIDATION_ERROR")), [], "a documented refusal passes");
  assert.ok(problems(post, envelope(500, "INTERNAL_ERROR")).some((p) => /server error/.test(p)));
  assert.ok(problems(post, envelope(418, "VALIDATION_ERROR")).some((p) => /not documented/.test(p)));
  assert.ok(problems(post, envelope(400, "NOT_FOUND")).some((p) => /not listed/.test(p)));
  const accepted = { status: 202, headers: {}, text: JSON.stringify({ success: true, code: "ACCEPTED", data: {} }) };
  assert.ok(problems(post, accepted).some((p) => /accepted/.test(p)));
  const job = { status: 200, headers: {}, text: JSON.stringify({ success: true, code: "OK", data: {} }) };
  assert.ok(problems(foreign, job).some((p) => /must get 404/.test(p)));
  const leak = {
    status: 400,
    headers: {},
    text: JSON.stringify({
      success: false,
      code: "VALIDATION_ERROR",
      error: "x",
      details: [{ path: "p", rule: "r", message: "owner-job-id" }],
    }),
  };
  assert.ok(
    checkAnswer(model, { ...post, auth: { valid: "colleague" } }, post.path, leak, ["OWNER-JOB-ID"]).some((p) =>
      /owner's id/.test(p),
    ),
    "another user's answer must not carry the owner's ids",
  );
  const getJob = cases.find((c) => /^\/v1\/jobs\/\{\{id:jobId:\d+\}\}(\?|$)/.test(c.path) && c.method === "GET")!;
  const path = getJob.path.replace(/\{\{id:jobId:\d+\}\}/, "OWNER-JOB");
  assert.ok(
    checkAnswer(model, { ...getJob, auth: { valid: "stranger" } }, path, job, ["OWNER-JOB"]).some((p) =>
      /someone else/.test(p),
    ),
    "any 2xx to someone else for the owner's id fails, whatever the case expected",
  );
  const unrouted = { ...post, path: "/v1/jobs/.." };
  assert.equal(problems(unrouted, { status: 404, headers: {}, text: '{"message":"Not Found"}' }), []);
  assert.ok(problems(unrouted, envelope(400, "VALIDATION_ERROR")).length > 0, "an unrouted path is the gateway's 404");
});

// ---------------------------------------------------------------- the run

const excerpt = (body: string | Buffer | undefined): string => {
  if (body === undefined) return "none";
  const text = typeof body === "string" ? body : `<hex> ${body.subarray(0, 80).toString("hex")}`;
  return `${Buffer.byteLength(body)} bytes ${JSON.stringify(text.slice(0, 160))}${text.length > 160 ? "…" : ""}`;
};

const reproduction = (c: FuzzCase, path: string, a: Answer, problems: string[]): string =>
  [
    `#${c.index} ${c.method} ${path.length > 200 ? `${path.slice(0, 200)}…(${path.length} chars)` : path}  [${c.op}: ${c.label}]`,
    `  auth: ${c.auth ? JSON.stringify(c.auth) : "none"}  headers: ${JSON.stringify(c.headers).slice(0, 300)}`,
    `  body: ${excerpt(c.body)}`,
    `  got ${a.status}${a.error ? ` (${a.error})` : ""}: ${a.text.slice(0, 300)}`,
    ...problems.map((p) => `  ✗ ${p}`),
  ].join("\n");

test(`≥ 1,000 hostile requests over every route: no 5xx, documented statuses and codes, none accepted (seed ${SEED_TEXT})`, async () => {
  const selected = ONLY ? cases.filter((c) => ONLY.includes(c.index)) : cases;
  const started = performance.now();
  const results = await pool(selected, CONCURRENCY, async (c) => {
    const r = await resolveCase(ctx, c);
    const sent = performance.now();
    const answer = await sendOne(agent, ctx.baseUrl, c.method, r, 30_000);
    const ms = performance.now() - sent;
    return { c, path: r.path, answer, ms, problems: checkAnswer(model, c, r.path, answer, ownerPathIds()) };
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const tally = (key: (r: (typeof results)[number]) => string | number) => {
    const m = new Map<string | number, number>();
    for (const r of results) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return [...m].sort(([a], [b]) => String(a).localeCompare(String(b), "en", { numeric: true }));
  };
  if (process.env["CVPIPE_FUZZ_DUMP"]) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      process.env["CVPIPE_FUZZ_DUMP"],
      results
        .map(
          (r) =>
            `${r.ms}ms #${r.c.index} ${r.c.method} ${r.path.slice(0, 100)} [${r.c.label.slice(0, 200)}] -> ${r.answer.status} ${r.answer.text.length}B ${r.answer.text.slice(0, 400)}`,
        )
        .join("\n"),
    );
  }
  const failures = results.filter((r) => r.problems.length > 0);
  const fivexx = results.filter((r) => r.answer.status >= 500).length;
  console.log(
    [
      `fuzz seed ${SEED_TEXT}: ${results.length} cases (generated in ${generationMs} ms) sent in ${seconds} s, ${fivexx} 5xx, ${failures.length} failing`,
      `  by status: ${tally((r) => r.answer.status)
        .map(([s, n]) => `${s}×${n}`)
        .join(" ")}`,
      `  by operation: ${tally((r) => r.c.op)
        .map(([o, n]) => `${o} ×${n}`)
        .join(", ")}`,
      `  invalid by: ${tally((r) => r.c.refusedBy ?? "(safe method)")
        .map(([o, n]) => `${o} ×${n}`)
        .join(", ")}`,
    ].join("\n"),
  );
  if (failures.length > 0) {
    const shown = failures.slice(0, 25);
    console.log(
      [
        `fuzz failures (seed ${SEED_TEXT}; ${shown.length} of ${failures.length} shown):`,
        ...shown.map((f) => reproduction(f.c, f.path, f.answer, f.problems)),
        `reproduce: CVPIPE_FUZZ_SEED=${SEED_TEXT} CVPIPE_FUZZ_ONLY=${failures.map((f) => f.c.index).join(",")} node_modules/.bin/node test/fuzz-routes.test.ts`,
      ].join("\n"),
    );
  }
  assert.is(failures.length, 0, `${failures.length} fuzz cases failed (seed ${SEED_TEXT}); see the lines above`);
});

test("after the fuzz: no queue or dead-letter queue received anything; no job row or payload object was written", async () => {
  const depths = await depthsNow();
  assert.equal(depths, Object.fromEntries(Object.keys(depths).map((k) => [k, 0])), `seed ${SEED_TEXT}`);
  assert.is(await jobRows(), jobRowsBefore, "job rows: the set-up's only");
  assert.is(await payloadObjects(), 0, "no claim-checked request or stored result");
});

// ---------------------------------------------------------------- regressions the fuzz found

test('regression (fuzz, seed 20261118 #89/#627/#997): a token whose tenantId or sub is JSON null, a number or a boolean is the 401 naming the claim, not tenant "null"/"0"/"true"; nothing is enqueued', async () => {
  // The authorizer hands claims on as text, so `null` arrived as the tenant "null" and the job was accepted.
  const before = await depthsNow();
  const job = samples().find((s) =>
    model.valid(model.operations.find((o) => o.key === "POST /v1/jobs")!.body!.schema, s),
  );
  for (const name of ["tenantId null", "tenantId as a number", "tenantId true", "sub as a number"] as const) {
    const claim = name.startsWith("sub") ? "sub" : api.tenantClaim;
    const authorization = (await tokens.header({ lookalike: name }, api.producerScopes))!;
    for (const [method, path, body] of [
      ["POST", "/v1/jobs", job],
      ["POST", "/v1/events", samples().find((s) => (s as { events?: unknown }).events)],
      ["GET", "/v1/jobs", undefined],
      ["GET", `/v1/jobs/${ids["jobId"]![0]}`, undefined],
    ] as const) {
      const res = await stack.api.request(method, path, {
        token: null,
        headers: { authorization },
        ...(body ? { body } : {}),
      });
      assert.is(res.status, 401, `${name}, ${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.is(res.body.code, "UNAUTHORIZED");
      assert.match(res.body.error, `"${claim}" claim`);
    }
  }
  assert.equal(await depthsNow(), before, "nothing enqueued");
});

test("the depth check sees a message: one valid job afterwards is one message more on the jobs queue", async () => {
  const op = model.operations.find((o) => o.key === "POST /v1/jobs")!;
  const body = samples().find((s) => model.valid(op.body!.schema, s));
  const before = (await depthsNow())["tailoringJobs"]!;
  const res = await stack.api.request("POST", "/v1/jobs", { body, tenant: "acme", user: "carol" });
  assert.is(res.status, 202);
  assert.is((await depthsNow())["tailoringJobs"], before + 1);
});

test.run();
