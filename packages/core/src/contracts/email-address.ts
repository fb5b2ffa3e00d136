/**
 * Whether a whole value is one e-mail address (a configured sender or
 * recipient, an SES identity): the one rule the CDK app's synth and the
 * functions' cold start both check, so an address one accepts the other
 * never refuses. RFC 5321/5322's common form — a dot-atom local part, a
 * host name — without quoted local parts, address literals or comments,
 * which no mail setup here needs. (Finding addresses in free text is
 * another job: resume/find-email.ts.)
 */

const LOCAL_MAX = 64;
const ADDRESS_MAX = 254;
const DOMAIN_MAX = 253;
const LABEL_MAX = 63;

/** RFC 5322 `atext`: letters, digits and ``!#$%&'*+/=?^_`{|}~-``. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
/** A host name label: letters, digits and hyphens, neither first nor last a hyphen. */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
/** A top-level label: letters, or an IDN's A-label (`xn--…`). */
const TOP_LABEL = /^(?:[A-Za-z]{2,}|xn--[A-Za-z0-9-]*[A-Za-z0-9])$/;

/** A host name of two labels or more (`example.com`, `mail.example.co.uk`): the domain of an address or an SES identity. */
export const isDomainName = (value: string): boolean => {
  if (value.length === 0 || value.length > DOMAIN_MAX) return false;
  const labels = value.split(".");
  if (labels.length < 2) return false;
  const top = labels[labels.length - 1] ?? "";
  return labels.every((l) => l.length <= LABEL_MAX && LABEL.test(l)) && TOP_LABEL.test(top);
};

/** `local@domain`: a dot-atom local part (no leading, trailing or doubled dot) of at most 64 characters, and a domain name. */
export const isEmailAddress = (value: string): boolean => {
  if (value.length > ADDRESS_MAX) return false;
  const at = value.indexOf("@");
  if (at <= 0 || at !== value.lastIndexOf("@")) return false;
  const local = value.slice(0, at);
  if (local.length > LOCAL_MAX || !local.split(".").every((part) => ATEXT.test(part))) return false;
  return isDomainName(value.slice(at + 1));
};
