/**
 * The offline synth as `pnpm synth` runs it: the pinned CDK CLI, then
 * cfn-lint on every template when cfn-lint is installed. Bundling is skipped
 * (stub handlers) to keep this fast and independent of packages/functions.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { infraRoot } from "../src/paths.ts";

const synth = (...args: string[]) => {
  const out = mkdtempSync(join(tmpdir(), "cvpipe-synth-"));
  const run = spawnSync(process.execPath, [join(infraRoot, "scripts", "synth.ts"), "--out", out, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { out, status: run.status, output: `${run.stdout}\n${run.stderr}` };
};

const hasCfnLint = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" }).status === 0;
let synthesised: ReturnType<typeof synth> | undefined;
const offlineSynth = () => {
  synthesised ??= synth("-c", "skipBundling=true");
  return synthesised;
};

test("offline synth writes both stacks", () => {
  const { out, status, output } = offlineSynth();
  assert.is(status, 0, output);
  assert.match(output, /synth ok in [\d.]+s: 2 templates/);
  for (const stack of ["Stateful", "Service"]) {
    const template = JSON.parse(readFileSync(join(out, `${stack}.template.json`), "utf8")) as { Resources: object };
    assert.ok(Object.keys(template.Resources).length > 0, stack);
  }
  // The CLI must not have reached for an account: the templates are environment-agnostic.
  assert.not.match(readFileSync(join(out, "Service.template.json"), "utf8"), /us-east-1|[:"]\d{12}[:"]/);
  assert.ok(existsSync(join(out, "manifest.json")));
});

// Without cfn-lint the lint is skipped, and counted as skipped (CI installs it: .ci/run).
(hasCfnLint ? test : test.skip)("every synthesised template passes cfn-lint", () => {
  const { status, output } = offlineSynth();
  assert.is(status, 0, output);
  assert.match(output, /cfn-lint clean/);
});

test("a bad context value fails the synth with the key's name", () => {
  const { status, output } = synth("-c", "skipBundling=true", "-c", "alarmEmail=not-an-email");
  assert.is.not(status, 0);
  assert.match(output, 'alarmEmail: "not-an-email" is not an email address');
});

test.run();
