/** What the use cases' unit tests give every use case beside its stores and queues. */
import { type IdSecret, idSecret } from "@cvpipe/core/contracts/canonical-json";
import type { Clock } from "@cvpipe/core/ports/clock";

/** The secret the unit tests derive and seal ids with. */
export const TEST_ID_SECRET: IdSecret = idSecret("unit-test-id-secret-0123456789abcdef");

/**
 * A clock stopped at `now`, new ids `<idPrefix>01`, `<idPrefix>02`, … (a UUID with a 34-character
 * prefix), and the test id secret.
 */
export const fixedDeps = (now: Date, idPrefix: string): { clock: Clock; newId: () => string; idSecret: IdSecret } => {
  let n = 0;
  return {
    clock: { now: () => now },
    newId: () => `${idPrefix}${String(++n).padStart(2, "0")}`,
    idSecret: TEST_ID_SECRET,
  };
};
