/**
 * The two ways a send can fail, as far as the reporter is concerned. A mail
 * API without idempotency keys makes the difference the whole question: after
 * a definite rejection another attempt is safe; after anything else the email
 * may be in the recipients' inboxes already.
 */
import { CvpipeError } from "../errors.ts";

/**
 * The provider answered and did not accept the message (a 4xx such as
 * MessageRejected or Throttling, or the request never left the process).
 * Nothing was sent; `retryable` says whether trying again can help (a
 * throttle: DEPENDENCY_UNAVAILABLE) or not (a permanent refusal:
 * DEPENDENCY_REJECTED).
 */
export class MailRejectedError extends CvpipeError {
  constructor(message: string, options: { readonly retryable: boolean; readonly cause?: unknown }) {
    super(message, {
      code: options.retryable ? "DEPENDENCY_UNAVAILABLE" : "DEPENDENCY_REJECTED",
      retryable: options.retryable,
      cause: options.cause,
    });
    this.name = "MailRejectedError";
  }
}

/**
 * The outcome is unknown: a timeout, a reset connection, a 5xx, an answer
 * without a message id. The provider may have accepted the message. Mailers
 * should throw this; the reporter treats every error that is not a
 * {@link MailRejectedError} the same way. Not retryable: another attempt
 * could send a second email.
 */
export class MailOutcomeUnknownError extends CvpipeError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: "DEPENDENCY_OUTCOME_UNKNOWN", retryable: false, cause });
    this.name = "MailOutcomeUnknownError";
  }
}
