/**
 * The age of a queue's oldest message, which SQS publishes only as a
 * CloudWatch metric. The embedded stack's fauxqs shows its messages without
 * touching them (`GET /_fauxqs/queues/<name>`, as `cvpipe queues` reads it):
 * every message not yet deleted counts, ready, delayed or in flight. Any other
 * SQS (moto, an endpoint of the user's): undefined, shown as "n/a".
 */
interface InspectedMessage {
  readonly sentTimestamp?: number;
}
interface InspectedQueue {
  readonly messages?: {
    readonly ready?: InspectedMessage[];
    readonly delayed?: InspectedMessage[];
    readonly inflight?: { readonly message?: InspectedMessage }[];
  };
}

/** Seconds since the oldest message was sent (SQS's timestamps are real time); null when empty. */
export const oldestAgeSeconds = async (
  endpoint: string | undefined,
  queueName: string,
  now: () => number = Date.now,
): Promise<number | null | undefined> => {
  if (!endpoint) return undefined;
  try {
    const res = await fetch(`${endpoint.replace(/\/$/, "")}/_fauxqs/queues/${encodeURIComponent(queueName)}`, {
      signal: AbortSignal.timeout(3_000),
    });
    if (!res.ok) return undefined;
    const q = (await res.json()) as InspectedQueue;
    if (!q.messages) return undefined;
    const sent = [
      ...(q.messages.ready ?? []),
      ...(q.messages.delayed ?? []),
      ...(q.messages.inflight ?? []).map((m) => m.message ?? {}),
    ].map((m) => m.sentTimestamp);
    if (sent.length === 0) return null;
    if (sent.some((t) => typeof t !== "number")) return undefined;
    return Math.max(0, Math.floor((now() - Math.min(...(sent as number[]))) / 1000));
  } catch {
    return undefined;
  }
};
