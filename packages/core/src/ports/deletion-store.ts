/**
 * Requests to delete a user's data (`DELETE /v1/users/{userId}/data`) and the suppression records that keep
 * the user's work already queued at the time from being done afterwards.
 */

/** PENDING: accepted, no pass yet. RUNNING: passes ran, the last one still to come. COMPLETED: nothing of the user is left. */
export type DeletionStatus = "PENDING" | "RUNNING" | "COMPLETED";

/** What the deletion removed, over all its passes. */
export interface DeletionCounts {
  readonly cvs: number;
  readonly cvVersions: number;
  readonly jobs: number;
  /** Objects in the buckets: CV versions' bodies, claim-checked requests, stored results. */
  readonly objects: number;
  readonly feedback: number;
  readonly events: number;
}

export const NO_DELETIONS: DeletionCounts = { cvs: 0, cvVersions: 0, jobs: 0, objects: 0, feedback: 0, events: 0 };

export const addCounts = (a: DeletionCounts, b: DeletionCounts): DeletionCounts => ({
  cvs: a.cvs + b.cvs,
  cvVersions: a.cvVersions + b.cvVersions,
  jobs: a.jobs + b.jobs,
  objects: a.objects + b.objects,
  feedback: a.feedback + b.feedback,
  events: a.events + b.events,
});

export interface DeletionRecord {
  readonly tenantId: string;
  readonly deletionId: string;
  readonly status: DeletionStatus;
  /** Data the user gave cvpipe until this instant is deleted; what they send later is new and stays. */
  readonly requestedAt: string;
  /** The user whose data goes: kept only until the deletion is COMPLETED. */
  readonly userId?: string;
  /** A keyed hash of tenant and user (the id secret's): who may read the record once the user id is gone. */
  readonly userRef: string;
  /** Who asked: the user themself, or an analyst or admin of the tenant. */
  readonly requestedBy: "user" | "analyst" | "admin";
  readonly passes: number;
  readonly lastPassAt?: string;
  readonly completedAt?: string;
  /** The last pass's failure, by name and message (no user data): the next pass runs again. */
  readonly lastError?: string;
  readonly removed: DeletionCounts;
  /** TTL (epoch seconds). */
  readonly expiresAt: number;
}

/** A deleted user's suppression record: their work queued until `requestedAt` is dropped, not done. */
export interface Suppression {
  readonly tenantId: string;
  readonly userId: string;
  readonly requestedAt: string;
  readonly deletionId: string;
  /** TTL (epoch seconds): once no message queued before `requestedAt` can still arrive. */
  readonly expiresAt: number;
}

/** What a pass changes in its request's record. */
export interface DeletionPass {
  readonly status: Exclude<DeletionStatus, "PENDING">;
  readonly at: string;
  /** This pass's removals (added to the record's). */
  readonly removed: DeletionCounts;
  readonly error?: string;
}

export interface DeletionStore {
  /** Writes a new request (PENDING, listed as pending). */
  create(record: DeletionRecord): Promise<void>;
  get(tenantId: string, deletionId: string): Promise<DeletionRecord | undefined>;
  /** The user's suppression record, or undefined (none, or expired). */
  suppression(tenantId: string, userId: string): Promise<Suppression | undefined>;
  /** Writes the suppression record unless one with a later `requestedAt` is there. */
  suppress(record: Suppression): Promise<void>;
  /** Requests not yet COMPLETED, oldest first. */
  listPending(limit: number): Promise<DeletionRecord[]>;
  /** Adds a pass to the record; COMPLETED also forgets the user id and takes the request off the pending list. */
  recordPass(tenantId: string, deletionId: string, pass: DeletionPass): Promise<void>;
}

/** How the workers ask whether a user's data was deleted: the request's time, or undefined. */
export type SuppressionLookup = (tenantId: string, userId: string) => Promise<string | undefined>;
