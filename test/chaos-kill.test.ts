/**
 * Chaos: the embedded stack (`pnpm start`'s entry, a child process on one
 * data directory) is SIGKILLed at seeded-random moments while its workers
 * drain thousands of jobs and events from dozens of users, and restarted each
 * time. Producers keep submitting through the kills and send a request again
 * (same Idempotency-Key, same event ids) when its connection dies. Afterwards:
 * every job is in exactly one terminal state with exactly one result and one
 * standing outcome; every event is stored once and counted once (aggregates =
 * recount of the raw events = what was sent); the weekly report's figures are
 * the recount's; every queue and DLQ is empty, nothing left in flight.
 *
 * Repeat a run: CVPIPE_CHAOS_SEED=<seed> (printed). Size: CVPIPE_CHAOS_JOBS,
 * CVPIPE_CHAOS_EVENTS, CVPIPE_CHAOS_USERS, CVPIPE_CHAOS_KILLS (defaults: the
 * issue's 2,000 jobs, 10,000 events, 60 users, 4 kills); CVPIPE_CHAOS_KILL_AFTER_MS
 * ("15000-35000": how long after each start its kill comes, seeded in that range).
 *
 * The stack runs on a fixed clock (CVPIPE_CLOCK_OFFSET_MS: it starts at
 * START, whatever today is) that carries on across restarts. The sweeper's
 * stuck-job rule never comes into it: every submission is retried until it is
 * accepted, so no job is left QUEUED without a message, and the clock does not
 * jump. Queues run with a 10 s visibility timeout (CVPIPE_VISIBILITY_TIMEOUT_SECONDS)
 * instead of the topology's 6 x the function timeout, so what was in flight at
 * a kill comes back within the run.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createSqsClient } from "@cvpipe/aws/clients";
import { weekOfEvent } from "@cvpipe/core/analytics/aggregate";
import { isoWeekOf } from "@cvpipe/core/analytics/iso-week";
import type { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import { outcomeEvent } from "@cvpipe/core/jobs/job-outcome";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import { CLOCK_OFFSET_ENV, clockFromEnv, clockOffsetTo, systemClock } from "@cvpipe/core/ports/clock";
import { Rng } from "@cvpipe/core/testing/random";
import { tables } from "@cvpipe/core/topology";
import { mintToken, readKeys } from "@cvpipe/local/jwt-keys";
import type { LocalSettings } from "@cvpipe/local/settings";
import type { StackInfo } from "@cvpipe/local/stack";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkedFetch } from "./support/answer-contract.ts";
import { classifyDeadLetters, formatDeadLetter } from "./support/chaos/dead-letters.ts";
import { type Accepted, Producers, userKeyOf } from "./support/chaos/producer.ts";
import { checkReport, refold } from "./support/chaos/report.ts";
import { inFlightAt } from "./support/chaos/sqs-store.ts";
import { type JobAnswer, readTables, verify } from "./support/chaos/verify.ts";
import { BANNED_PHRASE, buildWorkload } from "./support/chaos/workload.ts";
import { formatDepths, queueDepths, queueUrls, total, waitDrained } from "./support/queues.ts";
import { repoRoot, testSettings, until } from "./support/stack.ts";
import { readStackInfo } from "./support/stack-info.ts";
import { type StackProcess, spawnStack, waitReady } from "./support/stack-process.ts";

const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
};

const SEED = envInt("CVPIPE_CHAOS_SEED", 20_261_118);
const SIZES = {
  jobs: envInt("CVPIPE_CHAOS_JOBS", 2000),
  events: envInt("CVPIPE_CHAOS_EVENTS", 10_000),
  users: envInt("CVPIPE_CHAOS_USERS", 60),
};
const KILLS = envInt("CVPIPE_CHAOS_KILLS", 4);
/** Producer requests in flight at once. */
const PRODUCERS = 8;
const VISIBILITY_TIMEOUT_SECONDS = 10;
/**
 * Kill k comes this long (seeded, ms) after restart k-1 was ready: at least a visibility timeout and
 * its heartbeat later, so what the last kill caught in flight is usually redelivered and done by then.
 * (Kills closer together than the visibility timeout catch the same redelivered messages again and
 * again and drive them into the DLQ — by SQS's rules, not a loss; see dead-letters.ts.)
 */
const KILL_AFTER_MS = ((raw = process.env["CVPIPE_CHAOS_KILL_AFTER_MS"] ?? "15000-35000") => {
  const [min, max] = raw.split("-").map(Number);
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min! < 0 || max! < min!) {
    throw new Error(`CVPIPE_CHAOS_KILL_AFTER_MS must be "min-max" in ms, got "${raw}"`);
  }
  return { min: min!, max: max! };
})();
/** What a restart is allowed in the submissions' spread (measured: 2-6 s on a loaded 2-core machine). */
const RESTART_ALLOWANCE_MS = 6_000;
/** The submissions go on this much longer than the kills are expected to span, so the last kill still finds them arriving. */
const SPREAD_MARGIN = 1.4;
/**
 * Submissions arrive in bursts of this many: spread evenly, they arrived slower than the workers drain
 * them, and a kill could find nothing queued (two of four kills did once the pipeline got faster).
 */
const BURST = 80;
/** A kill waits, from its seeded moment, up to this long for work to be queued or in flight. */
const BACKLOG_WAIT_MS = 15_000;
/**
 * The run fails rather than wait longer than this for the queues to drain (after the last restart, and
 * again after a redrive): a bound on liveness, far above the drain on a loaded 2-core machine (~8 min).
 */
const DRAIN_TIMEOUT_MS = 10 * 60_000;

/** The stack's clock starts here (a Wednesday: 2026-W47), whatever today is. */
const START = new Date("2026-11-18T10:00:00Z");
const WEEK = isoWeekOf(START);
/** Producer events happen in this window: the week before and this week up to START. */
const EVENTS_FROM = new Date(START.getTime() - 9 * 86_400_000);

/**
 * Where the data directory lives: tmpfs when there is one. A kill loses nothing more or less there
 * than on disk (what a process wrote before it died is the kernel's either way); tmpfs only keeps the
 * emulators' fsyncs (fauxqs's SQLite commits) from costing the run time on a shared disk.
 * CVPIPE_CHAOS_DATA_PARENT chooses another place.
 */
const DATA_PARENT = process.env["CVPIPE_CHAOS_DATA_PARENT"] ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());

const CLI = join(repoRoot, "packages/cli/src/cvpipe.ts");
const run = promisify(execFile);
const isMain = (queueName: string) => !queueName.endsWith("DLQ");
/**
 * Waits until the queues `which` names hold nothing (visible, in flight or delayed) on two reads in a
 * row, logging their depths now and then; resolves with every queue's depths, throws with them after
 * DRAIN_TIMEOUT_MS.
 */
const drained = async (sqs: SQSClient, queues: StackInfo["queues"], which: (name: string) => boolean) => {
  const chosen = Object.fromEntries(Object.entries(queueUrls(queues)).filter(([name]) => which(name)));
  const log = (line: string) => console.log(line);
  const waited = await waitDrained(sqs, chosen, DRAIN_TIMEOUT_MS, { pollMs: 500, quietReads: 2, log });
  const depths = await queueDepths(sqs, queues);
  if (waited === undefined) throw new Error(`not drained after ${DRAIN_TIMEOUT_MS / 1000} s: ${formatDepths(depths)}`);
  return depths;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let settings: LocalSettings | undefined;
/** Every stack process's output, one file each; kept (and named) when the run fails. */
let logDir = "";
let passed = false;
const processes: StackProcess[] = [];

test.after(async () => {
  for (const p of processes) {
    if (p.child.exitCode === null && p.child.signalCode === null) await p.stop();
  }
  if (settings) rmSync(settings.dataDir, { recursive: true, force: true });
  if (passed) rmSync(logDir, { recursive: true, force: true });
  else if (logDir) console.log(`  stack logs: ${logDir}`);
});

/** The verifier on a made-up end state: it must pass a whole one and see each kind of damage. */
test("the checks pass a whole end state and see a lost event, an event counted twice and a job without its outcome", async () => {
  const workload = buildWorkload(7, { jobs: 3, events: 40, users: 3 }, { from: EVENTS_FROM, notAfter: START });
  const jobIdOf = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
  const accepted: Accepted[] = workload.submissions.map((submission) => ({
    submission,
    data: submission.kind === "job" ? { jobId: jobIdOf(submission.index) } : { accepted: submission.events.length },
    requests: 1,
  }));
  const at = START.toISOString();
  const produced: AnalyticsEventMessage[] = workload.batches.flatMap((b) =>
    b.events.map((event) => ({
      schema: "analytics-event.v1" as const,
      tenantId: b.user.tenantId,
      userId: b.user.userId,
      source: "producer" as const,
      receivedAt: at,
      event,
    })),
  );
  const jobs = new Map<string, Record<string, unknown>>();
  const answers = new Map<string, JobAnswer>();
  const outcomes: AnalyticsEventMessage[] = [];
  for (const job of workload.jobs) {
    const { tenantId, userId } = job.user;
    const record = {
      tenantId,
      jobId: jobIdOf(job.index),
      userId,
      engine: "local",
      createdAt: at,
      updatedAt: at,
      finishedAt: at,
      attempts: 1,
      ...(job.banned
        ? { status: "FAILED", error: { code: "BANNED_CLAIM", message: "banned" } }
        : { status: "SUCCEEDED", result: { resume: {} } }),
    };
    jobs.set(`${tenantId}#${record.jobId}`, record);
    answers.set(`${tenantId}#${record.jobId}`, { status: 200, data: record });
    const event = outcomeEvent(record as unknown as JobRecord);
    outcomes.push({ schema: "analytics-event.v1", tenantId, userId, source: "tailor", receivedAt: at, event });
  }
  const stateOf = async (stored: AnalyticsEventMessage[], counted: AnalyticsEventMessage[]) => {
    const reader = refold(counted);
    const weeks = new Set(counted.map((m) => weekOfEvent(m.event)));
    return {
      jobs,
      events: stored.map((message) => ({
        tenantId: message.tenantId,
        eventId: message.event.eventId,
        folded: true,
        message,
      })),
      aggregateItems: [],
      aggregatesByWeek: new Map(await Promise.all([...weeks].map(async (w) => [w, await reader.readWeek(w)] as const))),
    };
  };

  const whole = [...produced, ...outcomes];
  const fine = verify(workload, accepted, await stateOf(whole, whole), answers);
  assert.equal(fine.problems, []);
  assert.equal([fine.lostJobs, fine.duplicatedJobs, fine.lostEvents, fine.duplicatedEvents], [0, 0, 0, 0]);

  // One producer event never stored, one counted twice, the last job's outcome never published.
  const stored = [...produced.slice(1), ...outcomes.slice(0, -1)];
  const damaged = verify(workload, accepted, await stateOf(stored, [...stored, produced[5]!]), answers);
  assert.equal([damaged.lostJobs, damaged.duplicatedJobs, damaged.lostEvents, damaged.duplicatedEvents], [1, 0, 1, 1]);
  assert.ok(damaged.problems.some((p) => p.includes(`${produced[0]!.event.eventId}: not in the events table`)));
  assert.ok(damaged.problems.some((p) => p.includes("no standing outcome event")));
  assert.ok(damaged.problems.some((p) => p.includes("vs recount")));
});

test("SIGKILLed while draining, restarted: no job or event lost or duplicated, report = recount, queues empty", async () => {
  const runStarted = performance.now();
  console.log(
    `  chaos seed ${SEED} (CVPIPE_CHAOS_SEED=${SEED} repeats this run): ${SIZES.jobs} jobs, ${SIZES.events} events, ${SIZES.users} users, ${KILLS} kills`,
  );
  assert.ok(SIZES.users >= 1 && SIZES.jobs >= 1 && SIZES.events >= 1, "a workload");
  settings = await testSettings(mkdtempSync(join(DATA_PARENT, "cvpipe-chaos-")));
  logDir = mkdtempSync(join(tmpdir(), `cvpipe-chaos-${SEED}-logs-`));
  // One clock for the test and every stack process (spawnStack passes this environment on).
  process.env[CLOCK_OFFSET_ENV] = String(clockOffsetTo(START));
  const clock = clockFromEnv(process.env);
  const stackEnv = {
    CVPIPE_VISIBILITY_TIMEOUT_SECONDS: String(VISIBILITY_TIMEOUT_SECONDS),
    BANNED_CLAIMS: JSON.stringify([BANNED_PHRASE]),
    // What each worker did with each record (one line per job), warnings and errors: kept in the logs
    // directory when the run fails.
    POWERTOOLS_LOG_LEVEL: "INFO",
  };
  const workload = buildWorkload(SEED, SIZES, { from: EVENTS_FROM, notAfter: START });

  const start = async (): Promise<StackProcess> => {
    const p = spawnStack(settings!, stackEnv);
    const n = processes.push(p);
    void p.exited.then(() => writeFileSync(join(logDir, `stack-${n}.log`), p.output()));
    await waitReady(p, 60_000);
    return p;
  };
  let stack = await start();
  const info = readStackInfo(settings.dataDir);
  // The stack's own endpoints (the same ports after every restart), for this process's clients only:
  // the stack processes must not inherit them.
  const sdkEnv = {
    ...process.env,
    AWS_REGION: info.region,
    AWS_ACCESS_KEY_ID: "chaos",
    AWS_SECRET_ACCESS_KEY: "chaos",
    AWS_ENDPOINT_URL_SQS: info.endpoints.sqs,
    AWS_ENDPOINT_URL_DYNAMODB: info.endpoints.dynamodb,
  };
  const sqs = createSqsClient(sdkEnv);
  const db = createDocumentClient(sdkEnv);

  const keys = readKeys(settings.dataDir);
  const tokens = new Map<string, string>();
  for (const user of workload.users) {
    tokens.set(userKeyOf(user), await mintToken(keys, { ...user, now: clock.now(), ttlSeconds: 6 * 3600 }));
  }
  // The kills' moments are drawn first: the submissions are spread over the time they span (and the
  // restarts between them), in bursts, so that every kill hits a stack with work arriving, queued and in
  // flight — and cuts off submissions — however fast the pipeline drains (all at once, the workload
  // drained in ~50 s, before the third kill; evenly, the workers kept up and two kills found nothing queued).
  const killRng = new Rng(SEED).fork("kills");
  const killAfter = Array.from({ length: KILLS }, () => killRng.int(KILL_AFTER_MS.min, KILL_AFTER_MS.max));
  const spreadOverMs = Math.round(
    (killAfter.reduce((a, b) => a + b, 0) + KILLS * RESTART_ALLOWANCE_MS) * SPREAD_MARGIN,
  );
  const producers = new Producers({
    apiUrl: info.apiUrl,
    tokens,
    concurrency: PRODUCERS,
    giveUpAfterMs: 180_000,
    spreadOverMs,
    burst: BURST,
  });

  // --- produce, and kill the stack at seeded moments while it works -------------------------------------
  let producedAt = 0;
  const producing = producers.run(workload.submissions).then((all) => {
    producedAt = performance.now();
    return all;
  });
  producing.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  const kills: { afterMs: number; outstanding: number; caught: number }[] = [];
  /** Per message id: how many kills caught it in flight (fauxqs's store, read while the stack is down). */
  const inFlightKills = new Map<string, number>();
  for (let k = 0; k < KILLS; k++) {
    const afterMs = killAfter[k]!;
    await sleep(afterMs);
    // The seeded moment, or the first moment after it with work queued (the next burst); the kill
    // happens either way (and the assertion below says whether it found work).
    const waitStarted = performance.now();
    const outstanding = await until(
      "work queued or in flight",
      async () => total(await queueDepths(sqs, info.queues), isMain) || undefined,
      BACKLOG_WAIT_MS,
    ).catch(() => 0);
    const waitedMs = Math.round(performance.now() - waitStarted);
    // The system clock, not the test's: fauxqs keeps its visibility deadlines in it.
    const killedAt = systemClock.now().getTime();
    stack.child.kill("SIGKILL");
    await stack.exited;
    const caught = inFlightAt(settings.dataDir, killedAt);
    for (const m of caught) inFlightKills.set(m.messageId, (inFlightKills.get(m.messageId) ?? 0) + 1);
    kills.push({ afterMs, outstanding, caught: caught.length });
    console.log(
      `  kill ${k + 1}: ${afterMs} ms after ready (+${waitedMs} ms for work queued), ${outstanding} messages queued, ${caught.length} caught in flight, ${producers.stats.accepted}/${workload.submissions.length} submissions accepted`,
    );
    const restartStarted = performance.now();
    stack = await start();
    console.log(`  restart ${k + 1}: ready in ${seconds(performance.now() - restartStarted)}`);
  }
  const lastRestart = performance.now();
  let accepted: Accepted[];
  try {
    accepted = await producing;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- stack output ---\n${stack.output().slice(-4000)}`);
  }

  // --- drain; then the DLQs: what the kills alone put there is redriven, as an operator would ----------------
  await drained(sqs, info.queues, isMain);
  const drainedAt = performance.now();
  const jobsNow = (await readTables(db, clock)).jobs;
  const dead = classifyDeadLetters(settings.dataDir, inFlightKills, jobsNow);
  const redrives: string[] = [];
  if (dead.byKills.length > 0 && dead.unexplained.length === 0) {
    for (const queue of new Set(dead.byKills.map((d) => d.queue))) {
      const which = queue.startsWith("tailoring") ? "tailoring" : "analytics";
      const out = await run(process.execPath, [CLI, "dlq", "redrive", "--queue", which], {
        env: { ...process.env, CVPIPE_DATA_DIR: settings.dataDir },
      });
      writeFileSync(join(logDir, `redrive-${which}.txt`), `${out.stdout}${out.stderr}`);
      const moved = out.stdout.split("\n").filter((l) => /^\s*moved:/.test(l)).length;
      redrives.push(`cvpipe dlq redrive --queue ${which}: ${moved} moved`);
    }
  }
  const depths = await drained(sqs, info.queues, dead.unexplained.length === 0 ? () => true : isMain);
  const settledAt = performance.now();

  // --- read everything back ------------------------------------------------------------------------------
  const state = await readTables(db, clock);
  const answers = new Map<string, JobAnswer>();
  const jobAnswers = accepted.filter((a) => a.submission.kind === "job");
  let nextAnswer = 0;
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      while (nextAnswer < jobAnswers.length) {
        const a = jobAnswers[nextAnswer++]!;
        const jobId = String(a.data["jobId"]);
        const res = await checkedFetch(`${info.apiUrl}/v1/jobs/${encodeURIComponent(jobId)}`, {
          headers: { authorization: `Bearer ${tokens.get(userKeyOf(a.submission.user))}` },
        });
        const body = (await res.json()) as { data?: Record<string, unknown> };
        answers.set(`${a.submission.user.tenantId}#${jobId}`, {
          status: res.status,
          ...(body.data ? { data: body.data } : {}),
        });
      }
    }),
  );
  const verdict = verify(workload, accepted, state, answers);
  // A job whose answer differs from the table as scanned: read both again, to tell which one moved.
  const rereads: string[] = [];
  for (const [key, answer] of answers) {
    const scanned = state.jobs.get(key);
    if (!scanned || answer.data?.["status"] === scanned["status"]) continue;
    const [tenantId, jobId] = key.split("#") as [string, string];
    const item = (
      await db.send(new GetCommand({ TableName: tables.jobs.name, Key: { tenantId, jobId }, ConsistentRead: true }))
    ).Item;
    const user = accepted.find((a) => a.submission.kind === "job" && String(a.data["jobId"]) === jobId)!.submission
      .user;
    const again = await checkedFetch(`${info.apiUrl}/v1/jobs/${jobId}`, {
      headers: { authorization: `Bearer ${tokens.get(userKeyOf(user))}` },
    }).then((r) => r.json() as Promise<{ data?: Record<string, unknown> }>);
    rereads.push(
      `job ${key} read again: table ${String(item?.["status"])} attempt ${String(item?.["attempts"])} updated ${String(item?.["updatedAt"])}; GET ${String(again.data?.["status"])} attempt ${String(again.data?.["attempts"])}`,
    );
  }
  const report = await checkReport(
    settings.dataDir,
    WEEK,
    state.events.map((r) => r.message),
    verdict.recounted,
  );
  const problems = [
    ...dead.unexplained.map((d) => `dead-lettered, not by the kills alone: ${formatDeadLetter(d)}`),
    ...verdict.problems,
    ...rereads,
    ...report.problems,
  ];

  // --- the figures -----------------------------------------------------------------------------------------
  const s = producers.stats;
  const producerEvents = state.events.filter((r) => r.message.source === "producer").length;
  console.log(
    [
      `  chaos figures (seed ${SEED}):`,
      `    jobs ${workload.jobs.length} (succeeded ${verdict.outcomes.succeeded}, failed ${verdict.outcomes.failed} BANNED_CLAIM as intended; ${verdict.outcomes.retracted} outcomes retracted)`,
      `    events ${SIZES.events} producer (${producerEvents} stored) + ${state.events.length - producerEvents} tailor outcome/retraction events, ${workload.batches.length} requests of ≤ 25; users ${workload.users.length}`,
      `    kills ${kills.length} (SIGKILL), restarts ${kills.length}; at each kill ${kills.map((k) => `${k.outstanding} queued/${k.caught} in flight`).join(", ")}`,
      `    dead-lettered by the kills alone (in flight at ≥ maxReceiveCount kills): ${dead.byKills.length}${redrives.length > 0 ? `, redriven (${redrives.join("; ")})` : ""}; for any other reason: ${dead.unexplained.length}`,
      `    submissions ${workload.submissions.length}: ${s.requests} requests, ${s.retriedSubmissions} sent again after a kill (${s.connectionFailures} dead connections, ${s.serverErrors} 5xx), each counted once`,
      `    lost: jobs ${verdict.lostJobs}, events ${verdict.lostEvents}; duplicated: jobs ${verdict.duplicatedJobs}, events ${verdict.duplicatedEvents}`,
      `    time: submitting ${seconds(producedAt - runStarted)}, drained ${seconds(drainedAt - lastRestart)} after the last restart (${seconds(drainedAt - runStarted)} from the start: ${((workload.jobs.length + state.events.length) / ((drainedAt - runStarted) / 1000)).toFixed(0)} jobs+events/s)${redrives.length > 0 ? `, redriven and drained again in ${seconds(settledAt - drainedAt)}` : ""}, whole run ${seconds(performance.now() - runStarted)}`,
      `    queues at the end: ${formatDepths(depths)}`,
      ...verdict.collisions.map((c) => `    keyword sketch (aggregate.ts): ${c}`),
    ].join("\n"),
  );
  if (problems.length > 0) {
    console.log(`  ${problems.length} problem(s); first ones:\n    ${problems.slice(0, 40).join("\n    ")}`);
  }

  // The scenario itself: every kill hit a stack with work queued, and submissions were cut off by kills.
  for (const [i, k] of kills.entries()) assert.ok(k.outstanding > 0, `kill ${i + 1} found the queues empty`);
  assert.ok(s.retriedSubmissions > 0, "no submission was cut off by a kill");
  assert.ok(kills.length >= 3, "at least three kills");
  // The guarantees.
  assert.equal(problems.slice(0, 40), [], `${problems.length} problem(s)`);
  assert.is(verdict.lostJobs + verdict.lostEvents, 0, "lost");
  assert.is(verdict.duplicatedJobs + verdict.duplicatedEvents, 0, "duplicated");
  assert.is(total(depths), 0, "every queue and DLQ empty, nothing in flight");
  assert.is(await stack.stop(), 0, "the last stack stops cleanly");
  passed = true;
});

test.run();
