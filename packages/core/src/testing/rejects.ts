import * as assert from "uvu/assert";

/** Asserts that `run` rejects (uvu has no async `throws`). */
export const rejects = async (run: () => Promise<unknown>): Promise<void> => {
  try {
    await run();
  } catch {
    return;
  }
  assert.unreachable("expected a rejection");
};
