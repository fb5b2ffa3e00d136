/**
 * In-process stand-ins for the ports a use case talks to. They live in core's
 * testing/ (one copy for unit and integration tests); re-exported here for the
 * tests under test/.
 */

export { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";
export { MemoryBlobs, Outbox } from "@cvpipe/core/testing/memory-ports";
