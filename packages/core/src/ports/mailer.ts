/** The weekly report's way out (SES on AWS and in the embedded stack). */
export interface OutgoingEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface Mailer {
  /**
   * Resolves with the provider's message id once the provider accepted the message.
   * Throws MailRejectedError (mail-errors.ts) when the provider definitely did not accept
   * it; any other error means the outcome is unknown.
   */
  send(email: OutgoingEmail): Promise<{ readonly messageId: string }>;
}
