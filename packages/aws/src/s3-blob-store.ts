import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { BlobPointer } from "@cvpipe/core/contracts/messages";
import { BlobNotFoundError, type BlobStore } from "@cvpipe/core/ports/blob-store";
import { dependencyFailure } from "./aws-errors.ts";

/** BlobStore over the payloads bucket. */
export class S3BlobStore implements BlobStore {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async put(key: string, body: string, contentType: string): Promise<BlobPointer> {
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
}
