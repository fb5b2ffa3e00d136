import type { BlobPointer } from "../contracts/blob-pointer.ts";

/** The object a pointer names does not exist (deleted, expired, never written): retrying cannot help. */
export class BlobNotFoundError extends Error {
  readonly pointer: BlobPointer;
  constructor(pointer: BlobPointer) {
    super(`object s3://${pointer.bucket}/${pointer.key} does not exist`);
    this.name = "BlobNotFoundError";
    this.pointer = pointer;
  }
}

/** Whose data an object holds: the tenant. On AWS it is the object's KMS encryption context (CloudTrail shows it). */
export interface BlobOwner {
  readonly tenantId: string;
}

/** Large payloads (claim checks, big results). */
export interface BlobStore {
  put(key: string, body: string, contentType: string, owner: BlobOwner): Promise<BlobPointer>;
  /** The object's body; BlobNotFoundError when it does not exist, DependencyError when the store failed. */
  get(pointer: BlobPointer): Promise<string>;
  /** Deletes the object; one already gone is no error. */
  remove(pointer: BlobPointer): Promise<void>;
  /** Deletes every object of this store whose key starts with `prefix` (a user's deletion); how many there were. */
  removeUnder(prefix: string): Promise<number>;
}
