import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { BlobPointer } from "@cvpipe/core/contracts/messages";
import { keyPart } from "@cvpipe/core/keys";
import { BlobNotFoundError, type BlobStore } from "@cvpipe/core/ports/blob-store";
import type { Clock } from "@cvpipe/core/ports/clock";
import { dependencyFailure } from "./aws-errors.ts";

/** BlobStore over one bucket (payloads, or the CV library's). */
export class S3BlobStore implements BlobStore {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #signingClock: Clock;

  /**
   * `signingClock`: the time presigned URLs are signed at. S3 checks a
   * signature against its own (real) time, so this is the system clock even
   * where the functions run on a shifted one.
   */
  constructor(s3: S3Client, bucket: string, options: { readonly signingClock: Clock }) {
    this.#s3 = s3;
    this.#bucket = bucket;
    this.#signingClock = options.signingClock;
  }

  /** `key` comes from `s3Key` (core/keys.ts); each segment is checked again here, before anything is written. */
  async put(key: string, body: string, contentType: string): Promise<BlobPointer> {
    for (const segment of key.split("/")) keyPart(segment);
    const bytes = Buffer.byteLength(body);
    try {
      await this.#s3.send(
        new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (error) {
      throw dependencyFailure(`S3 PutObject ${key}`, error);
    }
    return { bucket: this.#bucket, key, bytes };
  }

  async get(pointer: BlobPointer): Promise<string> {
    try {
      const out = await this.#s3.send(new GetObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }));
      return (await out.Body?.transformToString("utf8")) ?? "";
    } catch (error) {
      if (error instanceof Error && error.name === "NoSuchKey") throw new BlobNotFoundError(pointer);
      throw dependencyFailure(`S3 GetObject ${pointer.key}`, error);
    }
  }

  /** S3 answers a delete of a missing key with success too. On a versioned bucket it leaves a delete marker (the lifecycle removes the noncurrent version). */
  async remove(pointer: BlobPointer): Promise<void> {
    try {
      await this.#s3.send(new DeleteObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }));
    } catch (error) {
      throw dependencyFailure(`S3 DeleteObject ${pointer.key}`, error);
    }
  }

  /**
   * A URL that GETs the object without credentials until `expiresAt` — or
   * sooner, when the signing credentials (a Lambda role's session) expire.
   * Signed here, no request made; the expiry is on S3's clock (see the
   * constructor's `signingClock`).
   */
  async presignedGetUrl(pointer: BlobPointer, expiresInSeconds: number): Promise<{ url: string; expiresAt: Date }> {
    const signingDate = this.#signingClock.now();
    try {
      const url = await getSignedUrl(this.#s3, new GetObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }), {
        expiresIn: expiresInSeconds,
        signingDate,
      });
      return { url, expiresAt: new Date(signingDate.getTime() + expiresInSeconds * 1000) };
    } catch (error) {
      throw dependencyFailure(`S3 presign GetObject ${pointer.key}`, error);
    }
  }
}
