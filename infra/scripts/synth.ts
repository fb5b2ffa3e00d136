/**
 * Offline synth: the pinned aws-cdk CLI (`cdk synth`) under this Node 24,
 * with notices, telemetry and the version check off and no AWS credentials
 * in reach (templates stay environment-agnostic and nothing calls AWS), then
 * cfn-lint on every synthesised template when cfn-lint is installed.
 *
 *   pnpm synth                                  real bundles (packages/functions must exist)
 *   pnpm synth -- -c skipBundling=true          stub handlers: fast, no function code needed
 *   pnpm synth -- --out /tmp/x                  write the cloud assembly elsewhere (default infra/cdk.out)
 *   pnpm synth -- --require-cfn-lint            fail when cfn-lint is missing instead of skipping it
 *
 * Other arguments go to `cdk synth` unchanged.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";

const infraRoot = join(import.meta.dirname, "..");
const cdkCli = join(infraRoot, "node_modules", "aws-cdk", "bin", "cdk");

const args = process.argv.slice(2);
const take = (flag: string): boolean => {
  const i = args.indexOf(flag);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const takeValue = (flag: string): string | undefined => {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  if (value === undefined) throw new Error(`${flag} needs a value`);
  return value;
};
const requireCfnLint = take("--require-cfn-lint");
const outArg = takeValue("--out");
const outDir = outArg ? resolve(outArg) : join(infraRoot, "cdk.out");

// Synth needs no account: hide credentials and profiles so the CLI never calls STS or the instance
// metadata service, and the templates do not depend on who runs the synth.
const emptyAwsHome = mkdtempSync(join(tmpdir(), "cvpipe-no-aws-"));
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^AWS_|^CDK_DEFAULT_/.test(k)),
);
Object.assign(env, {
  CDK_DISABLE_CLI_TELEMETRY: "true",
  CDK_DISABLE_VERSION_CHECK: "1",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONFIG_FILE: join(emptyAwsHome, "config"),
  AWS_SHARED_CREDENTIALS_FILE: join(emptyAwsHome, "credentials"),
  // This Node (24) runs the app; infra's bin directory provides esbuild for bundling.
  PATH: [dirname(process.execPath), join(infraRoot, "node_modules", ".bin"), process.env["PATH"] ?? ""].join(delimiter),
});

// Real bundling: aws-cdk-lib picks the package manager from pnpm-lock.yaml and runs `pnpm exec -- esbuild`.
const fromArgs = args.map((a) => /^skipBundling=(true|false)$/.exec(a)?.[1]).findLast((v) => v !== undefined);
const fromCdkJson = (
  JSON.parse(readFileSync(join(infraRoot, "cdk.json"), "utf8")) as { context?: { skipBundling?: unknown } }
).context?.skipBundling;
const skipBundling = fromArgs !== undefined ? fromArgs === "true" : fromCdkJson === true || fromCdkJson === "true";
if (!skipBundling && spawnSync("pnpm", ["--version"], { env }).status !== 0) {
  console.error(
    "Bundling the functions needs `pnpm` on PATH (aws-cdk-lib runs esbuild through `pnpm exec`): run this via " +
      "`pnpm synth` (or `npx pnpm@10 synth`), or pass `-c skipBundling=true` for stub handlers.",
  );
  process.exit(1);
}

const started = performance.now();
const synth = spawnSync(
  process.execPath,
  [
    cdkCli,
    "synth",
    "--app",
    `"${process.execPath}" src/app.ts`,
    "--output",
    outDir,
    "--no-notices",
    "--no-version-reporting",
    "--quiet",
    ...args,
  ],
  { cwd: infraRoot, env, stdio: "inherit" },
);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (synth.status !== 0) {
  console.error(`synth failed (exit ${synth.status ?? synth.signal}) after ${seconds}s`);
  process.exit(1);
}

interface Manifest {
  artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
}
const manifest = JSON.parse(readFileSync(join(outDir, "manifest.json"), "utf8")) as Manifest;
const templates = Object.values(manifest.artifacts ?? {})
  .filter((a) => a.type === "aws:cloudformation:stack" && a.properties?.templateFile)
  .map((a) => {
    const file = a.properties!.templateFile!;
    return isAbsolute(file) ? file : join(outDir, file);
  });
console.log(`synth ok in ${seconds}s: ${templates.length} templates in ${outDir}`);

const cfnLintFound = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" });
if (cfnLintFound.error || cfnLintFound.status !== 0) {
  const message = "cfn-lint not found on PATH: template lint skipped (install it with `pip install cfn-lint`).";
  if (requireCfnLint) {
    console.error(`${message} --require-cfn-lint was given.`);
    process.exit(1);
  }
  console.log(message);
  process.exit(0);
}
const missing = templates.filter((t) => !existsSync(t));
if (missing.length > 0) throw new Error(`templates listed in manifest.json are missing: ${missing.join(", ")}`);
// Runs from infra/ so cfn-lint reads infra/.cfnlintrc.yaml.
const lint = spawnSync("cfn-lint", ["--", ...templates], { cwd: infraRoot, stdio: "inherit" });
if (lint.status !== 0) {
  console.error(`cfn-lint found problems (exit ${lint.status})`);
  process.exit(1);
}
console.log(`cfn-lint clean (${cfnLintFound.stdout.trim()}, ${templates.length} templates)`);
