import * as assert from "uvu/assert";

/** Asserts that `run` rejects (uvu has no async `throws`) and returns what it rejected with. */
export const rejects = async (run: () => Promise<unknown>): Promise<unknown> => {
  try {
    await run();
  } catch (error) {
    return error;
  }
  assert.unreachable("expected a rejection");
  return undefined;
};
