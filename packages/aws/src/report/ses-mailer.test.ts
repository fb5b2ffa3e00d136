/**
 * Which SES failures are definite rejections (nothing sent: the week may be
 * retried) and which leave the outcome unknown (the email may be out).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sesRejected } from "./ses-mailer.ts";

const sdkError = (name: string, status?: number, attempts = 1, code?: string) =>
  Object.assign(new Error(`${name} from the test`), {
    name,
    ...(code ? { code } : {}),
    $metadata: { attempts, ...(status === undefined ? {} : { httpStatusCode: status }) },
  });

test("SES answered with a 4xx: rejected; retryable unless only a change of configuration helps", () => {
  assert.equal(sesRejected(sdkError("MessageRejected", 400)), { rejected: true, retryable: false });
  assert.equal(sesRejected(sdkError("MailFromDomainNotVerifiedException", 400)), { rejected: true, retryable: false });
  assert.equal(sesRejected(sdkError("ConfigurationSetDoesNotExistException", 400)), {
    rejected: true,
    retryable: false,
  });
  assert.equal(sesRejected(sdkError("AccountSendingPausedException", 400)), { rejected: true, retryable: false });
  assert.equal(sesRejected(sdkError("InvalidParameterValue", 400)), { rejected: true, retryable: false });
  assert.equal(sesRejected(sdkError("Throttling", 400)), { rejected: true, retryable: true });
  assert.equal(sesRejected(sdkError("ExpiredToken", 403)), { rejected: true, retryable: true });
});

test("the request never left: rejected (nothing can have reached SES)", () => {
  assert.ok(sesRejected(sdkError("CredentialsProviderError")).rejected);
  assert.ok(sesRejected(sdkError("Error", undefined, 1, "ECONNREFUSED")).rejected);
  assert.ok(sesRejected(sdkError("Error", undefined, 1, "ENOTFOUND")).rejected);
});

test("timeouts, resets, 5xx, unknown errors and retried requests: outcome unknown", () => {
  for (const error of [
    sdkError("TimeoutError"),
    sdkError("Error", undefined, 1, "ECONNRESET"),
    sdkError("Error", undefined, 1, "EPIPE"),
    sdkError("InternalFailure", 500),
    sdkError("ServiceUnavailable", 503),
    // A 4xx after a retry: the first attempt may have been accepted.
    sdkError("Throttling", 400, 2),
    new Error("something else"),
    "not even an Error",
    undefined,
  ]) {
    assert.is(sesRejected(error).rejected, false, String(error));
  }
});

test.run();
