/** A DynamoJobStore on its own dynalite (a real DynamoDB protocol server), for tests of the use cases against it. */
import { createTables, type DynamoEmulator, startDynalite } from "@cvpipe/aws/analytics/testing/emulators";
import { DynamoJobStore } from "@cvpipe/aws/dynamo-job-store";
import type { Clock } from "@cvpipe/core/ports/clock";
import { jobIndexes, tables } from "@cvpipe/core/topology";

export const startJobStore = async (clock: Clock): Promise<{ db: DynamoEmulator; jobs: DynamoJobStore }> => {
  const db = await startDynalite();
  await createTables(db.client, ["jobs"]);
  return { db, jobs: new DynamoJobStore(db.documentClient, tables.jobs.name, { clock, indexes: jobIndexes }) };
};
