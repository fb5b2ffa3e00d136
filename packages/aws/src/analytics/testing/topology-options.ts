/**
 * Adapter options for tests against the topology's own (unstaged) resource
 * names — what the embedded stack and the emulators create. Production code
 * gets its names from the function's configuration (packages/functions/src/composition/).
 */
import type { Clock } from "@cvpipe/core/ports/clock";
import { retention, tables } from "@cvpipe/core/topology";
import type { AnalyticsFoldOptions } from "../analytics-fold.ts";

/** AnalyticsFold over the topology's events and aggregates tables, with the default retention. */
export const foldOptions = (clock: Clock, overrides: Partial<AnalyticsFoldOptions> = {}): AnalyticsFoldOptions => ({
  eventsTable: tables.events.name,
  aggregatesTable: tables.aggregates.name,
  eventTtlDays: retention.eventTtlDays,
  tailorEventTtlDays: retention.outcomeEventTtlDays,
  clock,
  ...overrides,
});
