/**
 * A SUCCEEDED job whose stored result object is gone (the payload bucket's
 * lifecycle, or a hand deletion) is answered as a job that has expired: one
 * NotFoundError (404), not the store's BlobNotFoundError (a 500).
 */
import { NotFoundError } from "@cvpipe/core/errors";
import { queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import { MemoryBlobs } from "@cvpipe/core/testing/memory-ports";
import { rejects } from "@cvpipe/core/testing/rejects";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { errorResponse } from "../http/api-response.ts";
import { jobDetail, jobView } from "./job-view.ts";

const succeeded = queuedJob("0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d01", {
  status: "SUCCEEDED",
  resultBlob: { bucket: "payloads", key: "results/0b6c6f2e.json", bytes: 1_234 },
});
const deps = {
  blobs: new MemoryBlobs(),
  links: { presignedGetUrl: async () => ({ url: "https://s3.example.com/r", expiresAt: new Date() }) },
  maxResponseBytes: 5_000_000,
  resultLinkTtlSeconds: 900,
};

test("a job whose result object is missing is not found (404), not an internal error", async () => {
  const error = await rejects(() => jobDetail(deps, succeeded, () => true));
  assert.instance(error, NotFoundError);
  assert.is(errorResponse(error).statusCode, 404);
});

test("the listing's form never reads the result, so a missing object does not matter there", async () => {
  const view = await jobView(succeeded, deps.blobs, { result: false });
  assert.is(view.status, "SUCCEEDED");
  assert.is(view.result, undefined);
});

test.run();
