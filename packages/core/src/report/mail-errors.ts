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
 * Nothing was sent; `retryable` says whether trying again can help.
 */
export class MailRejectedError extends CvpipeError {
  constructor(message: string, options: { readonly retryable: boolean; readonly cause?: unknown }) {
    super(message, { code: "DEPENDENCY_UNAVAILABLE", retryable: options.retryable, cause: options.cause });
    this.name = "MailRejectedError";
  }
}

/**
 * The outcome is unknown: a timeout, a reset connection, a 5xx, an answer
 * without a message id. The provider may have accepted the message. Mailers
 * should throw this; the reporter treats every error that is not a
 * {@link MailRejectedError} the same way.
 */
export class MailOutcomeUnknownError extends CvpipeError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: "DEPENDENCY_UNAVAILABLE", retryable: false, cause });
    this.name = "MailOutcomeUnknownError";
  }
}
