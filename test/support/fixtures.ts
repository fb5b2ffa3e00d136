/** Sample data for tests under test/: see packages/core/src/testing/fixtures.ts. */
export { eventsDir, fixture, repoRoot, sharedDir, sharedFixture, sharedText } from "@cvpipe/core/testing/fixtures";
export { sqsEvent, sqsRecord } from "@cvpipe/core/testing/sqs-record";
