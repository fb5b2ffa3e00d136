/**
 * Producers as a careers site would run them: a few requests in flight at a
 * time, and a request whose connection dies (the stack was killed) or that
 * gets a 5xx is sent again — the same body, the same Idempotency-Key, the same
 * event ids — until it is accepted. Anything else (a 4xx) is a failure of the
 * run. Each submission is counted once, however often it was sent.
 */
import type { Submission } from "./workload.ts";

export interface ProducerStats {
  /** Submissions accepted (202), each counted once. */
  accepted: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Submissions that needed more than one request. */
  retriedSubmissions: number;
  /** Requests that died on the connection (refused, reset, closed mid-answer). */
  connectionFailures: number;
  /** Requests answered 5xx. */
  serverErrors: number;
}

export interface Accepted {
  readonly submission: Submission;
  /** The answer's `data` (jobId for a job, accepted/eventIds for events). */
  readonly data: Record<string, unknown>;
  /** Requests it took. */
  readonly requests: number;
}

export interface ProducerOptions {
  /** The stack's API URL (fixed across restarts: the same port each time). */
  readonly apiUrl: string;
  /** A bearer token per `tenantId#userId`. */
  readonly tokens: ReadonlyMap<string, string>;
  readonly concurrency: number;
  /** Give up on a submission that has not been accepted after this long (the stack never came back). */
  readonly giveUpAfterMs: number;
  /**
   * Spread the submissions evenly over this long (submission i is not sent before i/N of it has passed),
   * so that work keeps arriving across the whole run instead of all at once; 0 sends as fast as the lanes go.
   */
  readonly spreadOverMs?: number;
  /**
   * Within that spread, submissions arrive in bursts of this many (due at the same moment), as producers'
   * traffic does, so that a backlog forms whenever the pipeline drains faster than the average rate
   * (default 1: evenly).
   */
  readonly burst?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const userKeyOf = (user: { tenantId: string; userId: string }): string => `${user.tenantId}#${user.userId}`;

export class Producers {
  readonly stats: ProducerStats = {
    accepted: 0,
    requests: 0,
    retriedSubmissions: 0,
    connectionFailures: 0,
    serverErrors: 0,
  };
  readonly #options: ProducerOptions;

  constructor(options: ProducerOptions) {
    this.#options = options;
  }

  /** Sends every submission (`concurrency` lanes); resolves with each one's accepted answer, in input order. */
  async run(submissions: readonly Submission[], onAccepted?: (a: Accepted) => void): Promise<Accepted[]> {
    const out: Accepted[] = new Array(submissions.length);
    const spreadMs = this.#options.spreadOverMs ?? 0;
    const burst = Math.max(1, this.#options.burst ?? 1);
    const started = performance.now();
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < submissions.length) {
        const i = next++;
        const due = started + (spreadMs * (i - (i % burst))) / submissions.length;
        if (due > performance.now()) await sleep(due - performance.now());
        const accepted = await this.#submit(submissions[i]!);
        out[i] = accepted;
        onAccepted?.(accepted);
      }
    };
    await Promise.all(Array.from({ length: this.#options.concurrency }, lane));
    return out;
  }

  async #submit(submission: Submission): Promise<Accepted> {
    const token = this.#options.tokens.get(userKeyOf(submission.user));
    if (!token) throw new Error(`no token for ${userKeyOf(submission.user)}`);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    let path: string;
    let body: string;
    if (submission.kind === "job") {
      path = "/v1/jobs";
      headers["idempotency-key"] = submission.idempotencyKey;
      body = JSON.stringify(submission.body);
    } else {
      path = "/v1/events";
      body = JSON.stringify({ events: submission.events });
    }
    const started = performance.now();
    let backoffMs = 100;
    for (let requests = 1; ; requests++) {
      this.stats.requests++;
      let failure: string;
      try {
        const res = await fetch(`${this.#options.apiUrl}${path}`, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        if (res.status === 202 || res.status === 200) {
          this.stats.accepted++;
          if (requests > 1) this.stats.retriedSubmissions++;
          return { submission, data: (JSON.parse(text) as { data: Record<string, unknown> }).data, requests };
        }
        if (res.status < 500) {
          throw new RefusedError(`${submission.kind} ${submission.index}: ${res.status} ${text.slice(0, 500)}`);
        }
        this.stats.serverErrors++;
        failure = `${res.status} ${text.slice(0, 200)}`;
      } catch (error) {
        if (error instanceof RefusedError) throw error;
        this.stats.connectionFailures++;
        failure = `${(error as Error).message} (${String((error as { cause?: { code?: string } }).cause?.code ?? "")})`;
      }
      if (performance.now() - started > this.#options.giveUpAfterMs) {
        throw new Error(`${submission.kind} ${submission.index}: not accepted after ${requests} requests: ${failure}`);
      }
      await sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, 1000);
    }
  }
}

/** An answer a retry cannot change: the run is wrong, not unlucky. */
class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedError";
  }
}
