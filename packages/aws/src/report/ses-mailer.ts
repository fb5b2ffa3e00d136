import { type SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { CvpipeError, DependencyError } from "@cvpipe/core/errors";
import type { Mailer, OutgoingEmail } from "@cvpipe/core/report/ports";

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

/** Mailer over SES v1 `SendEmail`: one multipart/alternative message (text + HTML), UTF-8. */
export class SesMailer implements Mailer {
  readonly #ses: SESClient;
  readonly #configurationSet: string | undefined;

  constructor(ses: SESClient, options: { readonly configurationSetName?: string } = {}) {
    this.#ses = ses;
    this.#configurationSet = options.configurationSetName;
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
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
      if (!out.MessageId) throw new Error("SES accepted the message but returned no MessageId");
      return { messageId: out.MessageId };
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      const message = `SES SendEmail failed: ${name}: ${error instanceof Error ? error.message : String(error)}`;
      if (PERMANENT.has(name)) {
        throw new CvpipeError(message, { code: "DEPENDENCY_UNAVAILABLE", retryable: false, cause: error });
      }
      throw new DependencyError(message, error);
    }
  }
}
