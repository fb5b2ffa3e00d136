import { TailoringFeedbackEvent } from "@cvpipe/core/contracts/analytics-event";
import {
  CvpipeError,
  DependencyError,
  InvalidInputError,
  KeyCollisionError,
  NotFoundError,
  ValidationError,
} from "@cvpipe/core/errors";
import { MemoryFeedbackStore } from "@cvpipe/core/feedback/testing/memory-feedback-store";
import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
import { queuedJob } from "@cvpipe/core/jobs/testing/sample-job";
import type { TailoringResult } from "@cvpipe/core/tailoring/types";
import { MemoryBlobs, Outbox } from "@cvpipe/core/testing/memory-ports";
import { rejects } from "@cvpipe/core/testing/rejects";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { errorResponse } from "../http/api-response.ts";
import { fixedDeps } from "../testing/app-deps.ts";
import { type FeedbackDeps, listFeedback, submitFeedback } from "./feedback.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const alice = { tenantId: "acme", userId: "alice" };
const JOB = "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e";

const setup = (status: "SUCCEEDED" | "QUEUED" = "SUCCEEDED") => {
  const jobs = new MemoryJobStore({ clock: { now: () => NOW } });
  const result = { resume: { work: [{ highlights: ["Built the billing service"] }] } } as unknown as TailoringResult;
  jobs.put(queuedJob(JOB, status === "SUCCEEDED" ? { status, result, finishedAt: NOW.toISOString() } : {}));
  const feedback = new MemoryFeedbackStore({ clock: { now: () => NOW } });
  const queue = new Outbox();
  const deps: FeedbackDeps = {
    jobs,
    blobs: new MemoryBlobs(),
    feedback,
    queue,
    ...fixedDeps(NOW, "1b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d"),
  };
  return { deps, feedback, queue };
};

test("a rating is stored, then one tailoring.feedback event goes to the analytics queue in the user's group", async () => {
  const { deps, feedback, queue } = setup();
  const stored = await submitFeedback(deps, alice, JOB, { rating: 5, helpful: ["work[0].highlights[0]"] });
  assert.is(stored.rating, 5);
  assert.is(feedback.records.size, 1);
  const [record] = feedback.records.values();
  assert.match(record!.feedbackKey, new RegExp(`^${JOB}#2026-11-18T10:00:00.000Z#1b6c6f2e$`));
  assert.is(queue.log.length, 1);
  assert.is(queue.log[0]!.queue, "analyticsEvents");
  assert.is(queue.log[0]!.message.groupId, "acme#alice");
  const event = TailoringFeedbackEvent.parse(JSON.parse(queue.log[0]!.message.body).event);
  assert.is(event.rating, 5);
  assert.is(queue.log[0]!.message.deduplicationId, event.eventId);
});

test("nothing half-written: when the event cannot be sent the record is taken back and the error reaches the caller", async () => {
  const { deps, feedback, queue } = setup();
  queue.failNextSend = 1;
  const error = await rejects(() => submitFeedback(deps, alice, JOB, { rating: 3 }));
  assert.instance(error, DependencyError);
  assert.is(feedback.records.size, 0);
});

test("a second rating in the same instant with the same key prefix is a 503 DEPENDENCY_UNAVAILABLE: send it again", async () => {
  const { deps, feedback, queue } = setup();
  const sameId = { ...deps, newId: () => "1b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d01" };
  await submitFeedback(sameId, alice, JOB, { rating: 4 });
  const error = await rejects(() => submitFeedback(sameId, alice, JOB, { rating: 2 }));
  assert.instance(error, KeyCollisionError);
  assert.instance(error, DependencyError);
  assert.is((error as DependencyError).code, "DEPENDENCY_UNAVAILABLE");
  assert.ok((error as DependencyError).retryable);
  const response = errorResponse(error);
  assert.is(response.statusCode, 503);
  assert.equal(JSON.parse(String(response.body)), {
    success: false,
    code: "DEPENDENCY_UNAVAILABLE",
    error: "a dependency is unavailable; retry with the same Idempotency-Key",
  });
  assert.is(feedback.records.size, 1, "the first rating stays, once");
  assert.is(queue.log.length, 1, "no event for the refused one");
});

test("refusals: someone else's job, an unfinished job, a path naming no text", async () => {
  const { deps, feedback } = setup();
  assert.instance(
    await rejects(() => submitFeedback(deps, { tenantId: "acme", userId: "bob" }, JOB, { rating: 3 })),
    NotFoundError,
  );
  const missing = await rejects(() =>
    submitFeedback(deps, alice, JOB, { rating: 3, helpful: ["work[1].highlights[0]"] }),
  );
  assert.instance(missing, ValidationError);
  assert.is((missing as ValidationError).issues[0]!.path, "body.helpful[0]");
  const queued = setup("QUEUED");
  const early = await rejects(() => submitFeedback(queued.deps, alice, JOB, { rating: 3 }));
  assert.is((early as ValidationError).issues[0]!.rule, "status");
  assert.is(feedback.records.size, 0);
});

test("listing needs the analyst role; it returns the tenant's feedback since a time", async () => {
  const { deps } = setup();
  await submitFeedback(deps, alice, JOB, { rating: 4, comment: "good" });
  const refused = await rejects(() => listFeedback(deps, alice, ["viewer"], {}));
  assert.instance(refused, CvpipeError);
  assert.is((refused as CvpipeError).code, "FORBIDDEN");
  const page = await listFeedback(deps, alice, ["analyst"], { since: "2026-11-18T00:00:00Z" });
  assert.equal(
    page.items.map((f) => [f.rating, f.comment]),
    [[4, "good"]],
  );
  assert.equal((await listFeedback(deps, alice, ["analyst"], { since: "2026-11-19T00:00:00Z" })).items, []);
  const bad = await rejects(() => listFeedback(deps, alice, ["analyst"], { since: "yesterday" }));
  assert.instance(bad, InvalidInputError);
  assert.is((bad as InvalidInputError).issues[0]!.input, "since");
});

test.run();
