/**
 * The test command. Runs the type checker, the linter and every uvu test file
 * (each in its own Node process, so servers and env never leak between files),
 * then prints one closing line: `N passed, N failed, N skipped` (a test whose
 * tool is missing is skipped with `test.skip`, never counted as passed).
 *
 *   pnpm test                 everything
 *   pnpm test core tailor     only test files whose path contains one of the words
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");
const filters = process.argv.slice(2);
const concurrency = Number(process.env["TEST_CONCURRENCY"] ?? 2);

const walk = (dir: string): string[] => {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "cdk.out" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
};

const testFiles = [join(root, "packages"), join(root, "infra"), join(root, "test")]
  .flatMap((dir) => walk(dir))
  .map((p) => relative(root, p))
  .filter((p) => filters.length === 0 || filters.some((f) => p.includes(f)))
  .sort();

interface Outcome {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  output: string;
}

const run = (name: string, command: string, args: string[], countTests: boolean): Promise<Outcome> =>
  new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("close", (code) => {
      if (!countTests) {
        resolve({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, output });
        return;
      }
      const total = Number(/Total:\s+(\d+)/.exec(output)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(output)?.[1] ?? 0);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(output)?.[1] ?? 0);
      // uvu's Total leaves skipped tests out. A file that crashed before its summary counts as one failure.
      const failed = Math.max(total - passed, code === 0 ? 0 : 1);
      resolve({ name, passed, failed, skipped, output });
    });
  });

const jobs: Array<() => Promise<Outcome>> = [];
if (filters.length === 0) {
  jobs.push(() => run("typecheck", "tsc", ["--noEmit", "-p", "tsconfig.json"], false));
  jobs.push(() => run("lint", "biome", ["check", "."], false));
}
for (const file of testFiles) jobs.push(() => run(file, process.execPath, [file], true));

const outcomes: Outcome[] = [];
let next = 0;
const worker = async (): Promise<void> => {
  while (next < jobs.length) {
    const job = jobs[next++]!;
    const outcome = await job();
    outcomes.push(outcome);
    const mark = outcome.failed > 0 ? "FAIL" : "ok  ";
    const skips = outcome.skipped > 0 ? `, ${outcome.skipped} skipped` : "";
    console.log(`${mark} ${outcome.name} (${outcome.passed} passed, ${outcome.failed} failed${skips})`);
    if (outcome.failed > 0) console.log(outcome.output.replace(/^/gm, "     | "));
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));

const passed = outcomes.reduce((n, o) => n + o.passed, 0);
const failed = outcomes.reduce((n, o) => n + o.failed, 0);
const skipped = outcomes.reduce((n, o) => n + o.skipped, 0);
if (testFiles.length === 0 && filters.length > 0) console.log(`no test file matches ${filters.join(" ")}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
// A run that ran nothing at all fails; a run whose every matching test was skipped (tool absent) does not.
process.exitCode = failed > 0 || passed + skipped === 0 ? 1 : 0;
