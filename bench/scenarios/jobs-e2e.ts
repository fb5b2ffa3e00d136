/**
 * Issue 12 §1.2, jobs end to end: N queued jobs drained by the stack's
 * workers (local engine) vs the same jobs' compute alone in one process.
 *
 *   - subject: N jobs are accepted by `POST /v1/jobs` on a stack with its
 *     workers paused (CVPIPE_WORKERS=off, 20 users, 16 in flight); that stack
 *     stops and `pnpm start`'s entry starts again on the same data directory
 *     with its workers on. Timed from "ready" until the tailoring queue is
 *     empty; every job must then be SUCCEEDED (a fast drain that fails jobs
 *     fails the scenario). Start-up and the analytics worker's tail (the
 *     jobs' outcome events folded) are in the notes. p50/p99: a job's time in
 *     the worker (startedAt → finishedAt).
 *   - baseline: tailorCv with the local engine over the same requests, one
 *     after another in this process (one core): what the worker computes per
 *     job, without queues, tables or HTTP. Measured before and after the
 *     subject; the mean is the baseline. p50/p99 per job.
 * ratio = drained jobs/s ÷ engine-alone jobs/s; target ≥ 0.5.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { processCpuSeconds } from "../../test/support/process-stats.ts";
import { queueDepth, waitDrained } from "../../test/support/queues.ts";
import { startStackProcess } from "../../test/support/stack-process.ts";
import type { Scenario } from "../scenario.ts";
import { engineAlone } from "../support/engine-alone.ts";
import { producer } from "../support/ingest-load.ts";
import { percentile, runLoad } from "../support/load.ts";

const USERS = 20;

const scenario: Scenario = {
  id: "jobs-e2e",
  title: "Jobs end to end: queued jobs drained by the workers vs the engine alone",
  async run(context) {
    const n = context.quick ? 48 : Number(process.env["BENCH_JOBS_N"] ?? 300);
    context.progress(`engine alone: ${n} jobs`);
    const before = await engineAlone(n);

    const dataDir = mkdtempSync(join(tmpdir(), "cvpipe-bench-jobs-"));
    try {
      context.progress(`queueing ${n} jobs (workers paused)`);
      const ids: string[] = [];
      {
        const paused = await startStackProcess({ workers: false, dataDir });
        try {
          const p = await producer(paused, USERS);
          const load = await runLoad(n, 16, async (i) => {
            ids[i] = await p.postJob(i);
          });
          p.close();
          if (load.failures > 0) throw new Error(`${load.failures} POST(s) failed: ${load.firstFailure}`);
        } finally {
          await paused.stop();
        }
      }
      context.progress("starting the stack with its workers on");
      const spawned = performance.now();
      const stack = await startStackProcess({ workers: true, dataDir });
      const ready = performance.now();
      try {
        const pid = stack.child.pid!;
        const cpu0 = processCpuSeconds(pid);
        const p = await producer(stack, USERS);
        const { tailoringJobs, analyticsEvents } = stack.info.queues;
        let lastReport = ready;
        for (;;) {
          const depth = await queueDepth(p.sqs, tailoringJobs.url);
          if (depth === 0) break;
          if (performance.now() - lastReport > 10_000) {
            context.progress(`${n - depth}/${n} jobs done`);
            lastReport = performance.now();
          }
          if (performance.now() - ready > 240_000) throw new Error(`${depth} jobs still queued after 240 s`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const drained = performance.now();
        const cpu = processCpuSeconds(pid) - cpu0;
        const tail = await waitDrained(p.sqs, [analyticsEvents.url], 120_000);
        const rss = stack.rssBytes();
        context.progress("checking every job");
        const views = new Array<Awaited<ReturnType<typeof p.getJob>>>(n);
        const check = await runLoad(n, 16, async (i) => {
          views[i] = await p.getJob(ids[i]!, i);
        });
        p.close();
        if (check.failures > 0) throw new Error(`${check.failures} GET(s) failed: ${check.firstFailure}`);
        const notDone = views.filter((v) => v.status !== "SUCCEEDED");
        if (notDone.length > 0) {
          throw new Error(
            `${notDone.length} of ${n} jobs not SUCCEEDED (first: ${notDone[0]!.status} ${notDone[0]!.error?.code ?? ""})`,
          );
        }
        const inWorker = views
          .map((v) => Date.parse(v.finishedAt ?? "") - Date.parse(v.startedAt ?? ""))
          .filter(Number.isFinite)
          .sort((a, b) => a - b);
        context.progress(`engine alone again: ${n} jobs`);
        const after = await engineAlone(n);
        const engineRate = (before.rate + after.rate) / 2;
        const seconds = (drained - ready) / 1000;
        const rate = n / seconds;
        return [
          {
            case: `jobs end to end (${n} queued)`,
            subject: {
              label: "drained by the workers",
              value: rate,
              unit: "jobs/s",
              p50Ms: percentile(inWorker, 50),
              p99Ms: percentile(inWorker, 99),
            },
            baseline: {
              label: "tailorCv (local engine) alone, one process",
              value: engineRate,
              unit: "jobs/s",
              p50Ms: (before.p50Ms + after.p50Ms) / 2,
              p99Ms: (before.p99Ms + after.p99Ms) / 2,
            },
            ratio: rate / engineRate,
            target: { ratio: 0.5, better: "higher" },
            notes:
              `drained in ${seconds.toFixed(1)} s after a ${((ready - spawned) / 1000).toFixed(1)} s start-up ` +
              `(${(n / ((drained - spawned) / 1000)).toFixed(1)} jobs/s counting it); outcome events folded ` +
              `${tail === undefined ? "not within 120 s" : `${(tail / 1000).toFixed(1)} s later`}; ` +
              `stack CPU ${((1000 * cpu) / n).toFixed(1)} ms/job; stack RSS ${(rss / 2 ** 20).toFixed(0)} MiB after; ` +
              `engine alone ${before.rate.toFixed(1)} then ${after.rate.toFixed(1)} jobs/s; p50/p99 = startedAt → finishedAt`,
          },
        ];
      } finally {
        await stack.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default scenario;
