/**
 * Tenant and user ids (the JWT's tenant claim and `sub`) become key parts —
 * S3 prefixes (`results/<tenant>/…`), DynamoDB keys, FIFO group ids
 * (`tenant#user`) — so they are short and plain, never contain `#` or `/`,
 * and are never dots only: `.` and `..` would normalise a path out of the
 * tenant's prefix.
 */
export const IDENTITY_VALUE = /^(?!\.+$)[A-Za-z0-9._:@|+=-]{1,128}$/;
export const IDENTITY_RULE = "1-128 characters: letters, digits and . _ : @ | + = -, not dots only";

/** Why `value` cannot be a tenant or user id, or undefined when it can. Never echoes the value. */
export const identityProblem = (value: unknown): string | undefined => {
  if (typeof value !== "string" || value === "") return "is missing";
  if (/^\.+$/.test(value)) return "is dots only";
  if (!IDENTITY_VALUE.test(value)) return `must be ${IDENTITY_RULE}`;
  return undefined;
};
