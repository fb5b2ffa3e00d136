import { parseArgs } from "node:util";
import { createDocumentClient, createSqsClient } from "@cvpipe/aws/clients";
import { type DlqFilter, type DlqMessage, peekDlq, redriveDlq } from "@cvpipe/aws/dlq";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import { type QueueId, queues } from "@cvpipe/core/topology";
import { resolveTarget, UsageError } from "../stack-info.ts";

export const dlqHelp = `cvpipe dlq peek   --queue tailoring|analytics [--limit N] [--json]
cvpipe dlq redrive --queue tailoring|analytics [--job ID] [--tenant T] [--error CODE] [--limit N] [--dry-run]
  peek: lists dead-lettered messages without removing them, with the job's status and error.
  redrive: moves them back to the source queue, keeping group and order; filters narrow it
  (--error matches the job's recorded error code). --dry-run shows what would move.`;

const QUEUE_NAMES: Record<string, QueueId> = { tailoring: "tailoringJobs", analytics: "analyticsEvents" };

interface Described {
  readonly message: DlqMessage;
  readonly tenantId?: string;
  readonly jobId?: string;
  readonly eventId?: string;
  readonly job?: JobRecord;
}

const describe = async (jobs: DynamoJobStore, m: DlqMessage): Promise<Described> => {
  const body = (m.json ?? {}) as { tenantId?: string; jobId?: string; event?: { eventId?: string } };
  const tenantId = typeof body.tenantId === "string" ? body.tenantId : undefined;
  const jobId = typeof body.jobId === "string" ? body.jobId : undefined;
  const eventId = typeof body.event?.eventId === "string" ? body.event.eventId : undefined;
  const job = tenantId && jobId ? await jobs.get(tenantId, jobId) : undefined;
  return {
    message: m,
    ...(tenantId ? { tenantId } : {}),
    ...(jobId ? { jobId } : {}),
    ...(eventId ? { eventId } : {}),
    ...(job ? { job } : {}),
  };
};

const line = (d: Described): string => {
  const what = d.jobId
    ? `job ${d.jobId}`
    : d.eventId
      ? `event ${d.eventId}`
      : d.message.json === undefined
        ? "unparseable body"
        : "unknown body";
  const status = d.job ? ` ${d.job.status}${d.job.error ? ` ${d.job.error.code}: ${d.job.error.message}` : ""}` : "";
  return `${d.message.messageId}  group=${d.message.groupId}  received=${d.message.receiveCount}  sent=${d.message.sentAt}  ${what}${d.tenantId ? ` tenant=${d.tenantId}` : ""}${status}`;
};

export const dlqCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      queue: { type: "string" },
      limit: { type: "string" },
      json: { type: "boolean", default: false },
      job: { type: "string" },
      tenant: { type: "string" },
      error: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  const queueId = QUEUE_NAMES[values.queue ?? ""];
  if (!queueId) throw new UsageError(`--queue must be one of ${Object.keys(QUEUE_NAMES).join(", ")}`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new UsageError("--limit must be a positive whole number");

  const target = await resolveTarget();
  const urls = target.queues[queueId];
  const sqs = createSqsClient();
  const jobs = new DynamoJobStore(createDocumentClient(), target.tables.jobs);

  if (sub === "peek") {
    const messages = await Promise.all((await peekDlq(sqs, urls.dlqUrl, limit ?? 50)).map((m) => describe(jobs, m)));
    if (values.json) {
      console.log(JSON.stringify(messages, null, 2));
      return;
    }
    console.log(`${queues[queueId].dlqName}: ${messages.length} message(s)${limit ? ` (limit ${limit})` : ""}`);
    for (const d of messages) console.log(line(d));
    return;
  }
  if (sub === "redrive") {
    const filter: DlqFilter | undefined =
      values.job || values.tenant || values.error
        ? async (m) => {
            const d = await describe(jobs, m);
            if (values.job && d.jobId !== values.job && d.eventId !== values.job) return false;
            if (values.tenant && d.tenantId !== values.tenant) return false;
            if (values.error && d.job?.error?.code !== values.error) return false;
            return true;
          }
        : undefined;
    const report = await redriveDlq(sqs, {
      sourceUrl: urls.url,
      sourceArn: urls.arn,
      dlqUrl: urls.dlqUrl,
      dlqArn: urls.dlqArn,
      ...(filter ? { filter } : {}),
      dryRun: values["dry-run"],
      ...(limit ? { limit } : {}),
    });
    if (report.method === "move-task") {
      console.log(
        `started an SQS message move task ${report.taskHandle ?? ""} from ${queues[queueId].dlqName} to ${queues[queueId].name}`,
      );
      return;
    }
    const verb = values["dry-run"] ? "would move" : "moved";
    console.log(
      `${verb} ${report.moved.length} message(s) to ${queues[queueId].name}; ${report.skipped.length} left in the DLQ`,
    );
    for (const m of report.moved) console.log(`  ${verb}: ${line(await describe(jobs, m))}`);
    return;
  }
  throw new UsageError(`unknown dlq command "${sub ?? ""}": use peek or redrive`);
};
