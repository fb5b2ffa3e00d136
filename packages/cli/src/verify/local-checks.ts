/**
 * What the embedded stack has instead of Lambda settings, API Gateway routes, EventBridge rules,
 * CloudWatch alarms and log groups: its runtime's settings (stack.json's `runtime`), its gateway's
 * OpenAPI document, its schedulers, the queue alarms judged on the queues now, and no log retention.
 */
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { createSqsClient } from "@cvpipe/aws/clients";
import { breaches, queueAlarms } from "@cvpipe/core/queue-alarms";
import {
  api,
  type FunctionSpec,
  functions,
  type QueueSpec,
  queueNameOf,
  queues,
  schedules,
} from "@cvpipe/core/topology";
import type { StackInfo } from "@cvpipe/local/stack";
import type { Target } from "../stack-info.ts";
import { type Check, fail, pass, skip } from "./checklist.ts";

const restart = `restart the stack ("pnpm start"): it applies the topology's settings`;

export const localChecks = (info: StackInfo, target: Target): Check[] => {
  const runtime = info.runtime;
  const noRuntime = skip(
    "this stack's stack.json has no runtime settings (a stack started before cvpipe verify existed): restart it",
  );
  const fnChecks = (Object.values(functions) as FunctionSpec[]).map(
    (spec): Check => ({
      id: `function:${spec.id}`,
      title: `function ${spec.id}: timeout ${spec.timeoutSeconds} s (memory ${spec.memoryMb} MB and active tracing: AWS only)`,
      async run() {
        if (!runtime) return noRuntime;
        const applied = runtime.functions[spec.id]?.timeoutSeconds;
        return applied === spec.timeoutSeconds
          ? pass(`the local runtime stops it after ${applied} s`)
          : fail(
              `the local runtime applies a timeout of ${applied ?? "none"} s, not ${spec.timeoutSeconds} s`,
              restart,
            );
      },
    }),
  );
  const workerChecks = (Object.values(queues) as QueueSpec[]).map(
    (spec): Check => ({
      id: `worker:${spec.id}`,
      title: `event source ${queueNameOf(target.queues[spec.id].url)} → ${spec.worker}: batch ${spec.batchSize}, max concurrency ${spec.maxConcurrency}`,
      async run() {
        if (!runtime) return noRuntime;
        const poller = runtime.pollers[spec.id];
        if (!poller) {
          return fail(
            `no poller runs on ${queueNameOf(target.queues[spec.id].url)}: its messages are never processed`,
            `start the stack with its pollers ("pnpm start"); a test stack started with pollers: false has none`,
          );
        }
        const ok =
          poller.function === spec.worker &&
          poller.batchSize === spec.batchSize &&
          poller.maxConcurrency === spec.maxConcurrency;
        return ok
          ? pass(`polling, batch ${poller.batchSize}, max concurrency ${poller.maxConcurrency}`)
          : fail(`polling with ${JSON.stringify(poller)}`, restart);
      },
    }),
  );
  const scheduleChecks = Object.values(schedules).map(
    (spec): Check => ({
      id: `schedule:${spec.id}`,
      title: `schedule ${spec.id}: ${spec.cron} → ${spec.target}`,
      async run() {
        if (!runtime) return noRuntime;
        const s = runtime.schedules[spec.id];
        return s?.cron === spec.cron && s.target === spec.target
          ? pass(`the stack's scheduler fires ${s.target} on ${s.cron}`)
          : fail(`the stack schedules ${JSON.stringify(s ?? null)}`, restart);
      },
    }),
  );
  const routes: Check = {
    id: "api:routes",
    title: `API: every topology route (${api.routes.length}) served, in the gateway's OpenAPI document`,
    async run() {
      const res = await fetch(`${info.apiUrl}/v1/openapi.json`, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) return fail(`GET /v1/openapi.json answered ${res.status}`, restart);
      const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
      // HEAD is answered wherever GET is (the document lists GET only, as OpenAPI does).
      const missing = api.routes
        .filter((r) => r.method !== "HEAD")
        .filter((r) => !doc.paths?.[r.path]?.[r.method.toLowerCase()])
        .map((r) => `${r.method} ${r.path}`);
      return missing.length > 0
        ? fail(
            `not in the document: ${missing.join(", ")}`,
            "the gateway serves the topology's routes; restart the stack on this version",
          )
        : pass(`${api.routes.length} routes`);
    },
  };
  const alarmChecks = (Object.values(queues) as QueueSpec[]).flatMap((spec) =>
    queueAlarms(spec).map(
      (alarm): Check => ({
        id: `alarm:${alarm.name}`,
        title: `alarm ${alarm.name}: OK (judged as CloudWatch would on AWS)`,
        async run() {
          const q = target.queues[spec.id];
          if (alarm.metric === "oldestMessageAgeSeconds") {
            return skip(
              `the age of ${queueNameOf(q.url)}'s oldest message is a CloudWatch metric; "cvpipe queues" shows it where the emulator exposes it, and the job check below shows whether the queue drains`,
            );
          }
          const { Attributes = {} } = await createSqsClient().send(
            new GetQueueAttributesCommand({ QueueUrl: q.dlqUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
          );
          const visible = Number(Attributes["ApproximateNumberOfMessages"] ?? 0);
          return breaches(alarm, visible)
            ? fail(
                `ALARM: ${queueNameOf(q.dlqUrl)} holds ${visible} message(s) (> ${alarm.threshold})`,
                `"cvpipe dlq peek --queue ${spec.id === "tailoringJobs" ? "tailoring" : "analytics"}", fix the cause, then redrive (RUNBOOK.md)`,
              )
            : pass(`OK: ${queueNameOf(q.dlqUrl)} holds ${visible}`);
        },
      }),
    ),
  );
  const logs: Check = {
    id: "logs:retention",
    title: "log groups with retention",
    run: () =>
      Promise.resolve(
        skip(
          "not applicable locally: the functions log to the stack's output; retention is CloudWatch Logs' (checked on a stage)",
        ),
      ),
  };
  return [...fnChecks, routes, ...workerChecks, ...scheduleChecks, ...alarmChecks, logs];
};
