/**
 * Addresses on which the CDK app's synth (core's finder) and the reporter's
 * cold start (zod's z.email()) used to disagree, and their neighbours: the
 * cases each config's tests run through isEmailAddress's one rule.
 */
export const EMAIL_ACCEPTED = [
  "a@example.com",
  "o'brien@example.com",
  "first.last+tag@sub.example.co.uk",
  "x_y%z@example.io",
  "ops-team@xn--bcher-kva.xn--p1ai",
  `${"a".repeat(64)}@example.com`,
] as const;

export const EMAIL_REFUSED = [
  "a.@example.com",
  "a..b@example.com",
  ".a@example.com",
  "a@-example.com",
  "a@example-.com",
  "a@example..com",
  "a@example",
  "a@example.c",
  "a@example.123",
  "a b@example.com",
  "a@b@example.com",
  "@example.com",
  "a@",
  `${"a".repeat(65)}@example.com`,
  `a@${"b".repeat(64)}.com`,
  `a@${"b.".repeat(125)}com`,
] as const;
