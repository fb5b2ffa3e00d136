/** Sample data for tests under test/: see packages/core/src/testing/fixtures.ts. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { eventsDir } from "@cvpipe/core/testing/fixtures";

export { eventsDir, fixture, repoRoot, sharedDir, sharedFixture, sharedText } from "@cvpipe/core/testing/fixtures";
export { sqsEvent, sqsRecord } from "@cvpipe/core/testing/sqs-record";

/** The JSON fixtures of one `events/` folder, as `fixture()` paths ("http/post-job.valid.json", …), sorted. */
export const fixturePaths = (folder: string): string[] =>
  readdirSync(join(eventsDir, folder))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => `${folder}/${f}`);
