/**
 * What the console reads and does, behind one interface so its pages can be
 * tested without a stack (console.test.ts in this folder) and run against the
 * stack's own resources (stackConsoleData). Reads go through the adapters the
 * CLI uses: GetQueueAttributes, peekDlq and redriveDlq (packages/aws/src/dlq.ts),
 * the jobs table's DynamoJobStore, the reporter's renderWeeklyReport.
 */
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createS3Client, createSqsClient } from "@cvpipe/aws/clients";
import { type DlqMessage, type KeptMessage, peekDlq, redriveDlq } from "@cvpipe/aws/dlq";
import { type DeadMessage, describeDead, type RedriveCriteria, redriveFilter } from "@cvpipe/aws/dlq-triage";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import { S3BlobStore } from "@cvpipe/aws/s3-blob-store";
import type { IsoWeek } from "@cvpipe/core/analytics/iso-week";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import { type Clock, systemClock } from "@cvpipe/core/ports/clock";
import { breaches, queueAlarms } from "@cvpipe/core/queue-alarms";
import { renderWeeklyReport } from "@cvpipe/core/report/send-weekly-report";
import type { TailoringResult } from "@cvpipe/core/tailoring/types";
import { jobIndexes, type QueueId, queueNameOf, queues, tables } from "@cvpipe/core/topology";
import { oldestAgeSeconds } from "../fauxqs-ages.ts";
import type { StackInfo } from "../stack.ts";

export interface QueueDepth {
  readonly name: string;
  readonly visible: number | undefined;
  readonly inFlight: number | undefined;
  readonly delayed: number | undefined;
  /** Seconds; null: empty; undefined: not readable here (no inspection endpoint: "n/a"). */
  readonly oldestAgeSeconds: number | null | undefined;
}

export interface AlarmReading {
  readonly name: string;
  readonly state: "OK" | "ALARM";
  readonly condition: string;
}

export interface QueueOverview {
  readonly id: QueueId;
  readonly source: QueueDepth;
  readonly dlq: QueueDepth;
  readonly alarms: readonly AlarmReading[];
}

export interface RedriveOutcome {
  readonly dryRun: boolean;
  /** Without a filter on an SQS that has them (AWS): the move task redriveDlq started instead. */
  readonly moveTask?: string;
  readonly moved: readonly DeadMessage[];
  readonly kept: readonly { readonly dead: DeadMessage; readonly why: string }[];
  readonly leftInDlq: number | undefined;
}

export interface SentEmailView {
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly at?: string;
  readonly html?: string;
  readonly text?: string;
}

export interface JobDetail {
  readonly record: JobRecord;
  readonly result?: TailoringResult;
}

export interface ConsoleData {
  /** Each queue's dead-letter queue by its own name (a stage's staged name, CVPIPE_LOCAL_STAGE). */
  readonly dlqNames: Readonly<Record<QueueId, string>>;
  queues(): Promise<QueueOverview[]>;
  dlq(queue: QueueId): Promise<DeadMessage[]>;
  redrive(queue: QueueId, criteria: RedriveCriteria, dryRun: boolean): Promise<RedriveOutcome>;
  /** The job with its result; without a tenant, the first job of that id in any tenant. */
  job(jobId: string, tenantId?: string): Promise<JobDetail | undefined>;
  reportPreview(week: IsoWeek): Promise<{ subject: string; html: string; text: string }>;
  /** The SES emulator's sent-email store; undefined when this SES has none to read. */
  sentEmails(): Promise<SentEmailView[] | undefined>;
}

/** Why a kept message stays, in the words `cvpipe dlq redrive` prints. */
const whyKept = (k: KeptMessage, criteria: RedriveCriteria): string => {
  if (k.reason === "filter") {
    const parts = Object.entries(criteria)
      .filter(([, v]) => v)
      .map(([k2, v]) => `${k2}=${v}`);
    return `the filter (${parts.join(" ")}) does not match`;
  }
  if (k.reason === "limit") return "the limit is reached";
  return `behind message ${k.behind?.messageId ?? "an earlier one"}, which stays: a group keeps its order`;
};

const ATTRS = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
] as const;

const numberOr = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

const depthOf = async (
  sqs: SQSClient,
  url: string,
  inspectAt: string | undefined,
  fallbackName: string,
): Promise<QueueDepth> => {
  const name = url.split("/").pop() || fallbackName;
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...ATTRS] }),
  );
  return {
    name,
    visible: numberOr(Attributes.ApproximateNumberOfMessages),
    inFlight: numberOr(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: numberOr(Attributes.ApproximateNumberOfMessagesDelayed),
    oldestAgeSeconds: await oldestAgeSeconds(inspectAt, name),
  };
};

/** The alarms infra/ deploys on a queue (core queue-alarms.ts), judged on this reading as CloudWatch would. */
export const judgeAlarms = (id: QueueId, source: QueueDepth, dlq: QueueDepth): AlarmReading[] =>
  queueAlarms(queues[id]).map((alarm) => {
    if (alarm.metric === "dlqVisibleMessages") {
      const value = dlq.visible;
      const fires = breaches(alarm, value);
      return {
        name: alarm.name,
        state: fires ? "ALARM" : "OK",
        condition: `${dlq.name}: ${value ?? "?"} visible ${fires ? ">" : "<="} ${alarm.threshold}`,
      };
    }
    const age = source.oldestAgeSeconds;
    const fires = breaches(alarm, age);
    return {
      name: alarm.name,
      state: fires ? "ALARM" : "OK",
      condition:
        age === undefined
          ? `${source.name}: oldest message's age n/a here (CloudWatch ApproximateAgeOfOldestMessage; missing data is not breaching); limit ${alarm.threshold} s for ${alarm.evaluationPeriods} min`
          : age === null
            ? `${source.name}: empty; limit ${alarm.threshold} s`
            : `${source.name}: oldest ${age} s ${fires ? ">" : "<="} ${alarm.threshold} s (fires after ${alarm.evaluationPeriods} min of it)`,
    };
  });

interface SesStoreEmail {
  readonly messageId?: string;
  readonly from?: string;
  readonly destination?: { readonly to?: string[] };
  readonly subject?: string;
  readonly at?: number | string;
  readonly body?: { readonly text?: string; readonly html?: string };
}

/** The console's data on the embedded stack's resources (process.env holds the functions' configuration). */
export const stackConsoleData = (info: StackInfo, clock: Clock = systemClock): ConsoleData => {
  const sqs = createSqsClient();
  const db = createDocumentClient();
  // A stack.json from before the stack named its tables there: the topology's name.
  const jobsTable = info.tables?.jobs ?? tables.jobs.name;
  const jobs = new DynamoJobStore(db, jobsTable, { clock, indexes: jobIndexes });
  const blobs = new S3BlobStore(createS3Client(), info.bucket, { signingClock: systemClock });
  // Only the stack's own fauxqs can show its messages' ages (moto, another endpoint: n/a).
  const inspectAt = info.services.sqs.source === "emulated" ? info.endpoints.sqs : undefined;
  const sesStore = info.services.ses.source === "emulated" ? `${info.endpoints.ses}/store` : undefined;
  const describeAll = (queue: QueueId) => {
    const seen = new Map<string, Promise<DeadMessage>>();
    return (m: DlqMessage): Promise<DeadMessage> => {
      let dead = seen.get(m.messageId);
      if (!dead) {
        dead = describeDead(queue, jobs, m);
        seen.set(m.messageId, dead);
      }
      return dead;
    };
  };

  return {
    dlqNames: Object.fromEntries(
      Object.values(queues).map((spec) => [spec.id, queueNameOf(info.queues[spec.id].dlqUrl)]),
    ) as Record<QueueId, string>,
    async queues() {
      return Promise.all(
        Object.values(queues).map(async (spec) => {
          const q = info.queues[spec.id];
          const [source, dlq] = await Promise.all([
            depthOf(sqs, q.url, inspectAt, queueNameOf(q.url)),
            depthOf(sqs, q.dlqUrl, inspectAt, queueNameOf(q.dlqUrl)),
          ]);
          return { id: spec.id, source, dlq, alarms: judgeAlarms(spec.id, source, dlq) };
        }),
      );
    },
    async dlq(queue) {
      const describe = describeAll(queue);
      return Promise.all((await peekDlq(sqs, info.queues[queue].dlqUrl, 50)).map(describe));
    },
    async redrive(queue, criteria, dryRun) {
      const q = info.queues[queue];
      const describe = describeAll(queue);
      const filter = redriveFilter(criteria, describe);
      // The function `cvpipe dlq redrive` calls, with the same filter: one code path for both.
      const report = await redriveDlq(sqs, {
        sourceUrl: q.url,
        sourceArn: q.arn,
        dlqUrl: q.dlqUrl,
        dlqArn: q.dlqArn,
        ...(filter ? { filter } : {}),
        dryRun,
      });
      const dlq = await depthOf(sqs, q.dlqUrl, undefined, queueNameOf(q.dlqUrl));
      return {
        dryRun,
        ...(report.method === "move-task" ? { moveTask: report.taskHandle ?? "(no handle)" } : {}),
        moved: await Promise.all(report.moved.map(describe)),
        kept: await Promise.all(
          report.skipped.map(async (k) => ({ dead: await describe(k.message), why: whyKept(k, criteria) })),
        ),
        leftInDlq: dlq.visible === undefined ? undefined : dlq.visible + (dlq.inFlight ?? 0),
      };
    },
    async job(jobId, tenantId) {
      let tenant = tenantId;
      if (!tenant) {
        // The console is cross-tenant: find the job's tenant (a local table is small enough to scan).
        let start: Record<string, unknown> | undefined;
        do {
          const page = await db.send(
            new ScanCommand({
              TableName: jobsTable,
              FilterExpression: "jobId = :id",
              ExpressionAttributeValues: { ":id": jobId },
              ProjectionExpression: "tenantId",
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          tenant = page.Items?.[0]?.["tenantId"] as string | undefined;
          start = page.LastEvaluatedKey;
        } while (!tenant && start);
      }
      if (!tenant) return undefined;
      const record = await jobs.get(tenant, jobId).catch(() => undefined);
      if (!record) return undefined;
      const result =
        record.result ??
        (record.resultBlob ? (JSON.parse(await blobs.get(record.resultBlob)) as TailoringResult) : undefined);
      return { record, ...(result ? { result } : {}) };
    },
    async reportPreview(week) {
      // The reporter's own dependencies and renderer: the preview is the email a run would send.
      const { reporterDeps } = await import("@cvpipe/functions/composition/reporter");
      const rendered = await renderWeeklyReport(reporterDeps(), week);
      return { subject: rendered.subject, html: rendered.html, text: rendered.text };
    },
    async sentEmails() {
      if (!sesStore) return undefined;
      try {
        const res = await fetch(sesStore, { signal: AbortSignal.timeout(3_000) });
        if (!res.ok) return undefined;
        const { emails = [] } = (await res.json()) as { emails?: SesStoreEmail[] };
        return emails.map((e, i) => ({
          messageId: e.messageId ?? String(i),
          from: e.from ?? "",
          to: e.destination?.to ?? [],
          subject: e.subject ?? "",
          ...(e.at !== undefined ? { at: new Date(typeof e.at === "number" ? e.at * 1000 : e.at).toISOString() } : {}),
          ...(e.body?.html !== undefined ? { html: e.body.html } : {}),
          ...(e.body?.text !== undefined ? { text: e.body.text } : {}),
        }));
      } catch {
        return undefined;
      }
    },
  };
};
