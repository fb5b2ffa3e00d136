/**
 * The embedded stack's data directory holds CVs (S3 objects, SQS messages,
 * DynamoDB items): only its owner may read any of it. Everything the stack and
 * its emulators create there is 0700 (directories) / 0600 (files), and a tree
 * left readable by an older version is closed at start.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack, tempDataDir, testSettings } from "./support/stack.ts";

/** Every path under `dir` (itself included) with its permission bits. */
const walk = (dir: string): Array<{ path: string; mode: number; isDir: boolean }> => {
  const out = [{ path: dir, mode: lstatSync(dir).mode & 0o777, isDir: true }];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push({ path, mode: lstatSync(path).mode & 0o777, isDir: false });
  }
  return out;
};

const openToOthers = (dir: string) =>
  walk(dir)
    .filter((e) => (e.mode & 0o077) !== 0)
    .map((e) => `${e.path.slice(dir.length) || "/"} ${e.mode.toString(8)}`);

let stack: TestStack;
let dataDir: string;

test.before(async () => {
  // A data directory as an older version left it: world-readable directories and files.
  dataDir = join(tempDataDir(), "cvpipe-data");
  mkdirSync(join(dataDir, "s3", "old-bucket"), { recursive: true, mode: 0o755 });
  writeFileSync(join(dataDir, "s3", "old-bucket", "cv.json"), '{"basics":{"name":"Old CV"}}', { mode: 0o644 });
  chmodSync(dataDir, 0o755);
  chmodSync(join(dataDir, "s3"), 0o755);
  stack = await startTestStack({ settings: await testSettings(dataDir) });
});
test.after(async () => stack?.close());

test("after a job and an event, nothing in the data directory is readable by group or others", async () => {
  // ~260 KB of CV: over the inline message limit, so the request is also an S3 object (claim check).
  const body = fixture("http/post-job.valid.json");
  const padding = Array.from({ length: 120 }, (_, i) => ({
    name: `Client ${i + 1}`,
    position: "Consultant",
    startDate: "2015-01",
    endDate: "2015-12",
    highlights: Array.from({ length: 6 }, (_, j) => `Engagement ${i}.${j}: ${"analysis and delivery ".repeat(12)}`),
  }));
  const big = { ...body, cv: { ...body.cv, work: [...body.cv.work, ...padding] } };
  const res = await stack.api.request("POST", "/v1/jobs", { body: big });
  assert.is(res.status, 202, JSON.stringify(res.body));
  // Finished either way, the worker has written its rows and objects: permissions are what is checked here.
  await stack.api.waitForJob(res.body.data.jobId, { timeoutMs: 30_000 });
  const events = await stack.api.request("POST", "/v1/events", { body: fixture("http/post-events.valid.json") });
  assert.is(events.status, 202);

  const entries = walk(dataDir);
  const files = entries.filter((e) => !e.isDir).map((e) => e.path.slice(dataDir.length));
  // On moto the queues, tables and objects live in moto_server, not here: only the stack's own files are.
  const emulated = stack.backend === "embedded";
  for (const part of emulated ? ["/sqs/", "/s3/", "/dynamodb/", "/keys/"] : ["/keys/"]) {
    assert.ok(
      files.some((f) => f.startsWith(part)),
      `the emulators wrote files under ${part}: ${files.join(", ")}`,
    );
  }
  if (emulated) {
    assert.ok(
      files.some((f) => f.startsWith("/s3/") && !f.includes("old-bucket")),
      "a new S3 object (the claim check)",
    );
  }
  assert.equal(openToOthers(dataDir), [], "group/other permission bits");
  assert.is(lstatSync(dataDir).mode & 0o777, 0o700, "the data directory itself is 0700");
});

test.run();
