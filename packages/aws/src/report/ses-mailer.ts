import { type SESClient, SendEmailCommand, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import type { Mailer, OutgoingEmail } from "@cvpipe/core/ports/mailer";
import { MailOutcomeUnknownError, MailRejectedError } from "@cvpipe/core/report/mail-errors";

/** SES rejections that no retry fixes: the sender or configuration must change first. */
const PERMANENT = new Set([
  "MessageRejected",
  "MailFromDomainNotVerifiedException",
  "ConfigurationSetDoesNotExistException",
  "ConfigurationSetSendingPausedException",
  "AccountSendingPausedException",
  "InvalidParameterValue",
  "ValidationError",
]);

/** Failures before the request left this process: nothing can have reached SES. */
const NEVER_SENT = new Set(["CredentialsProviderError"]);
/** Socket errors raised while connecting, before a byte of the request was written. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** What the SDK attaches to its errors (ServiceException and the retry middleware), and Node's socket code. */
interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

/**
 * Did SES definitely not accept the message? Only when it answered a single
 * request with a 4xx (MessageRejected, Throttling, a validation or
 * configuration error: SES processed nothing), or when the request never left
 * the process (no credentials, connection refused, no DNS). Everything else — a timeout, a reset connection, a 5xx, a 2xx
 * without a MessageId, a request that was retried (an earlier attempt may
 * have been accepted; the client makes one attempt for this reason, see
 * clients.ts) — may have sent the email.
 */
export const sesRejected = (error: unknown): { readonly rejected: boolean; readonly retryable: boolean } => {
  const e = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const name = e.name ?? "Error";
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts ?? 1;
  const answered4xx = status !== undefined && status >= 400 && status < 500;
  const neverSent = NEVER_SENT.has(name) || NOT_CONNECTED.has(e.code ?? "");
  return { rejected: attempts <= 1 && (answered4xx || neverSent), retryable: !PERMANENT.has(name) };
};

/** Mailer over SES v1 `SendEmail`: one multipart/alternative message (text + HTML), UTF-8. */
export class SesMailer implements Mailer {
  readonly #ses: SESClient;
  readonly #configurationSet: string | undefined;

  constructor(ses: SESClient, options: { readonly configurationSetName?: string } = {}) {
    this.#ses = ses;
    this.#configurationSet = options.configurationSetName;
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    let messageId: string | undefined;
    try {
      const out = await this.#ses.send(
        new SendEmailCommand({
          Source: email.from,
          Destination: { ToAddresses: [...email.to] },
          Message: {
            Subject: { Data: email.subject, Charset: "UTF-8" },
            Body: { Text: { Data: email.text, Charset: "UTF-8" }, Html: { Data: email.html, Charset: "UTF-8" } },
          },
          ...(this.#configurationSet ? { ConfigurationSetName: this.#configurationSet } : {}),
        }),
      );
      messageId = out.MessageId;
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      const detail = `${name}: ${error instanceof Error ? error.message : String(error)}`;
      const verdict = sesRejected(error);
      if (verdict.rejected) {
        throw new MailRejectedError(`SES SendEmail rejected: ${detail}`, {
          retryable: verdict.retryable,
          cause: error,
        });
      }
      throw new MailOutcomeUnknownError(`SES SendEmail outcome unknown: ${detail}`, error);
    }
    if (!messageId) throw new MailOutcomeUnknownError("SES SendEmail outcome unknown: accepted without a MessageId");
    return { messageId };
  }
}

/**
 * Makes `sender` a verified identity (SES v1 `VerifyEmailIdentity`; idempotent): what the CDK stack's
 * EmailIdentity is on AWS, for an SES emulator the user runs (moto, LocalStack), which refuses
 * SendEmail from an unverified address as SES does. Never call it against real SES: there it emails
 * the address a confirmation link.
 */
export const verifySenderIdentity = async (ses: SESClient, sender: string): Promise<void> => {
  await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: sender }));
};
