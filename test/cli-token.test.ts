/**
 * `cvpipe token` as a new user meets it: a data directory the stack never started in, a
 * negative --ttl, and `TOKEN=$(pnpm --silent cvpipe token …)`, which must not be silently empty.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { loadOrCreateKeys } from "@cvpipe/local/jwt-keys";
import { decodeJwt } from "jose";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "./support/cli.ts";
import { repoRoot, tempDataDir } from "./support/stack.ts";

const exec = promisify(execFile);
const identity = ["token", "--tenant", "acme", "--user", "alice"];
const pnpm = ["-y", "pnpm@10.34.8"];
// The README's pnpm, as a user runs it; where it cannot run here the test is skipped, not passed.
const pnpmRuns = await exec("npx", [...pnpm, "--version"], { cwd: repoRoot, timeout: 60_000 }).then(
  () => true,
  () => false,
);
if (!pnpmRuns) console.log("skip: npx -y pnpm@10.34.8 does not run here");
const withPnpm = pnpmRuns ? test : test.skip;

test("no stack ever started under CVPIPE_DATA_DIR: stderr names the variable, the directory and how to start there", async () => {
  const dir = tempDataDir();
  const r = await runCli(identity, { CVPIPE_DATA_DIR: dir });
  assert.is.not(r.code, 0);
  assert.is(r.out, "", "nothing on stdout: a $(…) capture stays empty only with an error on stderr");
  assert.match(r.err, /CVPIPE_DATA_DIR/);
  assert.ok(r.err.includes(dir), r.err);
  assert.ok(r.err.includes(`CVPIPE_DATA_DIR=${dir} pnpm start`), r.err);
  assert.not.match(r.err, /start the stack once/);
});

withPnpm("pnpm --silent cvpipe token without a stack: the error still reaches stderr, exit non-zero", async () => {
  const dir = tempDataDir();
  const r = await exec("npx", [...pnpm, "--silent", "cvpipe", ...identity], {
    cwd: repoRoot,
    env: { ...process.env, CVPIPE_DATA_DIR: dir },
  }).then(
    (x) => ({ code: 0, out: x.stdout, err: x.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
  assert.is.not(r.code, 0);
  assert.is(r.out, "");
  assert.ok(r.err.includes(`CVPIPE_DATA_DIR=${dir} pnpm start`), r.err);
});

test("--ttl -5 and --ttl=-5: the flag and its rule, exit 2", async () => {
  const dir = tempDataDir();
  await loadOrCreateKeys(dir);
  for (const ttl of [["--ttl", "-5"], ["--ttl=-5"], ["--ttl", "0"], ["--ttl", "soon"]]) {
    const r = await runCli([...identity, ...ttl], { CVPIPE_DATA_DIR: dir });
    assert.is(r.code, 2, ttl.join(" "));
    assert.match(r.err, /--ttl: must be a positive whole number of seconds/, ttl.join(" "));
    assert.not.match(r.err, /ambiguous/);
  }
});

test("a stack's key under CVPIPE_DATA_DIR: a token on stdout alone, with the --ttl asked for", async () => {
  const dir = tempDataDir();
  await loadOrCreateKeys(dir);
  const r = await runCli([...identity, "--ttl", "60"], { CVPIPE_DATA_DIR: dir, CVPIPE_CLOCK_OFFSET_MS: "0" });
  assert.is(r.code, 0, r.err);
  const claims = decodeJwt(r.out.trim());
  assert.is(claims.sub, "alice");
  assert.is((claims.exp ?? 0) - (claims.iat ?? 0), 60);
});

test("--json: the token with its tenant, user, scopes and expiry (docs/cli.md)", async () => {
  const dir = tempDataDir();
  await loadOrCreateKeys(dir);
  const fixed = Date.parse("2026-11-20T10:00:00Z") - Date.now();
  const r = await runCli([...identity, "--ttl", "60", "--scope", "cvpipe/jobs.read", "--json"], {
    CVPIPE_DATA_DIR: dir,
    CVPIPE_CLOCK_OFFSET_MS: String(fixed),
  });
  assert.is(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  assert.equal(Object.keys(out), ["token", "tenantId", "userId", "scopes", "expiresAt"]);
  assert.equal(out.scopes, ["cvpipe/jobs.read"]);
  assert.is(decodeJwt(out.token).exp, Date.parse(out.expiresAt) / 1000);
  assert.match(out.expiresAt, /^2026-11-20T10:01:0\d/);
});

test.run();
