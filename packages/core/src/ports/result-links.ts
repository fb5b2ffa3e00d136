import type { BlobPointer } from "../contracts/blob-pointer.ts";

/** Links to stored results that need no token: a presigned GET (the aws package's S3BlobStore implements it). */
export interface ResultLinks {
  presignedGetUrl(pointer: BlobPointer, expiresInSeconds: number): Promise<{ url: string; expiresAt: Date }>;
}
