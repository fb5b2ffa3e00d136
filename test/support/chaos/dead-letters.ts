/**
 * Which dead-lettered messages the kills alone explain.
 *
 * SQS moves a message to its DLQ on the receive after `maxReceiveCount`
 * unacknowledged ones, whatever the reason they went unacknowledged — on AWS
 * a Lambda that dies holding a batch counts too. A message the kills caught in
 * flight `maxReceiveCount` times belongs in the DLQ by those rules, and an
 * operator redrives it; a message there for any other reason (a handler
 * failure, a lost acknowledgement) is a finding.
 */
import { queues } from "@cvpipe/core/topology";
import { messagesIn } from "./sqs-store.ts";

export interface DeadLetter {
  readonly queue: string;
  readonly messageId: string;
  /** Kills that caught it in flight. */
  readonly kills: number;
  readonly what: string;
}

export const classifyDeadLetters = (
  dataDir: string,
  inFlightKills: ReadonlyMap<string, number>,
  jobs: ReadonlyMap<string, Record<string, unknown>>,
): { byKills: DeadLetter[]; unexplained: DeadLetter[] } => {
  const byKills: DeadLetter[] = [];
  const unexplained: DeadLetter[] = [];
  for (const spec of Object.values(queues)) {
    for (const m of messagesIn(dataDir, spec.dlqName)) {
      const kills = inFlightKills.get(m.messageId) ?? 0;
      const entry = { queue: spec.dlqName, messageId: m.messageId, kills, what: describe(m.body, jobs) };
      (kills >= spec.maxReceiveCount ? byKills : unexplained).push(entry);
    }
  }
  return { byKills, unexplained };
};

const describe = (raw: string, jobs: ReadonlyMap<string, Record<string, unknown>>): string => {
  try {
    const body = JSON.parse(raw) as { tenantId?: string; jobId?: string; event?: { eventId?: string; type?: string } };
    if (body.jobId) {
      const job = jobs.get(`${body.tenantId}#${body.jobId}`);
      return `job ${body.tenantId}/${body.jobId} (${String(job?.["status"])}, attempt ${String(job?.["attempts"])})`;
    }
    if (body.event) return `event ${body.tenantId}/${body.event.eventId} (${body.event.type})`;
  } catch {
    // fall through
  }
  return "unreadable body";
};

export const formatDeadLetter = (d: DeadLetter): string =>
  `${d.queue}: ${d.what}, caught in flight by ${d.kills} kill(s)`;
