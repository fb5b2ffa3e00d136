/**
 * The stack's queues read from outside with an SQS client, as the CLI reads
 * them: each queue's depth (visible, in flight, delayed), every queue and DLQ
 * of a stack by name, a wait for queues to drain, a purge, and a tailoring job's
 * message in a DLQ.
 */
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type DlqMessage, peekDlq } from "@cvpipe/aws/dlq";
import type { StackInfo } from "@cvpipe/local/stack";
import { until } from "./until.ts";

/** One queue's messages as SQS approximates them. */
export interface Depth {
  readonly visible: number;
  /** In flight: received, not yet deleted. */
  readonly notVisible: number;
  readonly delayed: number;
}

const DEPTH_ATTRIBUTES: Readonly<Record<keyof Depth, QueueAttributeName>> = {
  visible: "ApproximateNumberOfMessages",
  notVisible: "ApproximateNumberOfMessagesNotVisible",
  delayed: "ApproximateNumberOfMessagesDelayed",
};

/** One GetQueueAttributes; an attribute the service leaves out is an error, never a zero. */
export const readDepth = async (sqs: SQSClient, url: string): Promise<Depth> => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: Object.values(DEPTH_ATTRIBUTES) }),
  );
  const count = (of: keyof Depth): number => {
    const value = Attributes[DEPTH_ATTRIBUTES[of]];
    if (value === undefined) throw new Error(`GetQueueAttributes of ${url} has no ${DEPTH_ATTRIBUTES[of]}`);
    return Number(value);
  };
  return { visible: count("visible"), notVisible: count("notVisible"), delayed: count("delayed") };
};

/** Every message a queue holds: visible, in flight or delayed. */
export const messagesIn = (depth: Depth): number => depth.visible + depth.notVisible + depth.delayed;

/** How many messages the queue holds now (visible, in flight or delayed). */
export const queueDepth = async (sqs: SQSClient, url: string): Promise<number> => messagesIn(await readDepth(sqs, url));

export type Depths = Record<string, Depth>;

/** Every queue of the stack by a readable name: `tailoringJobs`, `tailoringJobs DLQ`, ... */
export const queueUrls = (queues: StackInfo["queues"]): Record<string, string> =>
  Object.fromEntries(
    Object.entries(queues).flatMap(([id, q]) => [
      [id, q.url],
      [`${id} DLQ`, q.dlqUrl],
    ]),
  );

/** The depth of each of `queues` (named urls, or a list: then named by position). */
export const depthsOf = async (
  sqs: SQSClient,
  queues: Readonly<Record<string, string>> | readonly string[],
): Promise<Depths> => {
  const out: Depths = {};
  for (const [name, url] of Object.entries(queues)) out[name] = await readDepth(sqs, url);
  return out;
};

/** The depth of every queue and DLQ of the stack, by queueUrls's names. */
export const queueDepths = (sqs: SQSClient, queues: StackInfo["queues"]): Promise<Depths> =>
  depthsOf(sqs, queueUrls(queues));

/** The messages the queues hold, of those whose name `which` accepts (all by default). */
export const total = (depths: Depths, which?: (name: string) => boolean): number =>
  Object.entries(depths)
    .filter(([name]) => which?.(name) ?? true)
    .reduce((n, [, d]) => n + messagesIn(d), 0);

/** Each queue's messages, one number a queue. */
export const messageCounts = (depths: Depths): Record<string, number> =>
  Object.fromEntries(Object.entries(depths).map(([name, d]) => [name, messagesIn(d)]));

/** `name visible/in flight/delayed, ...` */
export const formatDepths = (depths: Depths): string =>
  Object.entries(depths)
    .map(([name, d]) => `${name} ${d.visible}/${d.notVisible}/${d.delayed}`)
    .join(", ");

export interface DrainOptions {
  /** Between reads (default 100 ms). */
  readonly pollMs?: number;
  /** Empty reads in a row that count as drained (default 1). */
  readonly quietReads?: number;
  /** Given the depths every 15 s while it waits. */
  readonly log?: (line: string) => void;
}

/**
 * Waits until every one of `queues` holds nothing (visible, in flight or delayed) on `quietReads`
 * reads in a row; resolves with the ms waited, or undefined once `timeoutMs` has passed.
 */
export const waitDrained = async (
  sqs: SQSClient,
  queues: Readonly<Record<string, string>> | readonly string[],
  timeoutMs: number,
  { pollMs = 100, quietReads = 1, log }: DrainOptions = {},
): Promise<number | undefined> => {
  const started = performance.now();
  let lastLog = started;
  let quiet = 0;
  for (;;) {
    const depths = await depthsOf(sqs, queues);
    quiet = total(depths) === 0 ? quiet + 1 : 0;
    if (quiet >= quietReads) return performance.now() - started;
    if (performance.now() - started > timeoutMs) return undefined;
    if (log && performance.now() - lastLog > 15_000) {
      log(`  draining: ${formatDepths(depths)} (visible/in flight/delayed)`);
      lastLog = performance.now();
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
};

/** Receives and deletes everything in the stack's main queues (when no poller runs); returns how many messages. */
export const drainQueues = async (sqs: SQSClient, queues: StackInfo["queues"]): Promise<number> => {
  let drained = 0;
  for (const q of Object.values(queues)) {
    for (let round = 0; round < 100; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) break;
      for (const m of Messages) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle! }));
        drained++;
      }
    }
  }
  return drained;
};

/** A DLQ filter: the message of the tailoring job `jobId`. */
export const isJobMessage =
  (jobId: string) =>
  (m: DlqMessage): boolean =>
    (m.json as { jobId?: string } | undefined)?.jobId === jobId;

/** Whether the DLQ at `dlqUrl` holds the message of the tailoring job `jobId` now. */
export const jobInDlq = async (sqs: SQSClient, dlqUrl: string, jobId: string): Promise<boolean> =>
  (await peekDlq(sqs, dlqUrl)).some(isJobMessage(jobId));

/** Waits until the job's message is in the DLQ at `dlqUrl` (up to `timeoutMs`, default 30 s). */
export const waitForJobInDlq = (sqs: SQSClient, dlqUrl: string, jobId: string, timeoutMs = 30_000): Promise<true> =>
  until(
    "the job's message in the DLQ",
    async () => ((await jobInDlq(sqs, dlqUrl, jobId)) ? true : undefined),
    timeoutMs,
  );
