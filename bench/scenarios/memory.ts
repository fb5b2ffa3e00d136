/**
 * Issue 12 §1.7, memory: resident memory (RSS of the stack's process and any
 * process it started) of the embedded stack as `pnpm start` runs it, idle and
 * after the jobs workload twice in the same process.
 *
 * Workload: N `POST /v1/jobs` (20 users, 16 in flight) with the workers on,
 * then until both queues are empty (every job tailored, every outcome event
 * folded), then 2 s at rest; RSS is read then. Rows:
 *   - idle (3 s after ready) and after run 1, each against the 400 MiB budget
 *     (ratio = RSS ÷ budget, target ≤ 1);
 *   - after run 2 against after run 1 (ratio, target ≤ 1.1: no growth with
 *     the number of jobs processed).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { waitDrained } from "../../test/support/queues.ts";
import { startStackProcess } from "../../test/support/stack-process.ts";
import type { Scenario, ScenarioRow } from "../scenario.ts";
import { producer } from "../support/ingest-load.ts";
import { runLoad } from "../support/load.ts";

const USERS = 20;
const BUDGET_MIB = 400;
const MiB = 2 ** 20;

const scenario: Scenario = {
  id: "memory",
  title: "Memory: the stack's RSS idle and after the jobs workload, twice",
  async run(context) {
    const n = context.quick ? 48 : Number(process.env["BENCH_MEMORY_N"] ?? 400);
    const stack = await startStackProcess({ workers: true });
    try {
      await sleep(3000);
      const idle = stack.rssBytes() / MiB;
      context.progress(`idle: ${idle.toFixed(0)} MiB`);
      const p = await producer(stack, USERS);
      const queues = [stack.info.queues.tailoringJobs.url, stack.info.queues.analyticsEvents.url];
      const after: number[] = [];
      let peak = idle;
      for (let run = 0; run < 2; run++) {
        const sampler = setInterval(() => {
          peak = Math.max(peak, stack.rssBytes() / MiB);
        }, 250);
        const load = await runLoad(n, 16, (i) => p.postJob(run * n + i).then(() => undefined));
        if (load.failures > 0) throw new Error(`${load.failures} POST(s) failed: ${load.firstFailure}`);
        if ((await waitDrained(p.sqs, queues, 240_000)) === undefined) throw new Error("queues not drained in 240 s");
        clearInterval(sampler);
        await sleep(2000);
        after.push(stack.rssBytes() / MiB);
        context.progress(`after run ${run + 1} (${n} jobs): ${after[run]!.toFixed(0)} MiB`);
      }
      p.close();
      const budget = { label: "budget", value: BUDGET_MIB, unit: "MiB" };
      const rows: ScenarioRow[] = [
        {
          case: "memory, idle",
          subject: { label: "RSS idle", value: idle, unit: "MiB" },
          baseline: budget,
          ratio: idle / BUDGET_MIB,
          target: { ratio: 1, better: "lower" },
        },
        {
          case: `memory, after ${n} jobs`,
          subject: { label: "RSS after run 1", value: after[0]!, unit: "MiB" },
          baseline: budget,
          ratio: after[0]! / BUDGET_MIB,
          target: { ratio: 1, better: "lower" },
          notes: `peak during the two runs ${peak.toFixed(0)} MiB (sampled every 250 ms)`,
        },
        {
          case: `memory, after ${2 * n} jobs`,
          subject: { label: "RSS after run 2", value: after[1]!, unit: "MiB" },
          baseline: { label: "RSS after run 1", value: after[0]!, unit: "MiB" },
          ratio: after[1]! / after[0]!,
          target: { ratio: 1.1, better: "lower" },
        },
      ];
      return rows;
    } finally {
      await stack.stop();
    }
  },
};

export default scenario;
