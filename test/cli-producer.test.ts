/**
 * The producer commands of the CLI against the running embedded stack, through its API: a CV
 * uploaded, versioned, listed, read and deleted (`cvpipe cvs`), and a job submitted by reference
 * and waited for (`cvpipe jobs submit --cv-id … --wait`), whose match report is printed and whose
 * tailored CV is written to files. Refusals reach stderr with the field and a non-zero exit.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { repoRoot, startTestStack, type TestStack } from "./support/stack.ts";

const exec = promisify(execFile);
let stack: TestStack;
let dir: string;
const cvpipe = (args: string[]) =>
  exec(process.execPath, [join(repoRoot, "packages/cli/src/cvpipe.ts"), ...args], {
    env: { ...process.env, CVPIPE_DATA_DIR: stack.info.dataDir },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
const who = ["--tenant", "acme", "--user", "cli-producer"];

test.before(async () => {
  stack = await startTestStack({ clockStart: new Date("2026-11-18T10:00:00Z") });
  dir = mkdtempSync(join(tmpdir(), "cvpipe-cli-producer-"));
  const sample = fixture("http/post-job.valid.json") as { cv: Record<string, unknown>; job: unknown };
  writeFileSync(join(dir, "cv.json"), JSON.stringify(sample.cv));
  writeFileSync(
    join(dir, "cv-v2.json"),
    JSON.stringify({ ...sample.cv, basics: { ...(sample.cv["basics"] as object), label: "Staff Engineer" } }),
  );
  writeFileSync(join(dir, "posting.json"), JSON.stringify(sample.job));
  writeFileSync(join(dir, "bad.json"), JSON.stringify({ basics: { email: "nope" } }));
});
test.after(async () => stack?.close());

test("cvs upload, upload --cv-id (a version), list, get, then jobs submit --cv-id --wait writes the tailored CV", async () => {
  const up = await cvpipe(["cvs", "upload", ...who, join(dir, "cv.json"), "--json"]);
  assert.is(up.code, 0, up.err);
  const { cvId, version } = JSON.parse(up.out) as { cvId: string; version: number };
  assert.is(version, 1);
  const v2 = await cvpipe(["cvs", "upload", ...who, join(dir, "cv-v2.json"), "--cv-id", cvId]);
  assert.is(v2.code, 0, v2.err);
  assert.match(v2.out, `stored: CV ${cvId} version 2`);
  const list = await cvpipe(["cvs", "list", ...who]);
  assert.match(list.out, new RegExp(`${cvId}  v2 +json-resume`));
  const got = await cvpipe(["cvs", "get", ...who, cvId, "--version", "1", "--out", join(dir, "back.json")]);
  assert.is(got.code, 0, got.err);
  assert.equal(
    JSON.parse(readFileSync(join(dir, "back.json"), "utf8")),
    JSON.parse(readFileSync(join(dir, "cv.json"), "utf8")),
  );

  const out = join(dir, "out");
  const submitted = await cvpipe([
    "jobs",
    "submit",
    ...who,
    "--cv-id",
    cvId,
    "--posting",
    join(dir, "posting.json"),
    "--wait",
    "--out",
    out,
  ]);
  assert.is(submitted.code, 0, submitted.err);
  assert.match(submitted.out, /job [0-9a-f-]{36} SUCCEEDED/);
  assert.match(submitted.out, /match score \d+\/100/);
  assert.match(submitted.out, "verification passed");
  const jobId = /job ([0-9a-f-]{36}) SUCCEEDED/.exec(submitted.out)![1]!;
  const resume = JSON.parse(readFileSync(join(out, jobId, "resume.json"), "utf8"));
  assert.is(resume.basics.label, "Staff Engineer", "the latest version was used");
  assert.match(readFileSync(join(out, jobId, "cv.md"), "utf8"), "Dana Okafor");
  const job = await stack.api.request("GET", `/v1/jobs/${jobId}`, { user: "cli-producer" });
  assert.equal(job.body.data.cvRef, { cvId, version: 2 });

  const del = await cvpipe(["cvs", "delete", ...who, cvId, "--json"]);
  assert.is(del.code, 0, del.err);
  assert.equal(JSON.parse(del.out), { cvId, deleted: true });
  const gone = await cvpipe(["cvs", "get", ...who, cvId]);
  assert.is(gone.code, 1);
  assert.match(gone.err, "404 CV_NOT_FOUND");
});

test("refusals name the field on stderr and exit non-zero; usage mistakes exit 2", async () => {
  const bad = await cvpipe(["cvs", "upload", ...who, join(dir, "bad.json")]);
  assert.is(bad.code, 1);
  assert.match(bad.err, "400 VALIDATION_ERROR");
  assert.match(bad.err, "body.cv.basics.email");
  const both = await cvpipe([
    "jobs",
    "submit",
    ...who,
    "--cv",
    join(dir, "cv.json"),
    "--cv-id",
    "x",
    "--posting",
    join(dir, "posting.json"),
  ]);
  assert.is(both.code, 2);
  assert.match(both.err, "exactly one of --cv FILE");
  const unknown = await cvpipe([
    "jobs",
    "submit",
    ...who,
    "--cv-id",
    "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e",
    "--posting",
    join(dir, "posting.json"),
  ]);
  assert.is(unknown.code, 1);
  assert.match(unknown.err, "404 CV_NOT_FOUND");
  assert.not.match(unknown.err, "deprecated");
  const none = await cvpipe(["jobs", "submit", ...who, "--cv-id", "x"]);
  assert.is(none.code, 2);
  assert.match(none.err, "--posting FILE is required");
});

test("jobs submit --job FILE, the old name of --posting, still reads the posting, with a one-line notice on stderr", async () => {
  const old = await cvpipe([
    "jobs",
    "submit",
    ...who,
    "--cv-id",
    "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e",
    "--job",
    join(dir, "posting.json"),
  ]);
  assert.is(old.code, 1, "the posting was read and the request sent");
  assert.match(old.err, "404 CV_NOT_FOUND");
  const notice = old.err.split("\n").filter((l) => l.includes("deprecated"));
  assert.equal(notice, [
    "cvpipe jobs submit: --job FILE is deprecated, use --posting FILE (--job names a job id elsewhere)",
  ]);
  const both = await cvpipe(["jobs", "submit", ...who, "--cv-id", "x", "--job", "a.json", "--posting", "b.json"]);
  assert.is(both.code, 2);
  assert.match(both.err, "give --posting FILE only");
});

test.run();
