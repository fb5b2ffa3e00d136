/**
 * Issue 12 §1.1, ingest: `POST /v1/jobs` through the gateway and the ingress
 * handler vs raw `SendMessage` to the same SQS emulator, side by side.
 *
 * The stack runs as `pnpm start` runs it (packages/local/src/main.ts, a
 * process of its own, fresh data directory); this process is the producer:
 *   - subject: N `POST /v1/jobs` (the eval set's CVs and postings in turn,
 *     JSON), 20 users so 20 FIFO groups, 16 requests in flight;
 *   - baseline: N `SendMessage` of the message the ingress would enqueue for
 *     the same request (same body, same group ids) to a FIFO queue of the
 *     stack's own SQS emulator, 16 in flight, with the AWS SDK.
 * Two conditions: workers paused (CVPIPE_WORKERS=off) and workers running
 * (the jobs the API accepts are tailored while it accepts more). N is split
 * in rounds, baseline then subject in each, so both see the same load; with
 * the workers running, each round's baseline starts once the queues have
 * drained (the baseline is what the emulator takes from a stack at rest; the
 * subject pays for the workers it keeps busy). Rate in requests/s, p50/p99
 * latency per request; notes give the CPU each side cost (the stack's process
 * and this producer), which the ratio follows on a loaded machine.
 */

import { processCpuSeconds } from "../../test/support/process-stats.ts";
import { waitDrained } from "../../test/support/queues.ts";
import { startStackProcess } from "../../test/support/stack-process.ts";
import type { Scenario, ScenarioContext, ScenarioRow } from "../scenario.ts";
import { type Producer, producer } from "../support/ingest-load.ts";
import { type LoadResult, pooledPercentiles, runLoad } from "../support/load.ts";

const USERS = 20;
const CONCURRENCY = 16;
const TARGET = 0.7;

interface Side {
  results: LoadResult[];
  stackCpu: number;
  clientCpu: number;
}

const measure = async (side: Side, pid: number, work: () => Promise<LoadResult>): Promise<LoadResult> => {
  const stack0 = processCpuSeconds(pid);
  const client0 = process.cpuUsage();
  const result = await work();
  side.stackCpu += processCpuSeconds(pid) - stack0;
  const client = process.cpuUsage(client0);
  side.clientCpu += (client.user + client.system) / 1e6;
  side.results.push(result);
  if (result.failures > 0) throw new Error(`${result.failures} request(s) failed: ${result.firstFailure}`);
  return result;
};

/** One rate and one set of percentiles over several rounds (all latencies pooled). */
const pooled = (side: Side) => {
  const count = side.results.reduce((n, r) => n + r.count, 0);
  const seconds = side.results.reduce((n, r) => n + r.seconds, 0);
  return {
    count,
    rate: count / seconds,
    stackMs: (1000 * side.stackCpu) / count,
    clientMs: (1000 * side.clientCpu) / count,
  };
};

const condition = async (
  context: ScenarioContext,
  workers: boolean,
  n: number,
  rounds: number,
): Promise<ScenarioRow> => {
  const name = workers ? "workers running" : "workers paused";
  context.progress(`${name}: starting the stack`);
  const stack = await startStackProcess({ workers });
  let p: Producer | undefined;
  try {
    const pid = stack.child.pid!;
    p = await producer(stack, USERS);
    const queues = [stack.info.queues.tailoringJobs.url, stack.info.queues.analyticsEvents.url];
    // Warm-up: both paths once, so neither pays for first-call costs (module loading, connections).
    await runLoad(48, CONCURRENCY, (i) => p!.postJob(i).then(() => undefined));
    await runLoad(48, CONCURRENCY, (i) => p!.sendRaw(i));
    const api: Side = { results: [], stackCpu: 0, clientCpu: 0 };
    const raw: Side = { results: [], stackCpu: 0, clientCpu: 0 };
    const per = Math.ceil(n / rounds);
    for (let round = 0; round < rounds; round++) {
      if (workers && (await waitDrained(p.sqs, queues, 120_000)) === undefined)
        context.progress(`${name}: queues not drained after 120 s; measuring anyway`);
      const r = await measure(raw, pid, () => runLoad(per, CONCURRENCY, (i) => p!.sendRaw(round * per + i)));
      const a = await measure(api, pid, () =>
        runLoad(per, CONCURRENCY, (i) => p!.postJob(round * per + i).then(() => undefined)),
      );
      context.progress(
        `${name}: round ${round + 1}/${rounds}: raw ${r.rate.toFixed(0)}/s, API ${a.rate.toFixed(0)}/s (${(a.rate / r.rate).toFixed(2)}×)`,
      );
    }
    const a = pooled(api);
    const r = pooled(raw);
    return {
      case: `ingest, ${name}`,
      subject: {
        label: "POST /v1/jobs (gateway + ingress)",
        value: a.rate,
        unit: "req/s",
        ...pooledPercentiles(api.results),
      },
      baseline: {
        label: "raw SendMessage, same body",
        value: r.rate,
        unit: "msg/s",
        ...pooledPercentiles(raw.results),
      },
      ratio: a.rate / r.rate,
      target: { ratio: TARGET, better: "higher" },
      notes:
        `${a.count} requests and ${r.count} sends in ${rounds} rounds, ${USERS} users (FIFO groups), ${CONCURRENCY} in flight; ` +
        `CPU per request: stack ${a.stackMs.toFixed(2)} ms + producer ${a.clientMs.toFixed(2)} ms; ` +
        `per raw send: stack ${r.stackMs.toFixed(2)} ms + producer ${r.clientMs.toFixed(2)} ms` +
        `${workers ? " (stack CPU with the workers running includes their tailoring)" : ""}`,
    };
  } finally {
    p?.close();
    await stack.stop();
  }
};

const scenario: Scenario = {
  id: "ingest",
  title: "Ingest: POST /v1/jobs vs raw SendMessage (stack process, 2 conditions)",
  async run(context) {
    const n = context.quick ? 60 : Number(process.env["BENCH_INGEST_N"] ?? 600);
    const rounds = context.quick ? 1 : 2;
    return [await condition(context, false, n, rounds), await condition(context, true, n, rounds)];
  },
};

export default scenario;
