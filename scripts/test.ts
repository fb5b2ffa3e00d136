/**
 * The test command. Runs the type checker, the linter and every uvu test file
 * (each in its own Node process, so servers and env never leak between files),
 * then the integration tests (test/*.test.ts) a second time on moto
 * (`CVPIPE_TEST_BACKEND=moto`, test/support/moto.ts: one moto_server per file
 * for SQS, S3, DynamoDB and SES; their lines read `ok   [moto] test/x.test.ts`),
 * and prints one closing line over both runs: `N passed, N failed, N skipped`
 * (a test whose tool is missing is skipped with `test.skip`, never counted as
 * passed; where moto_server is not installed, every test of the moto run is
 * counted as skipped).
 *
 *   pnpm test                 everything
 *   pnpm test core tailor     only test files whose path contains one of the words
 *   CVPIPE_TEST_BACKENDS=embedded pnpm test    without the moto run (its tests count as skipped)
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { withTestingCondition } from "./testing-condition.ts";

const root = join(import.meta.dirname, "..");
// Every file, and whatever it starts, may import the packages' testing/ modules (testing-condition.ts).
process.env["NODE_OPTIONS"] = withTestingCondition(process.env["NODE_OPTIONS"]);
const filters = process.argv.slice(2);
const concurrency = Number(process.env["TEST_CONCURRENCY"] ?? 2);
const backends = new Set((process.env["CVPIPE_TEST_BACKENDS"] ?? "embedded,moto").split(/[\s,]+/).filter(Boolean));

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

/**
 * Integration files the moto run leaves out, and why: they use no AWS service (nothing to run on
 * another backend), or already run against a moto of their own in the first run. Files whose tests
 * cannot make sense on moto run and report those tests as skipped, with the reason (unlessMoto).
 */
const notOnMoto: Readonly<Record<string, string>> = {
  "test/cv-text-injection.test.ts": "uses no AWS service",
  "test/fault-proxy.test.ts": "uses no AWS service",
  "test/gateway.test.ts": "uses no AWS service",
  "test/test-runner.test.ts": "uses no AWS service",
  "test/dlq-redrive-moto.test.ts": "runs against moto of its own in the first run",
  "test/id-secret.test.ts": "runs against moto of its own in the first run",
  "test/serial-http-proxy.test.ts": "runs against moto of its own in the first run",
  "test/chaos-kill.test.ts":
    "kills the stack's process to prove its emulators' state survives; on moto the services live outside that process, so the kill proves nothing the first run does not (and the run takes minutes)",
};

interface Outcome {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  output: string;
  /** Why tests were skipped on moto (the files' `skip on moto:` lines), or why the whole moto run was. */
  notes?: string[];
  /** How long the file's process ran, ms. */
  ms?: number;
}

/**
 * A file process still running after this long is killed together with everything it started (its
 * process group: stacks, moto_server) and counts as failed: one test that hangs, or a process kept
 * alive by an open handle after its summary, cannot hold a runner slot for the rest of the run.
 */
const fileTimeoutSeconds = Number(process.env["CVPIPE_TEST_FILE_TIMEOUT_S"] ?? 1200);
/**
 * A file whose tests have all run (uvu printed its summary) but whose process is still alive this long
 * after is held open by a handle it never closed: the runner asks it for a Node diagnostic report
 * (`--report-on-signal`), adds the handles that keep its event loop alive to its output, and kills it.
 * It counts as failed, as any file that does not exit does, without holding a slot for 20 minutes;
 * its output then names the processes of its group and what each of its threads waits on. A file that
 * exited while a process it started still holds its output open is not held open itself: after 5 s the
 * group is killed, the file counts by its own exit, and a note names what was left behind.
 */
const exitGraceSeconds = Number(process.env["CVPIPE_TEST_EXIT_GRACE_S"] ?? 60);
const REPORT_SIGNAL = "SIGUSR2";

/** The libuv handles that keep a process alive, from a Node diagnostic report (JSON). */
const liveHandles = (reportJson: string): string[] => {
  const report = JSON.parse(reportJson) as {
    libuv?: {
      type: string;
      is_active?: boolean;
      is_referenced?: boolean;
      localEndpoint?: unknown;
      remoteEndpoint?: unknown;
      pid?: number;
    }[];
  };
  return (report.libuv ?? [])
    .filter((h) => h.is_active && h.is_referenced && h.type !== "async" && h.type !== "signal")
    .map((h) =>
      [
        h.type,
        h.localEndpoint ? `local ${JSON.stringify(h.localEndpoint)}` : "",
        h.remoteEndpoint ? `remote ${JSON.stringify(h.remoteEndpoint)}` : "",
        h.pid ? `pid ${h.pid}` : "",
      ]
        .filter(Boolean)
        .join(" "),
    );
};
/** Process groups of the file processes now running, killed if the runner itself is stopped. */
const groups = new Set<number>();
/** The processes of a process group, one `pid command` each, for a message. */
const processesOf = (pgid: number): string => {
  // pgrep -g selects by process group (procps' ps -g selects by session).
  const ps = spawnSync("pgrep", ["-a", "-g", String(pgid)], { encoding: "utf8", timeout: 5000 });
  return (ps.stdout ?? "")
    .split("\n")
    .map((l) => l.trim().slice(0, 120))
    .filter(Boolean)
    .join("; ");
};

/** Each thread of a process with its state and where it waits in the kernel (a thread stuck in a call shows here). */
const threadsOf = (pid: number): string => {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .map((tid) => {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        const name = /\((.*)\)/.exec(stat)?.[1] ?? "?";
        const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
        const wchan = existsSync(`/proc/${pid}/task/${tid}/wchan`)
          ? readFileSync(`/proc/${pid}/task/${tid}/wchan`, "utf8")
          : "";
        return `${name} ${state}${wchan && wchan !== "0" ? ` ${wchan}` : ""}`;
      })
      .join(", ");
  } catch {
    return "(gone)";
  }
};

const killGroup = (pid: number): void => {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    for (const pid of groups) killGroup(pid);
    process.exit(130);
  });
}

const run = (
  name: string,
  command: string,
  args: string[],
  countTests: boolean,
  env: Record<string, string> = {},
): Promise<Outcome> =>
  new Promise((resolve) => {
    const start = Date.now();
    // Node test files can be asked for a diagnostic report (watchExit), written here.
    const reportDir = countTests ? mkdtempSync(join(tmpdir(), "cvpipe-test-report-")) : undefined;
    const reportArgs = reportDir
      ? ["--report-on-signal", `--report-signal=${REPORT_SIGNAL}`, `--report-directory=${reportDir}`]
      : [];
    const child = spawn(command, [...reportArgs, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that a timeout ends what it started too.
      detached: true,
    });
    const pid = child.pid;
    if (pid !== undefined) groups.add(pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid);
    }, fileTimeoutSeconds * 1000);
    let output = "";
    let heldOpen: NodeJS.Timeout | undefined;
    let reportWait: NodeJS.Timeout | undefined;
    let heldOpenKilled = false;
    let described = false;
    /** What kept it alive, from its diagnostic report (read once: on the wait's end or when it closes first). */
    const describeHeldOpen = (): void => {
      if (described || !reportDir) return;
      described = true;
      const report = existsSync(reportDir) ? readdirSync(reportDir).find((f) => f.endsWith(".json")) : undefined;
      const handles = report ? liveHandles(readFileSync(join(reportDir, report), "utf8")) : [];
      output += `\nstill running ${exitGraceSeconds} s after its summary; what keeps it alive:\n${
        handles.length > 0 ? handles.map((h) => `  ${h}`).join("\n") : "  (no report)"
      }\n${pid === undefined ? "" : `  processes: ${processesOf(pid)}\n  its threads: ${threadsOf(pid)}\n`}`;
    };
    const watchExit = (): void => {
      if (heldOpen || exited || !reportDir || !/^\s+Duration:\s+[\d.]+m?s$/m.test(output)) return;
      heldOpen = setTimeout(() => {
        heldOpenKilled = true;
        try {
          child.kill(REPORT_SIGNAL);
        } catch {
          // gone meanwhile
        }
        // Cleared when the child closes first: its report directory is gone by then.
        reportWait = setTimeout(() => {
          describeHeldOpen();
          if (pid !== undefined) killGroup(pid);
        }, 3000);
      }, exitGraceSeconds * 1000);
    };
    // Exited, but its output stays open: a process it started holds it (the group kill below ends that).
    let leftBehind: NodeJS.Timeout | undefined;
    let exited = false;
    let orphans: string | undefined;
    child.on("exit", () => {
      exited = true;
      clearTimeout(heldOpen);
      leftBehind = setTimeout(() => {
        if (pid === undefined) return;
        orphans = processesOf(pid) || "a process outside its group";
        killGroup(pid);
        // A process that left the group (its own session) keeps the pipes open: stop reading them, so that
        // 'close' comes and the run goes on.
        child.stdout.destroy();
        child.stderr.destroy();
      }, 5000);
    });
    child.stdout.on("data", (d) => {
      output += d;
      watchExit();
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("close", (code) => {
      clearTimeout(leftBehind);
      clearTimeout(timer);
      clearTimeout(heldOpen);
      clearTimeout(reportWait);
      if (heldOpenKilled) describeHeldOpen();
      if (reportDir) rmSync(reportDir, { recursive: true, force: true });
      if (pid !== undefined) {
        groups.delete(pid);
        // Whatever it left behind (a server it did not stop) goes with it.
        killGroup(pid);
      }
      if (timedOut) output += `\nkilled after ${fileTimeoutSeconds} s (CVPIPE_TEST_FILE_TIMEOUT_S)\n`;
      if (!countTests) {
        const ms = Date.now() - start;
        resolve({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, output, ms });
        return;
      }
      const total = Number(/Total:\s+(\d+)/.exec(output)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(output)?.[1] ?? 0);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(output)?.[1] ?? 0);
      // uvu's Total leaves skipped tests out. A file that crashed before its summary counts as one failure.
      const failed = Math.max(total - passed, code === 0 && !heldOpenKilled ? 0 : 1);
      const notes = [...output.matchAll(/^skip on moto: (.*)$/gm)].map((m) => `skipped on moto: ${m[1]}`);
      if (heldOpenKilled) notes.push(`killed ${exitGraceSeconds} s after its summary: an open handle kept it alive`);
      if (orphans !== undefined) notes.push(`exited, but ${orphans} still held its output: killed`);
      if (timedOut)
        notes.push(`killed after ${fileTimeoutSeconds} s (CVPIPE_TEST_FILE_TIMEOUT_S), with what it started`);
      const ms = Date.now() - start;
      resolve({ name, passed, failed, skipped, output, ms, ...(notes.length > 0 ? { notes } : {}) });
    });
  });

/** Whether moto_server starts here (`-h` answers); asked once, while the first run goes on. */
const motoInstalled = (): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = spawn("moto_server", ["-h"], { stdio: "ignore" });
    probe.once("error", () => resolve(false));
    probe.once("exit", (code) => resolve(code === 0));
  });

const jobs: Array<() => Promise<Outcome>> = [];
if (filters.length === 0) {
  jobs.push(() => run("typecheck", "tsc", ["--noEmit", "-p", "tsconfig.json"], false));
  jobs.push(() => run("lint", "biome", ["check", "."], false));
}
/** Each file's outcome on the embedded backend, for the moto run to count as skipped when it cannot run. */
const embedded = new Map<string, Promise<Outcome>>();
for (const file of testFiles) {
  let settle!: (o: Outcome) => void;
  embedded.set(file, new Promise((resolve) => (settle = resolve)));
  jobs.push(async () => {
    const outcome = await run(file, process.execPath, [file], true, { CVPIPE_TEST_BACKEND: "embedded" });
    settle(outcome);
    return outcome;
  });
}
const motoFiles = testFiles.filter((f) => f.startsWith("test/") && !(f in notOnMoto));
const motoSkipped = testFiles.filter((f) => f in notOnMoto);
let motoAvailable: Promise<string | undefined> | undefined;
/** Why the moto run cannot run here, or undefined when it can. */
const motoMissing = (): Promise<string | undefined> => {
  motoAvailable ??= backends.has("moto")
    ? motoInstalled().then((ok) => (ok ? undefined : "moto_server is not installed"))
    : Promise.resolve("CVPIPE_TEST_BACKENDS leaves moto out");
  return motoAvailable;
};
if (motoFiles.length > 0) void motoMissing();
for (const file of motoFiles) {
  const name = `[moto] ${file}`;
  jobs.push(async () => {
    const missing = await motoMissing();
    // moto.ts preloaded: the file's moto is up and AWS_ENDPOINT_URL_<SERVICE> set before the file loads.
    const preload = ["--import", pathToFileURL(join(root, "test/support/moto.ts")).href];
    if (missing === undefined)
      return run(name, process.execPath, [...preload, file], true, { CVPIPE_TEST_BACKEND: "moto" });
    // The same tests as the first run, none of them run: all skipped (never passed).
    const first = await embedded.get(file)!;
    const count = first.passed + first.failed + first.skipped;
    return { name, passed: 0, failed: 0, skipped: count, output: "", notes: [`not run: ${missing}`] };
  });
}

const outcomes: Outcome[] = [];
let next = 0;
const worker = async (): Promise<void> => {
  while (next < jobs.length) {
    const job = jobs[next++]!;
    const outcome = await job();
    outcomes.push(outcome);
    const mark = outcome.failed > 0 ? "FAIL" : outcome.passed === 0 && outcome.skipped > 0 ? "skip" : "ok  ";
    const skips = outcome.skipped > 0 ? `, ${outcome.skipped} skipped` : "";
    const took = outcome.ms === undefined ? "" : ` ${Math.round(outcome.ms / 1000)} s`;
    console.log(`${mark} ${outcome.name} (${outcome.passed} passed, ${outcome.failed} failed${skips})${took}`);
    for (const note of new Set(outcome.notes ?? [])) console.log(`     - ${note}`);
    if (outcome.failed > 0) console.log(outcome.output.replace(/^/gm, "     | "));
  }
};
const started = Date.now();
await Promise.all(Array.from({ length: concurrency }, worker));
for (const file of motoSkipped) console.log(`-    [moto] ${file}: not in the moto run (${notOnMoto[file]})`);
const seconds = (list: Outcome[]): string => `${Math.round(list.reduce((n, o) => n + (o.ms ?? 0), 0) / 1000)} s`;
const onMotoRun = outcomes.filter((o) => o.name.startsWith("[moto] "));
console.log(
  `time: ${Math.round((Date.now() - started) / 1000)} s wall; file processes: first run ${seconds(outcomes.filter((o) => !onMotoRun.includes(o)))}, moto run ${seconds(onMotoRun)} (concurrency ${concurrency})`,
);

const passed = outcomes.reduce((n, o) => n + o.passed, 0);
const failed = outcomes.reduce((n, o) => n + o.failed, 0);
const skipped = outcomes.reduce((n, o) => n + o.skipped, 0);
if (testFiles.length === 0 && filters.length > 0) console.log(`no test file matches ${filters.join(" ")}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
// A run that ran nothing at all fails; a run whose every matching test was skipped (tool absent) does not.
process.exitCode = failed > 0 || passed + skipped === 0 ? 1 : 0;
