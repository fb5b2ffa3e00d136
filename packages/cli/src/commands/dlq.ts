import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createSqsClient } from "@cvpipe/aws/clients";
import { type DlqMessage, type KeptMessage, peekDlq, redriveDlq } from "@cvpipe/aws/dlq";
import { type DeadMessage, describeDead, errorCodeOf, redriveFilter } from "@cvpipe/aws/dlq-triage";
import type { QueueId } from "@cvpipe/core/topology";
import { queueNameOf } from "@cvpipe/core/topology";
import { parseCliArgs } from "../args.ts";
import { progress } from "../progress.ts";
import { jobStoreFor, resolveTarget, UsageError } from "../stack-info.ts";

export const dlqHelp = `cvpipe dlq peek   --queue tailoring|analytics [--limit N] [--json]
cvpipe dlq redrive --queue tailoring|analytics [--job ID] [--tenant T] [--error CODE] [--limit N] [--dry-run] [--json]
  peek: lists dead-lettered messages without removing them, with the job's status and error
    (POISON_MESSAGE and the reason when no worker can read the body). FIFO holds back a group's
    later messages while earlier ones are out, so peek shows the front of each group (one message
    or several, as SQS hands them out); each peek counts as a receive.
  redrive: moves them back to the source queue, keeping group and order; filters narrow it
    (--error matches the job's error code, or POISON_MESSAGE). Once a message of a group stays
    (filter does not match, --limit reached), every later message of that group stays with it,
    so nothing runs ahead of a message it followed. Each message kept is listed with why.
    --dry-run applies the same rules to the messages it can see: the front of each group.`;

const QUEUE_NAMES: Record<string, QueueId> = { tailoring: "tailoringJobs", analytics: "analyticsEvents" };

const line = (dead: DeadMessage): string => {
  const what = dead.poison
    ? `POISON_MESSAGE (${dead.poison})`
    : dead.jobId
      ? `job ${dead.jobId}`
      : dead.eventId
        ? `event ${dead.eventId}`
        : "unknown body";
  const status = dead.job
    ? ` ${dead.job.status}${dead.job.error ? ` ${dead.job.error.code}: ${dead.job.error.message}` : ""}`
    : "";
  return `${dead.message.messageId}  group=${dead.message.groupId}  received=${dead.message.receiveCount}  sent=${dead.message.sentAt}  ${what}${dead.tenantId ? ` tenant=${dead.tenantId}` : ""}${status}`;
};

const depth = async (sqs: SQSClient, url: string): Promise<number> => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(Attributes["ApproximateNumberOfMessages"] ?? 0) +
    Number(Attributes["ApproximateNumberOfMessagesNotVisible"] ?? 0)
  );
};

export const dlqCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  if (sub !== "peek" && sub !== "redrive") throw new UsageError(`use "dlq peek" or "dlq redrive" (got "${sub ?? ""}")`);
  const { values } = parseCliArgs({
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
  const jobs = jobStoreFor(target);

  const dlqName = queueNameOf(urls.dlqUrl);
  const sourceName = queueNameOf(urls.url);
  const total = await depth(sqs, urls.dlqUrl);

  if (sub === "peek") {
    const messages = await Promise.all(
      (await peekDlq(sqs, urls.dlqUrl, limit ?? 50)).map((message) => describeDead(queueId, jobs, message)),
    );
    if (values.json) {
      console.log(JSON.stringify({ total, shown: messages }, null, 2));
      return;
    }
    console.log(`${dlqName}: ${total} message(s); showing ${messages.length}${limit ? ` (limit ${limit})` : ""}`);
    for (const dead of messages) console.log(line(dead));
    if (total > messages.length) {
      console.log(
        `(${total - messages.length} more wait behind these in their FIFO groups; they show once the ones ahead move)`,
      );
    }
    return;
  }

  // One job lookup per message: the filter's judgement and the printed line read the same record.
  const described = new Map<string, DeadMessage>();
  const describeOnce = async (message: DlqMessage): Promise<DeadMessage> => {
    let dead = described.get(message.messageId);
    if (!dead) {
      dead = await describeDead(queueId, jobs, message);
      described.set(message.messageId, dead);
    }
    return dead;
  };
  const criteria = [
    values.job ? `--job ${values.job}` : "",
    values.tenant ? `--tenant ${values.tenant}` : "",
    values.error ? `--error ${values.error}` : "",
  ].filter(Boolean);
  const filter = redriveFilter(
    {
      ...(values.job ? { job: values.job } : {}),
      ...(values.tenant ? { tenant: values.tenant } : {}),
      ...(values.error ? { error: values.error } : {}),
    },
    describeOnce,
  );
  const label = (dead: DeadMessage): string =>
    dead.poison
      ? "POISON_MESSAGE"
      : dead.jobId
        ? `job ${dead.jobId}`
        : dead.eventId
          ? `event ${dead.eventId}`
          : "a message";
  const why = async (k: KeptMessage): Promise<string> => {
    if (k.reason === "filter") return `the filter (${criteria.join(" ")}) does not match`;
    if (k.reason === "limit") return `the limit (${limit}) is reached`;
    const behind = k.behind ? await describeOnce(k.behind) : undefined;
    return `behind ${behind ? `${label(behind)} (message ${behind.message.messageId})` : "an earlier message"}, which stays: a group keeps its order`;
  };

  const dryRun = values["dry-run"];
  const bar = progress(dryRun ? "judging" : "redriving", { json: values.json });
  const report = await redriveDlq(sqs, {
    onProgress: ({ moved, kept }) => bar.update(moved + kept, total, `(${moved} ${dryRun ? "would move" : "moved"})`),
    sourceUrl: urls.url,
    sourceArn: urls.arn,
    dlqUrl: urls.dlqUrl,
    dlqArn: urls.dlqArn,
    ...(filter ? { filter } : {}),
    dryRun,
    ...(limit ? { limit } : {}),
  }).finally(() => bar.end());
  if (values.json) {
    const entry = async (m: DlqMessage, extra: Record<string, unknown> = {}) => {
      const dead = await describeOnce(m);
      return {
        messageId: m.messageId,
        groupId: m.groupId,
        ...(dead.jobId ? { jobId: dead.jobId } : {}),
        ...(dead.eventId ? { eventId: dead.eventId } : {}),
        ...(dead.tenantId ? { tenantId: dead.tenantId } : {}),
        ...(errorCodeOf(dead) ? { errorCode: errorCodeOf(dead) } : {}),
        ...extra,
      };
    };
    console.log(
      JSON.stringify(
        {
          method: report.method,
          dryRun,
          from: dlqName,
          to: sourceName,
          ...(report.taskHandle ? { taskHandle: report.taskHandle } : {}),
          moved: await Promise.all(report.moved.map((m) => entry(m))),
          kept: await Promise.all(
            report.skipped.map(async (k) => entry(k.message, { reason: k.reason, why: await why(k) })),
          ),
          left: report.method === "move-task" || dryRun ? total : await depth(sqs, urls.dlqUrl),
        },
        null,
        2,
      ),
    );
    return;
  }
  if (report.method === "move-task") {
    console.log(
      `started an SQS message move task ${report.taskHandle ?? ""} from ${dlqName} to ${sourceName} (${total} message(s))`,
    );
    return;
  }
  const judged = report.moved.length + report.skipped.length;
  if (dryRun) {
    console.log(
      `dry run: ${report.moved.length} of ${judged} message(s) judged would move from ${dlqName} to ${sourceName}; ${total} message(s) in the DLQ`,
    );
    if (total > judged) {
      console.log(
        `(${total - judged} not reached: SQS holds back a group's later messages while earlier ones are out, and a dry run moves nothing; the real run judges them by the same rules, and behind a message that stays they stay)`,
      );
    }
  } else {
    const left = await depth(sqs, urls.dlqUrl);
    console.log(`moved ${report.moved.length} message(s) to ${sourceName}; ${left} left in ${dlqName}`);
    if (left > report.skipped.length) {
      const stopped = limit !== undefined && report.moved.length >= limit;
      console.log(
        `(${left - report.skipped.length} more not reached: ${stopped ? "the run stopped at --limit, or they" : "they"} wait behind the kept messages of their groups)`,
      );
    }
  }
  for (const m of report.moved) console.log(`  ${dryRun ? "would move" : "moved"}: ${line(await describeOnce(m))}`);
  for (const k of report.skipped) {
    console.log(`  ${dryRun ? "would keep" : "kept"}: ${line(await describeOnce(k.message))} — ${await why(k)}`);
  }
  if (report.skipped.some((k) => k.reason === "group")) {
    console.log(
      "(a group moves from its front only: redrive the message it stays behind first, or the whole group without a filter)",
    );
  }
};
