/**
 * `pnpm bench`: the pipeline's speed, each figure as a ratio against a
 * baseline measured side by side in the same run (absolute figures move with
 * the machine and its load; ratios measured together do not).
 *
 *   pnpm bench                  every scenario in bench/scenarios/, in order
 *   pnpm bench ingest events    only those (by id); the others keep their last figures
 *   node bench/run.ts linear    only the text-growth table (n → 4n) of linear-time.ts
 *   BENCH_QUICK=1 pnpm bench    a smoke test: small runs, written to results/quick.json only
 *
 * Each scenario (bench/scenarios/*.ts but _*.ts, `export default` a Scenario of
 * bench/scenario.ts) runs in a process of its own, so one scenario's heap,
 * servers and warm caches never weigh on the next. Progress goes to stderr;
 * the table to stdout; the figures to bench/results/latest.json and the
 * README's table (between `<!-- bench:start -->` and `<!-- bench:end -->`).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { withTestingCondition } from "../scripts/testing-condition.ts";
import { runGrowth } from "./linear-time.ts";
import type { Scenario, ScenarioRow } from "./scenario.ts";
import {
  type BenchResults,
  mergeResults,
  readResults,
  rewriteReadme,
  type ScenarioResult,
  terminalTable,
} from "./support/report.ts";

const benchDir = import.meta.dirname;
// Scenarios import the packages' testing/ modules (scripts/testing-condition.ts); they run as children.
process.env["NODE_OPTIONS"] = withTestingCondition(process.env["NODE_OPTIONS"]);
const repoRoot = join(benchDir, "..");
const scenariosDir = join(benchDir, "scenarios");
const resultsDir = join(benchDir, "results");

/** The order scenarios run and are listed in; any other scenario file comes after, by id. */
const ORDER = ["tailoring", "engine", "ingest", "events", "jobs-e2e", "memory", "reporter", "bundles"];
/** A scenario still running after this long is stopped and reported as failed. */
const SCENARIO_TIMEOUT_MS = Number(process.env["BENCH_SCENARIO_TIMEOUT_S"] ?? 300) * 1000;
const quick = process.env["BENCH_QUICK"] === "1";

const scenarioFiles = (): Map<string, string> => {
  const files = readdirSync(scenariosDir)
    // A name starting with "_" is a helper or an experiment, not a scenario.
    .filter((f) => f.endsWith(".ts") && !f.startsWith("_") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"))
    .map((f) => [basename(f, ".ts"), join(scenariosDir, f)] as const);
  const rank = (id: string) => {
    const i = ORDER.indexOf(id);
    return i < 0 ? ORDER.length : i;
  };
  return new Map([...files].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)));
};

const isScenario = (value: unknown): value is Scenario =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Scenario).id === "string" &&
  typeof (value as Scenario).run === "function";

/** In the scenario's own process: run it and hand the rows to the parent. */
const runChild = async (file: string): Promise<void> => {
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  const scenario = module.default;
  if (!isScenario(scenario)) throw new Error(`${file} does not export default a Scenario (bench/scenario.ts)`);
  const rows = await scenario.run({
    progress: (message) => process.stderr.write(`  ${scenario.id}: ${message}\n`),
    quick,
  });
  await new Promise<void>((resolve, reject) =>
    process.send!({ title: scenario.title, rows }, (error: Error | null) => (error ? reject(error) : resolve())),
  );
};

const runScenario = (id: string, file: string): Promise<ScenarioResult> =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["--expose-gc", import.meta.filename, "--scenario", file], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: process.env,
    });
    let answer: { title: string; rows: ScenarioRow[] } | undefined;
    let error: string | undefined;
    child.on("message", (m) => {
      answer = m as typeof answer;
    });
    const timer = setTimeout(() => {
      error = `timed out after ${SCENARIO_TIMEOUT_MS / 1000} s`;
      child.kill("SIGKILL");
    }, SCENARIO_TIMEOUT_MS);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!answer && !error) error = `exited with ${signal ?? code} before reporting`;
      resolve({
        id,
        title: answer?.title ?? id,
        measuredAt: new Date(started).toISOString(),
        seconds: Math.round((Date.now() - started) / 100) / 10,
        rows: answer?.rows ?? [],
        ...(error ? { error } : {}),
      });
    });
  });

/** Formats a written file as the repository's formatter would (so `pnpm lint` stays clean); left as written if it cannot run. */
const formatFile = (file: string): void => {
  try {
    execFileSync(join(repoRoot, "node_modules", ".bin", "biome"), ["format", "--write", file], { stdio: "ignore" });
  } catch {
    // an unformatted file still holds the same figures
  }
};

const writeJson = (file: string, value: unknown): void => {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  formatFile(file);
};

const gitCommit = (): string => {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "packages", "bench"], {
      cwd: repoRoot,
      encoding: "utf8",
    }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return "unknown";
  }
};

const main = async (): Promise<void> => {
  const args = process.argv.slice(2);
  if (args[0] === "--scenario") {
    // A scenario may leave handles open (servers, timers): its process ends once the rows are handed over.
    await runChild(args[1]!).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  }
  if (args[0] === "linear") {
    runGrowth();
    return;
  }
  const files = scenarioFiles();
  const unknown = args.filter((a) => !files.has(a));
  if (unknown.length > 0) {
    console.error(`no such scenario: ${unknown.join(", ")} (there are: ${[...files.keys()].join(", ")}; or "linear")`);
    process.exit(2);
  }
  const chosen = args.length > 0 ? [...files].filter(([id]) => args.includes(id)) : [...files];
  const machine = { cpus: cpus().length, model: cpus()[0]?.model.trim() ?? "unknown", loadAverage: loadavg() };
  const started = Date.now();
  process.stderr.write(
    `cvpipe bench: ${chosen.map(([id]) => id).join(", ")}${quick ? " (BENCH_QUICK: figures not meaningful)" : ""}; ${machine.cpus} CPUs, load ${machine.loadAverage.map((l) => l.toFixed(1)).join(" ")}\n`,
  );
  const measured: ScenarioResult[] = [];
  for (const [index, [id, file]] of chosen.entries()) {
    process.stderr.write(`[${index + 1}/${chosen.length}] ${id} …\n`);
    const result = await runScenario(id, file);
    measured.push(result);
    process.stderr.write(
      `[${index + 1}/${chosen.length}] ${id}: ${result.error ? `FAILED (${result.error})` : `${result.rows.length} row(s)`} in ${result.seconds} s\n`,
    );
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`\n${terminalTable(measured)}\n`);
  console.log(`${measured.length} scenario(s) in ${seconds.toFixed(0)} s`);

  mkdirSync(resultsDir, { recursive: true });
  const run = { generatedAt: new Date().toISOString(), commit: gitCommit(), node: process.version, machine, quick };
  if (quick) {
    writeJson(join(resultsDir, "quick.json"), { ...run, scenarios: measured });
    console.log("BENCH_QUICK: written to bench/results/quick.json only");
  } else {
    const latest = join(resultsDir, "latest.json");
    const results: BenchResults = mergeResults(readResults(latest), run, measured, ORDER);
    writeJson(latest, results);
    const readmeFile = join(repoRoot, "README.md");
    const readme = rewriteReadme(readmeFile, results);
    if (readme) formatFile(readmeFile); // the table's column widths are the formatter's
    console.log(`written: bench/results/latest.json${readme ? ", README.md (bench table)" : ""}`);
  }
  if (measured.some((m) => m.error)) process.exitCode = 1;
};

await main();
