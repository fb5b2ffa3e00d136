import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { BlobPointer } from "@cvpipe/core/contracts/blob-pointer";
import { keyPart } from "@cvpipe/core/keys";
import { BlobNotFoundError, type BlobOwner, type BlobStore } from "@cvpipe/core/ports/blob-store";
import type { Clock } from "@cvpipe/core/ports/clock";
import { TENANT_ENCRYPTION_CONTEXT_KEY } from "@cvpipe/core/topology";
import { dependencyFailure } from "./aws-errors.ts";

export interface S3BlobStoreOptions {
  /**
   * The time presigned URLs are signed at. S3 checks a signature against its
   * own (real) time, so this is the system clock even where the functions run
   * on a shifted one.
   */
  readonly signingClock: Clock;
  /**
   * The customer managed KMS key (ARN) objects are written with, SSE-KMS,
   * under an encryption context naming the object's tenant. Absent, no
   * encryption headers are sent and the bucket's default applies (the local
   * emulator's case).
   */
  readonly kmsKeyArn?: string;
}

/** S3's form of a KMS encryption context: base64 of its UTF-8 JSON. */
const encryptionContext = (tenantId: string): string =>
  Buffer.from(JSON.stringify({ [TENANT_ENCRYPTION_CONTEXT_KEY]: tenantId }), "utf8").toString("base64");

/** BlobStore over one bucket (payloads, or the CV library's). */
export class S3BlobStore implements BlobStore {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #signingClock: Clock;
  readonly #kmsKeyArn: string | undefined;

  constructor(s3: S3Client, bucket: string, options: S3BlobStoreOptions) {
    this.#s3 = s3;
    this.#bucket = bucket;
    this.#signingClock = options.signingClock;
    this.#kmsKeyArn = options.kmsKeyArn;
  }

  /**
   * `key` comes from `s3Key` (core/keys.ts); each segment is checked again here, before anything is written.
   * With a KMS key, the object is encrypted under `{ tenantId }` as its encryption context: S3 passes it to
   * KMS on this write and on every later read, so CloudTrail's Decrypt and GenerateDataKey events name the
   * tenant whose data it was.
   */
  async put(key: string, body: string, contentType: string, owner: BlobOwner): Promise<BlobPointer> {
    for (const segment of key.split("/")) keyPart(segment);
    keyPart(owner.tenantId);
    const bytes = Buffer.byteLength(body);
    const encryption =
      this.#kmsKeyArn === undefined
        ? {}
        : {
            ServerSideEncryption: "aws:kms" as const,
            SSEKMSKeyId: this.#kmsKeyArn,
            SSEKMSEncryptionContext: encryptionContext(owner.tenantId),
            // Per object, not per bucket: a bucket key would put the bucket's ARN in the context and hide
            // the tenant from CloudTrail.
            BucketKeyEnabled: false,
          };
    try {
      await this.#s3.send(
        new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: body, ContentType: contentType, ...encryption }),
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
   * ListObjectsV2 under the prefix, then DeleteObjects of each page (at most 1,000 keys). On a versioned bucket
   * each leaves a delete marker, and the lifecycle removes the noncurrent version within a day.
   */
  async removeUnder(prefix: string): Promise<number> {
    if (prefix.length === 0) throw new RangeError("S3BlobStore.removeUnder: an empty prefix would be the whole bucket");
    let removed = 0;
    let token: string | undefined;
    do {
      let keys: string[];
      try {
        const page = await this.#s3.send(
          new ListObjectsV2Command({
            Bucket: this.#bucket,
            Prefix: prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } catch (error) {
        throw dependencyFailure(`S3 ListObjectsV2 ${prefix}`, error);
      }
      if (keys.length === 0) continue;
      try {
        const out = await this.#s3.send(
          new DeleteObjectsCommand({
            Bucket: this.#bucket,
            Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const failed = out.Errors ?? [];
        if (failed.length > 0) {
          throw new Error(`${failed.length} of ${keys.length} objects not deleted (${failed[0]?.Code ?? "unknown"})`);
        }
      } catch (error) {
        throw dependencyFailure(`S3 DeleteObjects under ${prefix}`, error);
      }
      removed += keys.length;
    } while (token);
    return removed;
  }

  /**
   * A URL that GETs the object without credentials until `expiresAt` — or
   * sooner, when the signing credentials (a Lambda role's session) expire.
   * Signed here, no request made; the expiry is on S3's clock (see
   * `signingClock`). An SSE-KMS object needs no key header on GET, but the
   * signer's role must be allowed kms:Decrypt: S3 decrypts as the signer.
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
