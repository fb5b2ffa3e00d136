/**
 * `cvpipe jobs get` and `jobs list` as an operator runs them against the running stack: the operator's
 * view of a job (not the stored record's internals), its result written as files on request, and the
 * listing's filters by status, error code and creation time.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "@cvpipe/aws/clients";
import { tables } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "./support/cli.ts";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack, tempDataDir } from "./support/stack.ts";

let stack: TestStack;
let jobId: string;
const cvpipe = (args: string[]) => runCli(args, { CVPIPE_DATA_DIR: stack.info.dataDir });

test.before(async () => {
  stack = await startTestStack();
  const res = await stack.api.request("POST", "/v1/jobs", {
    body: { ...(fixture("http/post-job.valid.json") as Record<string, unknown>), applicationId: "app-7" },
    tenant: "ops",
    user: "olga",
    headers: { "idempotency-key": "secret-key-of-the-producer" },
  });
  jobId = res.body.data.jobId;
  const done = await stack.api.waitForJob(jobId, { tenant: "ops", user: "olga", timeoutMs: 60_000 });
  assert.is(done.status, "SUCCEEDED");
});
test.after(async () => stack?.close());

test("jobs get: the operator's view, without the record's internals", async () => {
  const r = await cvpipe(["jobs", "get", "--tenant", "ops", jobId]);
  assert.is(r.code, 0, r.err);
  for (const line of [
    new RegExp(`^job\\s+${jobId}$`, "m"),
    /^tenant\s+ops$/m,
    /^status\s+SUCCEEDED$/m,
    /^engine\s+local/m,
    /^created\s+\d{4}-/m,
    /^finished\s+\d{4}-/m,
    /^attempts\s+1$/m,
    /^application\s+app-7$/m,
    /^match\s+\d+\/100; found /m,
    /^verification\s+passed \(\d+ fields checked\)$/m,
    /^result\s+cvpipe-jobs \(the job's item\)$/m,
  ]) {
    assert.match(r.out, line);
  }
  assert.not.match(r.out, /userKey|requestHash|idempotency|secret-key-of-the-producer|expiresAt/i);
});

test("jobs get --json: the same view as JSON, its documented fields", async () => {
  const r = await cvpipe(["jobs", "get", "--tenant", "ops", jobId, "--json"]);
  assert.is(r.code, 0, r.err);
  const v = JSON.parse(r.out);
  assert.is(v.jobId, jobId);
  assert.is(v.tenantId, "ops");
  assert.is(v.status, "SUCCEEDED");
  assert.is(v.applicationId, "app-7");
  assert.is(typeof v.match.score, "number");
  assert.is(v.verification.passed, true);
  assert.is(v.verification.violations, 0);
  assert.equal(v.result, { stored: "inline", location: "cvpipe-jobs (the job's item)" });
  for (const internal of ["userKey", "requestHash", "idempotencyKey", "expiresAt", "queuedShard"]) {
    assert.not.ok(internal in v, internal);
  }
});

test("jobs get --out DIR: the tailored CV, its Markdown and HTML, the match and verification reports as files", async () => {
  const dir = tempDataDir();
  const r = await cvpipe(["jobs", "get", "--tenant", "ops", jobId, "--out", dir, "--json"]);
  assert.is(r.code, 0, r.err);
  const files = JSON.parse(r.out).files as Record<string, string>;
  assert.equal(Object.keys(files).sort(), ["html", "markdown", "match", "resume", "verification"]);
  for (const path of Object.values(files)) assert.ok(existsSync(path) && path.startsWith(join(dir, jobId)), path);
  // A person's CV: the operator's alone, as in the data directory (the adversarial review found 0644).
  for (const path of Object.values(files)) assert.is(statSync(path).mode & 0o777, 0o600, path);
  assert.is(statSync(join(dir, jobId)).mode & 0o777, 0o700);
  assert.is(JSON.parse(readFileSync(files["resume"] as string, "utf8")).basics.name, "Dana Okafor");
  assert.match(readFileSync(files["markdown"] as string, "utf8"), /Dana Okafor/);
  assert.match(readFileSync(files["html"] as string, "utf8"), /<html|<h1/i);
  assert.is(typeof JSON.parse(readFileSync(files["match"] as string, "utf8")).score, "number");
  assert.is(JSON.parse(readFileSync(files["verification"] as string, "utf8")).passed, true);
  const human = await cvpipe(["jobs", "get", "--tenant", "ops", jobId, "--out", dir]);
  assert.match(human.out, new RegExp(`^  resume\\s+${join(dir, jobId, "resume.json")}$`, "m"));
});

test("jobs list --status, --code, --since, --until filter the user's jobs", async () => {
  const db = createDocumentClient();
  const job = (id: string, createdAt: string, status: string, code?: string) =>
    db.send(
      new PutCommand({
        TableName: tables.jobs.name,
        Item: {
          tenantId: "ops",
          jobId: id,
          userId: "lena",
          userKey: "ops#lena",
          status,
          engine: "local",
          createdAt,
          updatedAt: createdAt,
          expiresAt: 4_102_444_800, // 2100: never expired on any clock a test runs on
          requestHash: "h",
          attempts: 1,
          ...(code ? { error: { code, message: `failed with ${code}` }, finishedAt: createdAt } : {}),
        },
      }),
    );
  await job("j-1", "2026-11-01T10:00:00.000Z", "SUCCEEDED");
  await job("j-2", "2026-11-02T10:00:00.000Z", "FAILED", "UNGROUNDED_CLAIM");
  await job("j-3", "2026-11-03T10:00:00.000Z", "FAILED", "ENGINE_UNAVAILABLE");
  await job("j-4", "2026-11-04T10:00:00.000Z", "QUEUED");
  const ids = async (...flags: string[]) => {
    const r = await cvpipe(["jobs", "list", "--tenant", "ops", "--user", "lena", "--json", ...flags]);
    assert.is(r.code, 0, r.err);
    return (JSON.parse(r.out).items as Array<{ jobId: string }>).map((j) => j.jobId);
  };
  assert.equal(await ids(), ["j-4", "j-3", "j-2", "j-1"]);
  assert.equal(await ids("--status", "FAILED"), ["j-3", "j-2"]);
  assert.equal(await ids("--code", "UNGROUNDED_CLAIM"), ["j-2"]);
  assert.equal(await ids("--since", "2026-11-02", "--until", "2026-11-04"), ["j-3", "j-2"]);
  assert.equal(await ids("--status", "FAILED", "--limit", "1"), ["j-3"]);
  const table = await cvpipe(["jobs", "list", "--tenant", "ops", "--user", "lena", "--code", "ENGINE_UNAVAILABLE"]);
  assert.match(table.out, /^job\s+status\s+engine\s+created\s+error$/m);
  assert.match(table.out, /^j-3\s+FAILED\s+local\s+2026-11-03T10:00:00\.000Z\s+ENGINE_UNAVAILABLE$/m);
  const bad = await cvpipe(["jobs", "list", "--tenant", "ops", "--user", "lena", "--status", "DONE"]);
  assert.is(bad.code, 2);
  assert.match(bad.err, /--status: must be one of QUEUED, /);
  const badTime = await cvpipe(["jobs", "list", "--tenant", "ops", "--user", "lena", "--since", "yesterday"]);
  assert.is(badTime.code, 2);
  assert.match(badTime.err, /--since: must be an ISO 8601 time/);
});

test.run();
