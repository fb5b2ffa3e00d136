/**
 * Deleting a user's data on request (`DELETE /v1/users/{userId}/data`) and following it
 * (`GET /v1/deletions/{deletionId}`).
 *
 * The request is recorded (PENDING) and the user's suppression record written at once, so from this
 * instant the tailor drops their queued jobs instead of tailoring them and the analytics worker drops their
 * events instead of storing them; the eraser (erase-user.ts) then removes the data, asynchronously, in
 * passes, until one after the grace period finds nothing left. Data the user gives cvpipe later is new
 * and stays.
 */
import { derivedId, type IdSecret } from "@cvpipe/core/contracts/canonical-json";
import { identityProblem } from "@cvpipe/core/contracts/identity";
import { CvpipeError, InvalidInputError, NotFoundError } from "@cvpipe/core/errors";
import type { Caller } from "@cvpipe/core/jobs/caller";
import type { Clock } from "@cvpipe/core/ports/clock";
import { type DeletionRecord, type DeletionStore, NO_DELETIONS } from "@cvpipe/core/ports/deletion-store";
import { api, retention } from "@cvpipe/core/topology";
import { expiresAt } from "@cvpipe/core/ttl";

export interface UserDeletionDeps {
  readonly deletions: DeletionStore;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Keys the user reference a finished request keeps instead of the user id. */
  readonly idSecret: IdSecret;
}

const DELETION_ID = /^del_[0-9a-f]{32}$/;

/** Who may read a request once it no longer holds the user id: a keyed hash of tenant and user. */
export const userRefOf = (secret: IdSecret, tenantId: string, userId: string): string =>
  derivedId(secret, "deleted-user", tenantId, userId);

/** The role that lets a caller act on another user of the tenant, or undefined. */
const tenantRole = (roles: readonly string[]): "analyst" | "admin" | undefined => {
  if (roles.includes(api.adminRole)) return "admin";
  if (roles.includes(api.analystRole)) return "analyst";
  return undefined;
};

export interface DeletionAccepted {
  readonly deletionId: string;
  readonly status: DeletionRecord["status"];
  readonly requestedAt: string;
}

/** `DELETE /v1/users/{userId}/data`: the caller's own user, or any of the tenant's for its analysts and admins. */
export const requestUserDeletion = async (
  deps: UserDeletionDeps,
  caller: Caller,
  roles: readonly string[],
  userId: string,
): Promise<DeletionAccepted> => {
  const problem = identityProblem(userId);
  if (problem) throw new InvalidInputError([{ input: "userId", rule: "format", message: problem }]);
  const role = tenantRole(roles);
  if (userId !== caller.userId && role === undefined) {
    throw new CvpipeError(
      `deleting another user's data needs the "${api.analystRole}" or "${api.adminRole}" role (claim ${api.roleClaim})`,
      { code: "FORBIDDEN" },
    );
  }
  // Every request is a request of its own, covering the data given until its instant: answering a repeat with
  // an earlier one still running would leave what the user gave in between.
  const now = deps.clock.now();
  const requestedAt = now.toISOString();
  const record: DeletionRecord = {
    tenantId: caller.tenantId,
    deletionId: `del_${deps.newId().replaceAll("-", "")}`,
    status: "PENDING",
    requestedAt,
    userId,
    userRef: userRefOf(deps.idSecret, caller.tenantId, userId),
    requestedBy: userId === caller.userId ? "user" : (role ?? "user"),
    passes: 0,
    removed: NO_DELETIONS,
    expiresAt: expiresAt(now, retention.deletionRecordDays),
  };
  await deps.deletions.create(record);
  // Should this write fail (a 503), the eraser writes it on its first pass; the caller's retry makes a second
  // request, which does no harm.
  await deps.deletions.suppress({
    tenantId: caller.tenantId,
    userId,
    requestedAt,
    deletionId: record.deletionId,
    expiresAt: expiresAt(now, retention.deletionTombstoneDays),
  });
  return { deletionId: record.deletionId, status: record.status, requestedAt };
};

/** What `GET /v1/deletions/{deletionId}` shows: never the user id (the caller knows whose it is). */
export const deletionView = (record: DeletionRecord) => ({
  deletionId: record.deletionId,
  status: record.status,
  requestedAt: record.requestedAt,
  requestedBy: record.requestedBy,
  passes: record.passes,
  ...(record.lastPassAt ? { lastPassAt: record.lastPassAt } : {}),
  ...(record.completedAt ? { completedAt: record.completedAt } : {}),
  ...(record.lastError ? { lastError: record.lastError } : {}),
  removed: { ...record.removed },
});

/** `GET /v1/deletions/{deletionId}`: the subject user's, or any of the tenant's for its analysts and admins. */
export const getUserDeletion = async (
  deps: Pick<UserDeletionDeps, "deletions" | "idSecret">,
  caller: Caller,
  roles: readonly string[],
  deletionId: string,
) => {
  const missing = new NotFoundError("no such deletion");
  if (!DELETION_ID.test(deletionId)) throw missing;
  const record = await deps.deletions.get(caller.tenantId, deletionId);
  if (!record) throw missing;
  const own = record.userRef === userRefOf(deps.idSecret, caller.tenantId, caller.userId);
  if (!own && tenantRole(roles) === undefined) throw missing;
  return deletionView(record);
};
