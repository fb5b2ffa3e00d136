/**
 * The CV library's metadata (one record per CV, its versions listed in it); the bodies are blobs.
 * Every method is scoped to an owner (tenant and user): another owner's CV is simply not there.
 */
import type { BlobPointer } from "../contracts/blob-pointer.ts";

export type CvFormat = "json-resume" | "text";

export interface CvVersion {
  readonly version: number;
  readonly createdAt: string;
  readonly format: CvFormat;
  readonly bytes: number;
  readonly blob: BlobPointer;
  /** Hash of the canonical request: an Idempotency-Key repeated with another body is refused. */
  readonly requestHash: string;
  readonly idempotencyKey?: string;
}

export interface CvOwner {
  readonly tenantId: string;
  readonly userId: string;
}

export interface CvRecord extends CvOwner {
  readonly cvId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Oldest first; the last is the latest. */
  readonly versions: readonly CvVersion[];
  /** Set by a delete that has not finished removing the bodies: the CV reads as gone. */
  readonly deletedAt?: string;
}

export type CreateCvOutcome = { readonly created: true } | { readonly created: false; readonly existing: CvRecord };

export interface CvPage {
  readonly items: readonly CvRecord[];
  readonly cursor?: string;
}

export interface CvStore {
  /** Writes the record unless one with its id exists (then returns that one, deleted or not). */
  create(record: CvRecord): Promise<CreateCvOutcome>;
  /**
   * Appends `version` when the CV is live and its latest version is still `afterVersion`
   * (another writer's version in between, or a delete, makes it false).
   */
  addVersion(owner: CvOwner, cvId: string, version: CvVersion, afterVersion: number): Promise<boolean>;
  /** The record, deleted ones included (the caller decides what a pending delete means). */
  get(owner: CvOwner, cvId: string): Promise<CvRecord | undefined>;
  /** The owner's live CVs by id; `cursor` is the store's own (the HTTP layer seals it). */
  list(owner: CvOwner, limit: number, cursor?: string): Promise<CvPage>;
  /** Marks the CV deleted (the first delete's time is kept); undefined when there is no such CV. */
  markDeleted(owner: CvOwner, cvId: string, at: string): Promise<CvRecord | undefined>;
  /** Removes the record for good (after its bodies are gone). */
  remove(owner: CvOwner, cvId: string): Promise<void>;
  /** Every CV of the owner, deleted ones still being removed too (a user's deletion). */
  listForErasure(owner: CvOwner): Promise<CvRecord[]>;
}
