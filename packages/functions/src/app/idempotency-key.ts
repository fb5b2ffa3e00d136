/**
 * The Idempotency-Key rule every keyed write follows (`POST /v1/jobs`, `POST /v1/cvs`,
 * `PUT /v1/cvs/{cvId}`): a key, when sent, matches `api.idempotencyKey`; a key already used by the
 * caller for a different request is refused, naming what the first request created.
 */
import { CvpipeError, InvalidIdempotencyKeyError } from "@cvpipe/core/errors";
import { api } from "@cvpipe/core/topology";

/** Throws InvalidIdempotencyKeyError (400) unless the key is absent or of the documented shape. */
export const checkIdempotencyKey = (key: string | undefined): void => {
  if (key !== undefined && !api.idempotencyKey.pattern.test(key)) {
    throw new InvalidIdempotencyKeyError(`must be ${api.idempotencyKey.rule}`);
  }
};

/** The error for a key reused with a different request; `details` names what the first request created. */
export const idempotencyKeyReused = (details: { readonly jobId: string } | { readonly cvId: string }): CvpipeError =>
  new CvpipeError("this Idempotency-Key was already used for a different request", {
    code: "IDEMPOTENCY_KEY_REUSED",
    details,
  });
