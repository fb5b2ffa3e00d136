/**
 * The test command itself (scripts/test.ts): a file process still alive after its summary is
 * reported with what keeps it alive and counted as failed, whether it stays until killed or ends
 * by itself while the runner waits for its diagnostic report; the run never crashes on it. A file
 * that exits while a process it started holds its output counts by its own exit, with a note.
 * The runner is copied into a scratch project (it finds the files under its own parent directory)
 * holding two tiny test files that print a uvu summary and then linger.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const root = join(import.meta.dirname, "..");
let scratch: string | undefined;

const summary = `console.log("  Total:     1\\n  Passed:    1\\n  Skipped:   0\\n  Duration:  1.00ms\\n");`;

test.after(() => {
  // The escaped process (its own session) outlives the run by design: ended here, then the scratch project.
  const pidFile = scratch === undefined ? undefined : join(scratch, "escaped.pid");
  if (pidFile !== undefined && existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
    } catch {
      // gone already
    }
  }
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

test("a file alive after its summary: failed with its live handles, and a file ending while its report is awaited does not crash the run", () => {
  scratch = mkdtempSync(join(tmpdir(), "cvpipe-runner-"));
  mkdirSync(join(scratch, "scripts"));
  for (const dir of ["test", "packages", "infra"]) mkdirSync(join(scratch, dir));
  for (const file of ["scripts/test.ts", "scripts/testing-condition.ts"])
    copyFileSync(join(root, file), join(scratch, file));
  writeFileSync(join(scratch, "package.json"), `{"type":"module"}\n`);
  // Held until killed: a timer that never ends.
  writeFileSync(join(scratch, "test/held.test.ts"), `${summary}\nsetInterval(() => {}, 1000);\n`);
  // Ends by itself 1.5 s after the grace: after the report signal, before the runner reads the report.
  writeFileSync(join(scratch, "test/late.test.ts"), `${summary}\nsetTimeout(() => process.exit(0), 2500);\n`);
  writeFileSync(join(scratch, "test/quick.test.ts"), `${summary}\n`);
  // Exits at once, but a process it started keeps its output open: killed, and the file counts by its own exit.
  // Exits at once, but a process it started in a session of its own keeps its output open: the run goes on.
  writeFileSync(
    join(scratch, "test/escaped.test.ts"),
    `import { spawn } from "node:child_process";\nimport { writeFileSync } from "node:fs";\n` +
      `const c = spawn("sleep", ["120"], { stdio: "inherit", detached: true });\nc.unref();\n` +
      `writeFileSync(${JSON.stringify(join(scratch, "escaped.pid"))}, String(c.pid));\n${summary}\n`,
  );
  writeFileSync(
    join(scratch, "test/orphan.test.ts"),
    `import { spawn } from "node:child_process";\nspawn("sleep", ["30"], { stdio: "inherit" }).unref();\n${summary}\n`,
  );
  const run = spawnSync(process.execPath, [join(scratch, "scripts/test.ts"), "test/"], {
    cwd: scratch,
    encoding: "utf8",
    env: { ...process.env, CVPIPE_TEST_BACKENDS: "embedded", CVPIPE_TEST_EXIT_GRACE_S: "1", TEST_CONCURRENCY: "3" },
    timeout: 60_000,
  });
  const out = `${run.stdout}${run.stderr}`;
  assert.not.match(out, /ENOENT/, out);
  assert.match(out, /^ok {3}test\/quick\.test\.ts \(1 passed, 0 failed\)/m, out);
  assert.match(out, /^FAIL test\/held\.test\.ts \(1 passed, 1 failed\)/m, out);
  assert.match(out, /^FAIL test\/late\.test\.ts \(1 passed, 1 failed\)/m, out);
  assert.match(out, /still running 1 s after its summary; what keeps it alive:\n\s+\|\s+timer/, out);
  assert.match(out, /killed 1 s after its summary: an open handle kept it alive/, out);
  assert.match(out, /^ok {3}test\/orphan\.test\.ts \(1 passed, 0 failed\)/m, out);
  assert.match(out, /exited, but [^\n]*sleep 30[^\n]* still held its output: killed/, out);
  assert.match(out, /^ok {3}test\/escaped\.test\.ts \(1 passed, 0 failed\)/m, out);
  assert.match(out, /^5 passed, 2 failed, 7 skipped$/m, out);
  assert.is(run.status, 1);
});

test("uvu as patched: a before hook that throws fails the file's tests and prints the hook's error (uvu 0.5.6 swallowed it)", () => {
  const dir = mkdtempSync(join(tmpdir(), "cvpipe-uvu-hook-"));
  try {
    const uvu = join(root, "node_modules", "uvu", "dist", "index.mjs");
    const file = join(dir, "hook.test.mjs");
    writeFileSync(
      file,
      `import { test } from ${JSON.stringify(uvu)};\n` +
        `test.before(async () => { throw new Error("listen EADDRINUSE: address already in use 127.0.0.1:4566"); });\n` +
        `test("one", () => {});\ntest("two", () => {});\ntest.run();\n`,
    );
    const run = spawnSync(process.execPath, [file], {
      encoding: "utf8",
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    const out = `${run.stdout}${run.stderr}`;
    assert.match(out, /before hook: every test of this file/, out);
    assert.match(out, /listen EADDRINUSE: address already in use 127\.0\.0\.1:4566/, out);
    assert.match(out, /Total:\s+2\s+Passed:\s+0/, out);
    assert.is(run.status, 1, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
