/**
 * Eraser λ: fired by EventBridge every minute (topology `schedules.userDeletions`). One pass over each
 * pending request to delete a user's data (erase-user.ts); a request stays pending until a pass after its
 * grace period finds nothing of the user left, so a pass that failed or was cut short is simply run again.
 */
import middy from "@middy/core";
import { carryOutDeletions, type EraseUserDeps } from "./app/erase-user.ts";
import { eraserDeps } from "./composition/eraser.ts";
import { createLogger, withLambdaContext } from "./logger.ts";
import { createMetrics, withMetrics } from "./metrics.ts";

const logger = createLogger("eraser");
const metrics = createMetrics();
let deps: EraseUserDeps | undefined;

const erase = async function erase(): Promise<{ examined: number; completed: number; failed: number }> {
  deps ??= eraserDeps(process.env);
  const results = await carryOutDeletions(deps);
  for (const r of results) {
    // Counts and ids only: never the user id.
    const fields = { deletionId: r.deletionId, status: r.status, removed: r.removed, unfolded: r.unfolded };
    if (r.error) logger.error("deletion pass failed; the next run passes again", { ...fields, error: r.error });
    else logger.info("deletion pass", fields);
  }
  return {
    examined: results.length,
    completed: results.filter((r) => r.status === "COMPLETED").length,
    failed: results.filter((r) => r.error !== undefined).length,
  };
};

export const handler = withMetrics(withLambdaContext(middy(erase), logger), metrics);
