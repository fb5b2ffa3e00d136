/**
 * The judgements real AWS makes that no emulator here reproduces: S3 answers
 * 403 to a GetBucketTagging on another account's bucket (moto answers anyone).
 * A client whose `send` answers as S3 does stands in for S3.
 */
import { S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BucketTakenError, bucketTags } from "./resource-guard.ts";

const s3Answering = (error: S3ServiceException | undefined, tagSet: { Key: string; Value: string }[] = []) => {
  const client = new S3Client({ region: "us-east-1", credentials: { accessKeyId: "k", secretAccessKey: "s" } });
  client.send = (async () => {
    if (error) throw error;
    return { TagSet: tagSet };
  }) as typeof client.send;
  return client;
};

const s3Error = (name: string, status: number): S3ServiceException =>
  new S3ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: status }, message: name });

test("a 403 on another account's bucket is BucketTakenError naming the bucket and what to change", async () => {
  const refused = await bucketTags(s3Answering(s3Error("AccessDenied", 403)), "cvpipe-payloads-dev").then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.instance(refused, BucketTakenError);
  assert.match(
    (refused as Error).message,
    /bucket cvpipe-payloads-dev exists in another AWS account.*CVPIPE_LOCAL_STAGE/,
  );
});

test("no such bucket: undefined; a bucket without tags: none; tags as a map; other errors are the caller's", async () => {
  assert.is(await bucketTags(s3Answering(s3Error("NoSuchBucket", 404)), "b"), undefined);
  assert.equal(await bucketTags(s3Answering(s3Error("NoSuchTagSet", 404)), "b"), {});
  assert.equal(await bucketTags(s3Answering(undefined, [{ Key: "cvpipe:embedded-stack", Value: "alice" }]), "b"), {
    "cvpipe:embedded-stack": "alice",
  });
  const other = await bucketTags(s3Answering(s3Error("SlowDown", 503)), "b").then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.instance(other, S3ServiceException);
  assert.not.instance(other, BucketTakenError);
});

test.run();
