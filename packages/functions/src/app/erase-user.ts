/**
 * The eraser: carries out the pending requests to delete a user's data (user-deletion.ts), one pass per
 * request per run (the `userDeletions` schedule, every minute; `cvpipe users erase` on the embedded stack).
 *
 * A pass removes what the user gave cvpipe until the request's instant R: their CVs with every version's
 * body, their jobs with the claim-checked requests and stored results, their feedback, and their raw
 * analytics events (already folded: the aggregates keep the counts, and nothing in them names a user).
 * Every step is idempotent and the record goes last, so a pass that crashed is simply run again by the
 * next run, which finishes it.
 *
 * Work of the user already in flight at R can still write after a pass: a tailor invocation that read no
 * suppression record before there was one, an analytics batch likewise (their reads of it are cached for
 * a few seconds). Such an invocation ends within its function's timeout, so the request is COMPLETED only
 * by a pass that starts `graceSeconds` after R and finds nothing of the user left to wait for — events the
 * fold has not finished are waited for, not cut out of it. Raw events stored until R + grace are in scope
 * (an event the user sent within those seconds loses its dedup record, never its count).
 */
import { messageGroupId } from "@cvpipe/core/contracts/message-envelope";
import type { UserEventStore } from "@cvpipe/core/ports/analytics-stores";
import type { BlobStore } from "@cvpipe/core/ports/blob-store";
import type { Clock } from "@cvpipe/core/ports/clock";
import type { CvStore } from "@cvpipe/core/ports/cv-store";
import {
  addCounts,
  type DeletionCounts,
  type DeletionRecord,
  type DeletionStore,
  NO_DELETIONS,
} from "@cvpipe/core/ports/deletion-store";
import type { FeedbackStore } from "@cvpipe/core/ports/feedback-store";
import type { JobStore } from "@cvpipe/core/ports/job-store";
import { retention } from "@cvpipe/core/topology";
import { expiresAt } from "@cvpipe/core/ttl";
import { cvBodyPrefix } from "./cv-body-keys.ts";
import { eraseJob } from "./erase-job.ts";

export interface EraseUserDeps {
  readonly deletions: DeletionStore;
  readonly jobs: JobStore;
  /** The payloads bucket: claim-checked requests and stored results. */
  readonly blobs: BlobStore;
  readonly cvs: CvStore;
  readonly cvBlobs: BlobStore;
  readonly feedback: FeedbackStore;
  readonly events: UserEventStore;
  readonly clock: Clock;
  /** Seconds after a request before a pass may complete it (`DELETION_GRACE_SECONDS`). */
  readonly graceSeconds: number;
  /** Requests taken per run. */
  readonly batchLimit: number;
}

export interface PassResult {
  readonly deletionId: string;
  readonly status: "RUNNING" | "COMPLETED";
  readonly removed: DeletionCounts;
  /** Raw events of the user the fold has not finished: the request waits for them. */
  readonly unfolded: number;
  readonly error?: string;
}

/** A failure as a pass records it: the error's name and message (adapters' messages name operations, not data). */
const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error).slice(0, 500);

/** One pass over one request; records it (also when a step failed: its removals so far, and the error). */
export const erasePass = async (deps: EraseUserDeps, request: DeletionRecord): Promise<PassResult> => {
  const startedAt = deps.clock.now();
  const { tenantId, requestedAt } = request;
  let removed = NO_DELETIONS;
  let unfolded = 0;
  let error: string | undefined;
  const add = (c: Partial<DeletionCounts>) => {
    removed = addCounts(removed, { ...NO_DELETIONS, ...c });
  };
  const userId = request.userId;
  const final = startedAt.getTime() >= Date.parse(requestedAt) + deps.graceSeconds * 1000;
  try {
    if (userId === undefined) throw new Error("the request holds no user id (a COMPLETED request read as pending)");
    // The suppression record first: the ingress writes it, but its write may have failed after the request's.
    await deps.deletions.suppress({
      tenantId,
      userId,
      requestedAt,
      deletionId: request.deletionId,
      expiresAt: expiresAt(new Date(requestedAt), retention.deletionTombstoneDays),
    });
    const owner = { tenantId, userId };

    for (const cv of await deps.cvs.listForErasure(owner)) {
      if (cv.createdAt > requestedAt) continue;
      // Marked first, so reads see it gone while its bodies go (any left by a writer that died too), then the record.
      await deps.cvs.markDeleted(owner, cv.cvId, startedAt.toISOString());
      // Every version's body is under the CV's prefix (cv-library.ts writes them there).
      const objects = await deps.cvBlobs.removeUnder(cvBodyPrefix(owner, cv.cvId));
      await deps.cvs.remove(owner, cv.cvId);
      add({ cvs: 1, cvVersions: cv.versions.length, objects });
    }

    for (const job of await deps.jobs.listForErasure(tenantId, userId)) {
      if (job.createdAt > requestedAt) continue;
      add({ jobs: 1, objects: await eraseJob(deps.jobs, deps.blobs, tenantId, job.jobId) });
    }

    for (const fb of await deps.feedback.listForErasure(tenantId, userId)) {
      if (fb.receivedAt > requestedAt) continue;
      await deps.feedback.remove(tenantId, fb.feedbackKey);
      add({ feedback: 1 });
    }

    const eventsUntil = new Date(Date.parse(requestedAt) + deps.graceSeconds * 1000).toISOString();
    for (const event of await deps.events.listForErasure(messageGroupId(tenantId, userId))) {
      if (event.tenantId !== tenantId || event.storedAt > eventsUntil) continue;
      if (event.folded && (await deps.events.removeFolded(tenantId, event.eventId))) {
        add({ events: 1 });
      } else if (final && event.storedAt <= requestedAt) {
        // Stored by R and not folded: every delivery of it from now on is dropped as suppressed (its receivedAt
        // is at most R), and those that read no suppression record ended within the grace. Nothing will fold
        // it any more, so waiting would be for ever; it goes (its count, if its apply went in, stays).
        await deps.events.remove(tenantId, event.eventId);
        add({ events: 1 });
      } else {
        unfolded++;
      }
    }
  } catch (caught) {
    error = describe(caught);
  }
  const status = final && error === undefined && unfolded === 0 ? "COMPLETED" : "RUNNING";
  await deps.deletions.recordPass(tenantId, request.deletionId, {
    status,
    at: deps.clock.now().toISOString(),
    removed,
    ...(error === undefined ? {} : { error }),
  });
  return { deletionId: request.deletionId, status, removed, unfolded, ...(error === undefined ? {} : { error }) };
};

/** One pass over each pending request, oldest first, up to `batchLimit` (the next run takes the rest). */
export const carryOutDeletions = async (deps: EraseUserDeps): Promise<PassResult[]> => {
  const results: PassResult[] = [];
  for (const request of await deps.deletions.listPending(deps.batchLimit)) {
    results.push(await erasePass(deps, request));
  }
  return results;
};
