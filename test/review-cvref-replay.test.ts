/**
 * Adversarial review of tailoring by reference (d23ec42), on the use case with memory ports: a job
 * submitted by `cvRef` (no version) whose first send failed is re-sent by its Idempotency-Key retry;
 * the retry resolves the reference again, so after a new version the message carries the new
 * version's CV while the job records (and GET shows) the version it was given. One must match the other.
 */
import { idSecret } from "@cvpipe/core/contracts/canonical-json";
import { TailoringJobMessage } from "@cvpipe/core/contracts/tailoring-job-message";
import { MemoryCvStore } from "@cvpipe/core/cvs/testing/memory-cv-store";
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import type { CvVersion } from "@cvpipe/core/ports/cv-store";
import { fixture } from "@cvpipe/core/testing/fixtures";
import { MemoryBlobs, Outbox } from "@cvpipe/core/testing/memory-ports";
import { type SubmitJobDeps, submitJob } from "@cvpipe/functions/app/submit-job";
import { test } from "uvu";
import * as assert from "uvu/assert";

const NOW = new Date("2026-11-18T10:00:00Z");
const alice = { tenantId: "acme", userId: "alice" };
const CV_ID = "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e";

test("an Idempotency-Key retry of a cvRef job re-sends the version the job records, not a later one", async () => {
  const sample = fixture("http/post-job.valid.json") as { cv: Record<string, any>; job: Record<string, unknown> };
  const cvs = new MemoryCvStore();
  const cvBlobs = new MemoryBlobs();
  const jobs = new MemoryJobStore({ clock: { now: () => NOW } });
  const queue = new Outbox();
  const version = async (n: number, label: string): Promise<CvVersion> => ({
    version: n,
    createdAt: NOW.toISOString(),
    format: "json-resume",
    bytes: 1,
    blob: await cvBlobs.put(
      `cvs/acme/u/${CV_ID}/v${n}.json`,
      JSON.stringify({ ...sample.cv, basics: { ...sample.cv.basics, label } }),
    ),
    requestHash: `h${n}`,
  });
  await cvs.create({
    ...alice,
    cvId: CV_ID,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    versions: [await version(1, "Version one")],
  });
  const deps: SubmitJobDeps = {
    jobs,
    queue,
    blobs: new MemoryBlobs(),
    clock: { now: () => NOW },
    newId: () => "unused",
    idSecret: idSecret("unit-test-id-secret-0123456789abcdef"),
    defaultEngine: "local",
    jobTtlDays: 30,
    cvs,
    cvBlobs,
  };
  const body = { cvRef: { cvId: CV_ID }, job: sample.job };

  // The first attempt records the job (version 1) and its send fails: with a key the job stays QUEUED.
  queue.failNextSend = 1;
  await submitJob(deps, alice, body, "retry-key").then(
    () => assert.unreachable("the first send was to fail"),
    () => {},
  );
  // The producer adds version 2, then retries the first request as the key invites.
  assert.ok(await cvs.addVersion(alice, CV_ID, await version(2, "Version two"), 1));
  const retry = await submitJob(deps, alice, body, "retry-key");
  assert.is(retry.created, false);

  const record = await jobs.get("acme", retry.jobId);
  assert.equal(record?.cvRef, { cvId: CV_ID, version: 1 }, "the job records version 1");
  const sent = TailoringJobMessage.parse(JSON.parse(queue.sent.at(-1)!.body));
  const cv = "inline" in sent.input ? (sent.input.inline.cv as Record<string, any>) : undefined;
  assert.is(cv?.basics?.label, "Version one", "the re-sent message must carry the recorded version's CV");
});

test.run();
