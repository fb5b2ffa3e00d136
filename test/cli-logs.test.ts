/**
 * `cvpipe logs` on the embedded stack as `pnpm start` runs it (a process: the log file is written by
 * its main thread, where the functions' lines arrive): two jobs, then each filter returns that job's
 * lines only. The file's rotation is unit-tested in packages/local/src/stack-log-file.test.ts.
 */
import { cpSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "./support/cli.ts";
import { fixture } from "./support/fixtures.ts";
import { until } from "./support/stack.ts";
import { type StartedStackProcess, startStackProcess } from "./support/stack-process.ts";

let stack: StartedStackProcess;
const jobs: { id: string; correlation: string }[] = [];
const logsIn = (dataDir: string, ...args: string[]) =>
  runCli(["logs", ...args], { CVPIPE_DATA_DIR: dataDir, CVPIPE_STAGE: "" });
const logs = (...args: string[]) => logsIn(stack.dataDir, ...args);
const parsed = (out: string) =>
  out
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test.before(async () => {
  // The user's level unset: the functions log INFO to the file, the terminal shows WARN and above.
  stack = await startStackProcess({ workers: true, env: { POWERTOOLS_LOG_LEVEL: "" } });
  const api = stack.api();
  for (const correlation of ["logs-test-a", "logs-test-b"]) {
    const res = await api.request("POST", "/v1/jobs", {
      body: fixture("http/post-job.valid.json"),
      tenant: "logs",
      headers: { "X-Correlation-Id": correlation },
    });
    assert.is(res.status, 202, JSON.stringify(res.body));
    jobs.push({ id: res.body.data.jobId as string, correlation });
  }
  for (const job of jobs) await api.waitForJob(job.id, { tenant: "logs" });
  // The file is written in batches: wait until both jobs' processed lines are in it.
  await until("both jobs' lines in the log file", async () => {
    const out = (await logs("--json")).out;
    return jobs.every((j) => out.includes(`"jobId":"${j.id}","tenantId":"logs","outcome":"succeeded"`)) || undefined;
  });
});
test.after(async () => {
  await stack?.stop();
});

test("--job: that job's lines only, its accepted and its processed line among them; --json lines parse", async () => {
  const [a, b] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];
  const run = await logs("--job", a.id, "--json");
  assert.is(run.code, 0, run.err);
  const lines = parsed(run.out);
  assert.ok(
    lines.every((l) => l["jobId"] === a.id || (l["fn"] === "stack" && String(l["message"]).includes(a.id))),
    run.out,
  );
  assert.not.match(run.out, b.id);
  assert.ok(lines.some((l) => l["fn"] === "ingress" && l["message"] === "job accepted"));
  assert.ok(
    lines.some((l) => l["fn"] === "tailor" && l["message"] === "job processed" && l["outcome"] === "succeeded"),
  );

  const human = await logs("--job", a.id);
  assert.is(human.code, 0, human.err);
  assert.match(human.out, /INFO\s+ingress\s+job accepted\s+job=/);
  assert.match(
    human.out,
    new RegExp(
      `INFO\\s+tailor\\s+job processed\\s+job=${a.id}\\s+message=\\S+\\s+correlation=${a.correlation}\\s+outcome=succeeded`,
    ),
  );
  assert.not.match(human.out, b.id);
});

test("--message: the lines of that SQS message (the tailor's), not the other job's", async () => {
  const [a, b] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];
  const processed = parsed((await logs("--job", b.id, "--json")).out).find((l) => l["message"] === "job processed");
  const messageId = processed?.["messageId"] as string;
  assert.type(messageId, "string");
  const run = await logs("--message", messageId, "--json");
  assert.is(run.code, 0, run.err);
  const lines = parsed(run.out);
  assert.ok(lines.length > 0);
  assert.ok(lines.every((l) => l["messageId"] === messageId && l["jobId"] === b.id));
  assert.not.match(run.out, a.id);
});

test("--correlation and --level combine with the id filters", async () => {
  const [a, b] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];
  const byCorrelation = parsed((await logs("--correlation", a.correlation, "--json")).out);
  assert.ok(byCorrelation.length >= 2);
  assert.ok(byCorrelation.every((l) => l["correlationId"] === a.correlation));
  assert.equal([...new Set(byCorrelation.map((l) => l["jobId"]))], [a.id]);
  // Both jobs succeeded: nothing of theirs is a warning.
  assert.is((await logs("--job", b.id, "--level", "warn")).out, "");
  assert.match((await logs("--job", b.id, "--level", "info")).out, "job processed");
});

test("--since: an instant after every line shows none, one before all shows them; --limit keeps the newest", async () => {
  assert.is((await logs("--job", jobs[0]!.id, "--since", "2999-01-01T00:00:00Z")).out, "");
  assert.match((await logs("--job", jobs[0]!.id, "--since", "2000-01-01T00:00:00Z")).out, "job processed");
  // The stack keeps writing (schedules fire each minute): both reads go to one copy of the files.
  const frozen = mkdtempSync(join(tmpdir(), "cvpipe-logs-frozen-"));
  cpSync(join(stack.dataDir, "logs"), join(frozen, "logs"), { recursive: true });
  try {
    const all = parsed((await logsIn(frozen, "--json", "--limit", "100000")).out);
    const last = parsed((await logsIn(frozen, "--json", "--limit", "2")).out);
    assert.ok(all.length > 2);
    assert.equal(last, all.slice(-2));
  } finally {
    rmSync(frozen, { recursive: true, force: true });
  }
});

test("usage mistakes name the flag and the rule, exit 2", async () => {
  const level = await logs("--level", "LOUD");
  assert.is(level.code, 2);
  assert.match(level.err, "--level: one of DEBUG, INFO, WARN, ERROR, CRITICAL");
  const since = await logs("--since", "yesterday");
  assert.is(since.code, 2);
  assert.match(since.err, "--since: an ISO time");
  const id = await logs("--job", 'x" || $.level = "INFO');
  assert.is(id.code, 2);
  assert.match(id.err, "--job: an id is 1 to 128 letters");
  const limit = await logs("--limit", "0");
  assert.is(limit.code, 2);
  assert.match(limit.err, "--limit");
});

test("the file is owner-only; the terminal still shows no INFO function lines", () => {
  assert.is(statSync(join(stack.dataDir, "logs", "stack.jsonl")).mode & 0o777, 0o600);
  assert.is(statSync(join(stack.dataDir, "logs")).mode & 0o777, 0o700);
  assert.not.match(stack.output(), '"message":"job accepted"');
});

test("no log file under the data directory: said so, with where it looked", async () => {
  const run = await logsIn(join(stack.dataDir, "nothing-here"));
  assert.is(run.code, 2);
  assert.match(run.err, "no stack log");
  assert.match(run.err, "nothing-here");
});

test.run();
