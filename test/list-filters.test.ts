/**
 * GET /v1/jobs filters the caller's jobs by status and applicationId (DynamoDB's FilterExpression
 * on the by-user index, through the gateway), and every route refuses a query parameter it does
 * not take, naming it — `?status=FAILED` was silently ignored before.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
test.before(async () => {
  stack = await startTestStack({ clockStart: new Date("2026-11-18T10:00:00Z") });
});
test.after(async () => stack?.close());

const body = fixture("http/post-job.valid.json") as Record<string, unknown>;
const user = "filters";
const list = async (query: string) => {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await stack.api.request("GET", `/v1/jobs?limit=2${query}${cursor ? `&cursor=${cursor}` : ""}`, {
      user,
    });
    assert.is(res.status, 200, JSON.stringify(res.body));
    ids.push(...res.body.data.items.map((j: { jobId: string }) => j.jobId));
    cursor = res.body.data.cursor;
    if (!cursor) break;
  }
  return ids.sort();
};

test("status and applicationId filter the caller's jobs, across pages", async () => {
  const submit = async (applicationId?: string) => {
    const res = await stack.api.request("POST", "/v1/jobs", {
      user,
      body: { ...body, ...(applicationId ? { applicationId } : {}) },
    });
    assert.is(res.status, 202, JSON.stringify(res.body));
    return res.body.data.jobId as string;
  };
  const a1 = await submit("app-A");
  const a2 = await submit("app-A");
  const b1 = await submit("app-B");
  for (const id of [a1, a2, b1]) await stack.api.waitForJob(id, { user });
  await stack.pollers.tailoringJobs!.stop();
  let queued: string;
  try {
    queued = await submit("app-A");
    assert.equal(await list("&status=QUEUED"), [queued]);
    assert.equal(await list("&status=SUCCEEDED"), [a1, a2, b1].sort());
    assert.equal(await list("&applicationId=app-A"), [a1, a2, queued].sort());
    assert.equal(await list("&applicationId=app-A&status=SUCCEEDED"), [a1, a2].sort());
    assert.equal(await list("&status=FAILED"), []);
    assert.equal(await list("&applicationId=app-none"), []);
  } finally {
    stack.pollers.tailoringJobs!.start();
  }
  await stack.api.waitForJob(queued, { user });
});

test("a filter value no job can have is a 400 naming the parameter", async () => {
  const res = await stack.api.request("GET", "/v1/jobs?status=DONE&applicationId=has%20space", { user });
  assert.is(res.status, 400);
  assert.equal(
    res.body.details.map((d: { path: string; rule: string }) => [d.path, d.rule]),
    [
      ["query.status", "enum"],
      ["query.applicationId", "pattern"],
    ],
  );
  assert.match(res.body.details[0].message, "QUEUED, PROCESSING, SUCCEEDED, FAILED");
});

test("an unknown query parameter is refused on every route, by name, with what the route takes", async () => {
  const cases: Array<[string, string, string]> = [
    ["GET", "/v1/jobs?state=FAILED", "it takes limit, cursor, status, applicationId"],
    ["GET", "/v1/cvs?sort=new", "it takes limit, cursor"],
    ["GET", "/v1/jobs/0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e?verbose=1", "it takes none"],
    ["POST", "/v1/jobs?wait=10", "it takes none"],
  ];
  for (const [method, path, takes] of cases) {
    const res = await stack.api.request(method, path, { user, ...(method === "POST" ? { body } : {}) });
    assert.is(res.status, 400, `${method} ${path}`);
    const name = path.split("?")[1]!.split("=")[0]!;
    assert.is(res.body.details[0].path, `query.${name}`);
    assert.is(res.body.details[0].rule, "unknown");
    assert.match(res.body.details[0].message, takes);
  }
  assert.equal(await list("&status=QUEUED"), [], "the refused POST queued nothing");
});

test.run();
