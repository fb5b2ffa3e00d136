/**
 * With a data key, every object is written SSE-KMS with that key and an
 * encryption context naming its tenant (what CloudTrail shows, and what the
 * key's grants require); without one — the local stack — no encryption
 * header is sent at all. Checked on the wire: a real S3Client whose last
 * middleware captures the signed request instead of sending it.
 */
import { type PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { UnsafeKeyError } from "@cvpipe/core/keys";
import { systemClock } from "@cvpipe/core/ports/clock";
import { rejects } from "@cvpipe/core/testing/rejects";
import { TENANT_ENCRYPTION_CONTEXT_KEY } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { S3BlobStore } from "./s3-blob-store.ts";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

interface HttpRequest {
  readonly headers: Record<string, string>;
}

/** An S3 client that answers every request itself; `requests` holds what would have been sent. */
const capturingS3 = () => {
  const requests: HttpRequest[] = [];
  const inputs: unknown[] = [];
  const s3 = new S3Client({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  });
  s3.middlewareStack.add(
    (_next, context) => async (args) => {
      if (context.commandName === "PutObjectCommand") inputs.push(args.input);
      requests.push(args.request as HttpRequest);
      return { output: { $metadata: {} }, response: {} };
    },
    { step: "finalizeRequest", priority: "low", name: "captureRequest" },
  );
  return { s3, requests, inputs };
};

const header = (request: HttpRequest, name: string): string | undefined => {
  const found = Object.entries(request.headers).find(([k]) => k.toLowerCase() === name);
  return found?.[1];
};

test("with a data key: SSE-KMS, the key, no bucket key, and the tenant as base64 JSON encryption context", async () => {
  const { s3, requests, inputs } = capturingS3();
  const store = new S3BlobStore(s3, "cvpipe-cvs", { signingClock: systemClock, kmsKeyArn: KEY_ARN });
  const pointer = await store.put("cvs/acme/u1/cv-1/v1-abc.json", '{"basics":{}}', "application/json", {
    tenantId: "acme",
  });
  assert.equal(pointer, { bucket: "cvpipe-cvs", key: "cvs/acme/u1/cv-1/v1-abc.json", bytes: 13 });

  const input = inputs[0] as PutObjectCommand["input"];
  assert.is(input.ServerSideEncryption, "aws:kms");
  assert.is(input.SSEKMSKeyId, KEY_ARN);
  assert.is(input.BucketKeyEnabled, false);
  const context = JSON.parse(Buffer.from(input.SSEKMSEncryptionContext ?? "", "base64").toString("utf8"));
  assert.equal(context, { [TENANT_ENCRYPTION_CONTEXT_KEY]: "acme" });

  // What S3 receives, signed: the headers it reads the context and key from.
  const [request] = requests;
  assert.ok(request);
  assert.is(header(request, "x-amz-server-side-encryption"), "aws:kms");
  assert.is(header(request, "x-amz-server-side-encryption-aws-kms-key-id"), KEY_ARN);
  assert.is(header(request, "x-amz-server-side-encryption-bucket-key-enabled"), "false");
  assert.is(header(request, "x-amz-server-side-encryption-context"), input.SSEKMSEncryptionContext);
  assert.equal(JSON.parse(Buffer.from(header(request, "x-amz-server-side-encryption-context")!, "base64").toString()), {
    tenantId: "acme",
  });
  assert.match(header(request, "authorization") ?? "", /x-amz-server-side-encryption-context/);
});

test("each object carries its own tenant, not the store's or another write's", async () => {
  const { s3, inputs } = capturingS3();
  const store = new S3BlobStore(s3, "cvpipe-payloads", { signingClock: systemClock, kmsKeyArn: KEY_ARN });
  await store.put("requests/acme/j1.json", "{}", "application/json", { tenantId: "acme" });
  await store.put("results/globex/j2/attempt-1.json", "{}", "application/json", { tenantId: "globex" });
  const tenants = (inputs as PutObjectCommand["input"][]).map(
    (i) => JSON.parse(Buffer.from(i.SSEKMSEncryptionContext!, "base64").toString()).tenantId,
  );
  assert.equal(tenants, ["acme", "globex"]);
});

test("without a data key (the local stack): no encryption header of any kind is sent", async () => {
  const { s3, requests, inputs } = capturingS3();
  const store = new S3BlobStore(s3, "cvpipe-payloads", { signingClock: systemClock });
  await store.put("requests/acme/j1.json", "{}", "application/json", { tenantId: "acme" });
  const input = inputs[0] as Record<string, unknown>;
  for (const field of ["ServerSideEncryption", "SSEKMSKeyId", "SSEKMSEncryptionContext", "BucketKeyEnabled"]) {
    assert.not.ok(field in input, field);
  }
  const names = Object.keys(requests[0]!.headers).map((k) => k.toLowerCase());
  assert.equal(
    names.filter((n) => n.startsWith("x-amz-server-side-encryption")),
    [],
  );
});

test("a tenant that is not a valid key part is refused before anything is written", async () => {
  const { s3, requests } = capturingS3();
  const store = new S3BlobStore(s3, "cvpipe-payloads", { signingClock: systemClock, kmsKeyArn: KEY_ARN });
  const error = await rejects(() => store.put("requests/acme/j1.json", "{}", "application/json", { tenantId: "a/b" }));
  assert.instance(error, UnsafeKeyError);
  assert.is(requests.length, 0);
});

test.run();
