/**
 * The jobs table in memory, with the conditions of the DynamoDB store
 * (packages/aws/src/dynamo-job-store.ts) — so use-case tests exercise the same
 * rules without an emulator:
 *
 * - an expired item is absent on every read, and `create` may replace it;
 * - `start` takes QUEUED or PROCESSING (a takeover), or a retryable FAILED job
 *   whose failure's outcome then joins `supersededOutcomes`; never a job created
 *   after its message could have been sent (`latestCreatedAtFor`);
 * - `succeed` and `fail({ attempt })` only while that attempt is current;
 *   `fail("QUEUED")` only before any attempt started, and keeps the sweep mark;
 * - the sparse `queued` index is the records that carry `queuedShard`;
 * - `listByUser` is newest first, with DynamoDB's paging: a cursor whenever a
 *   page read `limit` items (so the last page may be empty), expired items
 *   dropped after the read, and a cursor from anyone else an InvalidCursorError.
 *
 * Records are copied in and out: a caller never holds the stored object.
 */
import { InvalidCursorError } from "../../errors.ts";
import { compositeKey, keyPart, UnsafeKeyError } from "../../keys.ts";
import type { Clock } from "../../ports/clock.ts";
import type {
  CreateJobOutcome,
  JobCompletion,
  JobFilter,
  JobPage,
  JobStore,
  StartOutcome,
} from "../../ports/job-store.ts";
import { epochSeconds } from "../../ttl.ts";
import { outcomeEvent } from "../job-outcome.ts";
import { failedJob, type JobError, type JobRecord, latestCreatedAtFor, succeededJob } from "../job-record.ts";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryJobStore implements JobStore {
  readonly #items = new Map<string, JobRecord>();
  readonly #clock: Clock;

  /** `clock`: the time expiry is judged on, as the DynamoDB store's. */
  constructor(options: { readonly clock: Clock }) {
    this.#clock = options.clock;
  }

  /** Every stored record, expired ones included (what a table scan would show). */
  all(): JobRecord[] {
    return [...this.#items.values()].map(copy);
  }

  /** Writes a record as it is, no condition (a test's "the table already holds this"). */
  put(record: JobRecord): void {
    this.#items.set(this.#key(record.tenantId, record.jobId), copy(record));
  }

  #key(tenantId: string, jobId: string): string {
    return `${keyPart(tenantId)}\u0000${keyPart(jobId)}`;
  }

  #nowSeconds(): number {
    return epochSeconds(this.#clock.now());
  }

  #raw(tenantId: string, jobId: string): JobRecord | undefined {
    return this.#items.get(this.#key(tenantId, jobId));
  }

  #live(record: JobRecord | undefined): JobRecord | undefined {
    return record && record.expiresAt > this.#nowSeconds() ? record : undefined;
  }

  #write(record: JobRecord): void {
    this.#items.set(this.#key(record.tenantId, record.jobId), record);
  }

  async create(record: JobRecord): Promise<CreateJobOutcome> {
    if (record.userKey !== compositeKey(record.tenantId, record.userId)) {
      throw new UnsafeKeyError("userKey is not tenantId#userId");
    }
    const existing = this.#live(this.#raw(record.tenantId, record.jobId));
    if (existing) return { created: false, existing: copy(existing) };
    this.#write(copy(record));
    return { created: true };
  }

  async get(tenantId: string, jobId: string): Promise<JobRecord | undefined> {
    const record = this.#live(this.#raw(tenantId, jobId));
    return record && copy(record);
  }

  async start(tenantId: string, jobId: string, at: string, submittedAt?: string): Promise<StartOutcome> {
    const current = this.#live(this.#raw(tenantId, jobId));
    if (!current) return { started: false, record: undefined };
    const notAfter = submittedAt ? latestCreatedAtFor(submittedAt) : undefined;
    const fresh = notAfter === undefined || current.createdAt <= notAfter;
    const takes = current.status === "QUEUED" || current.status === "PROCESSING";
    const redrive = current.status === "FAILED" && current.error?.retryable === true;
    if (!fresh || !(takes || redrive)) return { started: false, record: copy(current) };
    const next: Mutable<JobRecord> = {
      ...current,
      status: "PROCESSING",
      updatedAt: at,
      startedAt: at,
      attempts: (current.attempts ?? 0) + 1,
    };
    if (redrive) next.supersededOutcomes = [...(current.supersededOutcomes ?? []), outcomeEvent(current)];
    delete next.error;
    delete next.finishedAt;
    delete next.queuedShard;
    this.#write(next);
    return { started: true, record: copy(next) };
  }

  async succeed(
    tenantId: string,
    jobId: string,
    attempt: number,
    completion: JobCompletion,
    at: string,
  ): Promise<boolean> {
    const current = this.#raw(tenantId, jobId);
    if (current?.status !== "PROCESSING" || current.attempts !== attempt) return false;
    this.#write(succeededJob(current, copy(completion), at));
    return true;
  }

  async fail(
    tenantId: string,
    jobId: string,
    error: JobError,
    at: string,
    only?: { attempt: number } | "QUEUED",
  ): Promise<boolean> {
    const current = this.#raw(tenantId, jobId);
    if (!current) return false;
    const holds =
      only === "QUEUED"
        ? current.status === "QUEUED"
        : only
          ? current.status === "PROCESSING" && current.attempts === only.attempt
          : current.status === "QUEUED" || current.status === "PROCESSING";
    if (!holds) return false;
    // The sweep's own failure keeps the job in the sparse index until its outcome is published.
    this.#write(
      only === "QUEUED"
        ? { ...current, status: "FAILED", updatedAt: at, finishedAt: at, error: copy(error) }
        : failedJob(current, copy(error), at),
    );
    return true;
  }

  async listAwaitingSweep(createdBefore: string, limit: number): Promise<JobRecord[]> {
    return [...this.#items.values()]
      .filter((r) => r.queuedShard !== undefined && r.createdAt < createdBefore)
      .map((r) => this.#live(r))
      .filter((r): r is JobRecord => r !== undefined && (r.status === "QUEUED" || r.status === "FAILED"))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .slice(0, limit)
      .map(copy);
  }

  async clearSweepMark(tenantId: string, jobId: string): Promise<void> {
    const current = this.#raw(tenantId, jobId);
    if (!current || current.status === "QUEUED") return;
    const next: Mutable<JobRecord> = { ...current };
    delete next.queuedShard;
    this.#write(next);
  }

  async listForErasure(tenantId: string, userId: string) {
    return [...this.#items.values()]
      .filter((r) => r.tenantId === tenantId && r.userId === userId)
      .map((r) => ({ jobId: r.jobId, createdAt: r.createdAt, attempts: r.attempts }));
  }

  async remove(tenantId: string, jobId: string): Promise<void> {
    this.#items.delete(this.#key(tenantId, jobId));
  }

  async listByUser(
    tenantId: string,
    userId: string,
    limit: number,
    cursor?: string,
    filter: JobFilter = {},
  ): Promise<JobPage> {
    const uk = compositeKey(tenantId, userId);
    const after = decodeCursor(cursor, tenantId, uk);
    // The by-user index: userKey, then createdAt descending (ties by jobId, as a stable stand-in).
    const newestFirst = (a: JobRecord, b: JobRecord) =>
      a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.jobId < b.jobId ? 1 : -1;
    const index = [...this.#items.values()].filter((r) => r.userKey === uk).sort(newestFirst);
    const from = after
      ? index.findIndex((r) => newestFirst(r, { createdAt: after.createdAt, jobId: after.jobId } as JobRecord) > 0)
      : 0;
    const read = from < 0 ? [] : index.slice(from, from + limit);
    const items = read
      .map((r) => this.#live(r))
      .filter((r): r is JobRecord => r !== undefined)
      .filter(
        (r) =>
          (filter.status === undefined || r.status === filter.status) &&
          (filter.applicationId === undefined || r.applicationId === filter.applicationId),
      );
    const last = read.length === limit ? read[read.length - 1] : undefined;
    const page = items.map(copy);
    return last
      ? { items: page, cursor: encodeCursor({ tenantId, userKey: uk, createdAt: last.createdAt, jobId: last.jobId }) }
      : { items: page };
  }
}

interface CursorKey {
  readonly tenantId: string;
  readonly userKey: string;
  readonly createdAt: string;
  readonly jobId: string;
}

const encodeCursor = (key: CursorKey): string => Buffer.from(JSON.stringify(key)).toString("base64url");

const decodeCursor = (cursor: string | undefined, tenantId: string, userKey: string): CursorKey | undefined => {
  if (!cursor) return undefined;
  let key: Partial<CursorKey> | undefined;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<CursorKey>;
  } catch {
    key = undefined;
  }
  if (
    !key ||
    key.tenantId !== tenantId ||
    key.userKey !== userKey ||
    typeof key.createdAt !== "string" ||
    typeof key.jobId !== "string"
  ) {
    throw new InvalidCursorError();
  }
  return key as CursorKey;
};
