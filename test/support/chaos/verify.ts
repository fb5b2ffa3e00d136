/**
 * What a chaos run must end with, checked from the outside: the tables read
 * with the AWS SDK against the stack's DynamoDB, the jobs through the HTTP
 * API, the expectations from the workload alone. Every check adds readable
 * problems to a list (empty = pass) and the figures say how many jobs and
 * events were lost or duplicated.
 */
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoAggregateStore } from "@cvpipe/aws/analytics/dynamo-aggregate-store";
import {
  type AggregateItem,
  keywordSlots,
  mergeAggregates,
  normalizeKeyword,
  type WeeklyAggregate,
} from "@cvpipe/core/analytics/aggregate";
import { type IsoWeek, isoWeekOf } from "@cvpipe/core/analytics/iso-week";
import { diffAggregates } from "@cvpipe/core/analytics/testing/compare";
import { recount } from "@cvpipe/core/analytics/testing/recount";
import { isOutcomeEvent, isRetractionEvent, type TailoringOutcomeEvent } from "@cvpipe/core/contracts/analytics-event";
import { AnalyticsEventMessage } from "@cvpipe/core/contracts/analytics-event-message";
import type { Clock } from "@cvpipe/core/ports/clock";
import { tables } from "@cvpipe/core/topology";
import type { Accepted } from "./producer.ts";
import type { JobSubmission, Workload } from "./workload.ts";

export const scanAll = async (db: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
};

export interface StoredRaw {
  readonly tenantId: string;
  readonly eventId: string;
  readonly folded: boolean;
  readonly message: AnalyticsEventMessage;
}

export interface TableState {
  readonly jobs: Map<string, Record<string, unknown>>;
  readonly events: StoredRaw[];
  /** The aggregates table as stored (for the bookkeeping: pending markers). */
  readonly aggregateItems: Record<string, unknown>[];
  /** The aggregates table as the reporter reads it, by week. */
  readonly aggregatesByWeek: Map<IsoWeek, AggregateItem[]>;
}

export const readTables = async (db: DynamoDBDocumentClient, clock: Clock): Promise<TableState> => {
  const jobs = new Map<string, Record<string, unknown>>();
  for (const item of await scanAll(db, tables.jobs.name)) jobs.set(`${item["tenantId"]}#${item["jobId"]}`, item);
  const events = (await scanAll(db, tables.events.name)).map((item) => ({
    tenantId: String(item["tenantId"]),
    eventId: String(item["eventId"]),
    folded: item["folded"] === true,
    message: AnalyticsEventMessage.parse(JSON.parse(String(item["body"]))),
  }));
  const aggregateItems = await scanAll(db, tables.aggregates.name);
  const reader = new DynamoAggregateStore(db, { tableName: tables.aggregates.name, clock });
  const aggregatesByWeek = new Map<IsoWeek, AggregateItem[]>();
  for (const week of new Set(aggregateItems.map((i) => String(i["week"])))) {
    aggregatesByWeek.set(week, await reader.readWeek(week));
  }
  return { jobs, events, aggregateItems, aggregatesByWeek };
};

export interface Verdict {
  readonly problems: string[];
  readonly lostJobs: number;
  readonly duplicatedJobs: number;
  readonly lostEvents: number;
  readonly duplicatedEvents: number;
  /** Recount from the raw events table, by week. */
  readonly recounted: Map<IsoWeek, WeeklyAggregate>;
  /** The aggregates table, merged, by week. */
  readonly aggregated: Map<IsoWeek, WeeklyAggregate>;
  readonly outcomes: { succeeded: number; failed: number; retracted: number };
  /** Missing keywords whose sketched count is not their own (both slots shared with others; aggregate.ts). */
  readonly collisions: string[];
}

/**
 * Differences between an aggregate and the recount. Missing keywords are
 * compared as aggregate.ts stores them (a count-min sketch of two rows, names
 * on row 1; the week's outcomes all folded with both rows): each reported
 * keyword's count must be the smaller of what the recount's keywords put in
 * its two slots, exactly; a recount keyword not reported must share its row-1
 * slot with another keyword (which named it first). Keywords whose sketched
 * count is not their own (both slots shared) are returned as collisions, with
 * both figures.
 */
export const compareWithRecount = (
  got: WeeklyAggregate,
  want: WeeklyAggregate,
): { diffs: string[]; collisions: string[] } => {
  const diffs = diffAggregates({ ...got, missingKeywords: [] }, { ...want, missingKeywords: [] });
  const slotsOf = (label: string) => keywordSlots(normalizeKeyword(label));
  const rows = [0, 1].map(() => new Map<number, { count: number; labels: string[] }>());
  for (const k of want.missingKeywords) {
    slotsOf(k.label).forEach((slot, row) => {
      const total = rows[row]!.get(slot) ?? { count: 0, labels: [] };
      total.count += k.count;
      total.labels.push(k.label);
      rows[row]!.set(slot, total);
    });
  }
  const sketched = (label: string): number =>
    Math.min(...slotsOf(label).map((slot, row) => rows[row]!.get(slot)?.count ?? 0));
  const wanted = new Map(want.missingKeywords.map((k) => [k.label, k.count]));
  const reported = new Map(got.missingKeywords.map((k) => [k.label, k.count]));
  for (const [label, count] of reported) {
    if (!wanted.has(label)) diffs.push(`missing keyword "${label}" counted ${count}, the recount has no such keyword`);
    else if (count !== sketched(label)) {
      diffs.push(`missing keyword "${label}" counted ${count}, its slots hold ${sketched(label)} by the recount`);
    }
  }
  const collisions: string[] = [];
  for (const [label, count] of wanted) {
    const shared = (rows[0]!.get(slotsOf(label)[0])?.labels.length ?? 0) > 1;
    if (!reported.has(label) && !shared) diffs.push(`missing keyword "${label}" (${count}) not reported`);
    if (!reported.has(label)) collisions.push(`"${label}" ${count} not named (its row-1 slot named by another)`);
    else if (sketched(label) !== count) {
      const others = [...new Set(slotsOf(label).flatMap((slot, row) => rows[row]!.get(slot)?.labels ?? []))].filter(
        (l) => l !== label,
      );
      collisions.push(`"${label}" ${count} counted ${sketched(label)} (both slots shared with ${others.join(", ")})`);
    }
  }
  return { diffs, collisions };
};

/** A job's view through `GET /v1/jobs/{id}` (the envelope's data), or its HTTP status when not 200. */
export type JobAnswer = { status: number; data?: Record<string, any> };

export const verify = (
  workload: Workload,
  accepted: readonly Accepted[],
  state: TableState,
  answers: ReadonlyMap<string, JobAnswer>,
): Verdict => {
  const problems: string[] = [];
  const note = (p: string) => problems.push(p);
  let lostJobs = 0;
  let duplicatedJobs = 0;
  let lostEvents = 0;
  let duplicatedEvents = 0;

  // --- jobs: one terminal state, one result, one standing outcome each -------------------------------
  const jobIdOf = new Map<JobSubmission, string>();
  for (const a of accepted) {
    if (a.submission.kind === "job") jobIdOf.set(a.submission, String(a.data["jobId"]));
  }
  const outcomesByJob = new Map<string, TailoringOutcomeEvent[]>();
  const retracted = new Set<string>();
  for (const raw of state.events) {
    const e = raw.message.event;
    if (isOutcomeEvent(e)) {
      const key = `${raw.tenantId}#${e.jobId}`;
      outcomesByJob.set(key, [...(outcomesByJob.get(key) ?? []), e]);
    } else if (isRetractionEvent(e)) {
      retracted.add(`${raw.tenantId}#${e.supersedes.eventId}`);
    }
  }
  const outcomes = { succeeded: 0, failed: 0, retracted: retracted.size };
  const submittedJobKeys = new Set<string>();
  for (const job of workload.jobs) {
    const jobId = jobIdOf.get(job);
    if (!jobId) {
      note(`job ${job.index}: never accepted`);
      lostJobs++;
      continue;
    }
    const key = `${job.user.tenantId}#${jobId}`;
    if (submittedJobKeys.has(key)) note(`job ${job.index}: job id ${jobId} given to two submissions`);
    submittedJobKeys.add(key);
    const record = state.jobs.get(key);
    const expected = job.banned ? "FAILED" : "SUCCEEDED";
    if (!record) {
      note(`job ${job.index} (${jobId}): not in the jobs table`);
      lostJobs++;
      continue;
    }
    if (record["status"] !== expected) {
      note(
        `job ${job.index} (${jobId}): ${String(record["status"])} (${JSON.stringify(record["error"] ?? null)}), expected ${expected}`,
      );
      if (record["status"] !== "SUCCEEDED" && record["status"] !== "FAILED") lostJobs++;
    }
    const hasResult = record["result"] !== undefined || record["resultBlob"] !== undefined;
    if (expected === "SUCCEEDED" && !hasResult) note(`job ${job.index} (${jobId}): SUCCEEDED without a result`);
    if (expected === "FAILED" && hasResult) note(`job ${job.index} (${jobId}): FAILED with a result`);
    if (expected === "FAILED" && (record["error"] as { code?: string } | undefined)?.code !== "BANNED_CLAIM") {
      note(`job ${job.index} (${jobId}): error ${JSON.stringify(record["error"])}, expected BANNED_CLAIM`);
    }
    const answer = answers.get(key);
    if (answer?.status !== 200) {
      note(`job ${job.index} (${jobId}): GET answered ${answer?.status}`);
    } else {
      const view = answer.data!;
      if (view["jobId"] !== jobId) note(`job ${job.index} (${jobId}): GET answered for job ${String(view["jobId"])}`);
      if (view["status"] !== record["status"]) {
        const brief = (r: Record<string, any>) =>
          JSON.stringify({
            status: r["status"],
            attempts: r["attempts"],
            createdAt: r["createdAt"],
            startedAt: r["startedAt"],
            updatedAt: r["updatedAt"],
            finishedAt: r["finishedAt"],
          });
        note(`job ${job.index} (${key}): GET says ${brief(view)}, the table (read before) ${brief(record)}`);
      }
      if (view["status"] === "SUCCEEDED" && !view["result"]?.resume) note(`job ${job.index}: GET shows no result`);
      if (view["status"] === "FAILED" && (view["result"] !== undefined || !view["error"]?.code)) {
        note(`job ${job.index}: GET of a failed job: ${JSON.stringify(view).slice(0, 300)}`);
      }
    }
    const standing = (outcomesByJob.get(key) ?? []).filter((e) => !retracted.has(`${job.user.tenantId}#${e.eventId}`));
    if (standing.length === 0) {
      note(`job ${job.index} (${jobId}): no standing outcome event`);
      lostJobs++;
    } else if (standing.length > 1) {
      note(`job ${job.index} (${jobId}): ${standing.length} standing outcome events`);
      duplicatedJobs += standing.length - 1;
    } else {
      const e = standing[0]!;
      if (e.eventId !== `tailoring-outcome-${jobId}-${String(record["attempts"])}`) {
        note(`job ${job.index}: standing outcome ${e.eventId}, job at attempt ${String(record["attempts"])}`);
      }
      if (e.outcome !== (expected === "SUCCEEDED" ? "succeeded" : "failed")) {
        note(`job ${job.index}: outcome ${e.outcome}, expected ${expected}`);
      }
      outcomes[e.outcome]++;
    }
  }
  for (const key of state.jobs.keys()) {
    if (!submittedJobKeys.has(key)) {
      note(`jobs table holds ${key}, which no submission created`);
      duplicatedJobs++;
    }
  }

  // --- events: every producer event stored once, folded, as sent ----------------------------------------
  const stored = new Map(state.events.map((r) => [`${r.tenantId}#${r.eventId}`, r]));
  const sent = new Set<string>();
  for (const batch of workload.batches) {
    for (const event of batch.events) {
      const key = `${batch.user.tenantId}#${event.eventId}`;
      sent.add(key);
      const raw = stored.get(key);
      if (!raw) {
        note(`event ${key}: not in the events table`);
        lostEvents++;
        continue;
      }
      if (!raw.folded) {
        note(`event ${key}: stored but not folded`);
        lostEvents++;
      }
      if (JSON.stringify(raw.message.event) !== JSON.stringify(event) || raw.message.userId !== batch.user.userId) {
        note(`event ${key}: stored as ${JSON.stringify(raw.message).slice(0, 300)}`);
      }
    }
  }
  let unsent = 0;
  for (const raw of state.events) {
    const key = `${raw.tenantId}#${raw.eventId}`;
    if (raw.message.source === "producer" && !sent.has(key)) {
      note(`events table holds ${key}, never sent`);
      unsent++;
    }
    if (raw.message.source === "tailor" && !raw.folded) note(`outcome event ${key}: stored but not folded`);
  }

  // --- aggregates = recount of the raw events = what the workload says ----------------------------------
  const recounted = recount(state.events.map((r) => r.message));
  for (const item of state.aggregateItems) {
    const week = String(item["week"]);
    const pending = item["pending"];
    if (pending instanceof Set && pending.size > 0) {
      note(`aggregate ${week}/${String(item["shard"])}: ${pending.size} event(s) left pending`);
    }
  }
  const aggregated = new Map(
    [...state.aggregatesByWeek].map(([week, items]) => [week, mergeAggregates(week, items)] as const),
  );
  const collisions = new Set<string>();
  for (const week of new Set([...recounted.keys(), ...aggregated.keys()])) {
    const got = aggregated.get(week) ?? mergeAggregates(week, []);
    const want = recounted.get(week) ?? mergeAggregates(week, []);
    const compared = compareWithRecount(got, want);
    for (const diff of compared.diffs) note(`aggregates ${week} vs recount: ${diff}`);
    for (const c of compared.collisions) collisions.add(`${week}: ${c}`);
  }
  const expectedProducers = new Map<IsoWeek, number>();
  for (const batch of workload.batches) {
    for (const e of batch.events) {
      const week = isoWeekOf(new Date(e.occurredAt));
      expectedProducers.set(week, (expectedProducers.get(week) ?? 0) + 1);
    }
  }
  for (const week of new Set([...expectedProducers.keys(), ...aggregated.keys()])) {
    const got = aggregated.get(week);
    const want = expectedProducers.get(week) ?? 0;
    if ((got?.producerEvents ?? 0) !== want) {
      note(`aggregates ${week}: ${got?.producerEvents ?? 0} producer events, ${want} sent`);
    }
  }
  // The figures. Lost: sent but not stored (or not folded), or counted fewer times than the recount of
  // what is stored; duplicated: counted more times than that, or stored without being sent. Counts per
  // week and producer type (jobs: per week and outcome), so that a loss and a duplicate elsewhere do not
  // cancel out.
  const tally = (pick: (a: WeeklyAggregate) => Readonly<Record<string, number>>) => {
    let extra = 0;
    let missing = 0;
    for (const week of new Set([...recounted.keys(), ...aggregated.keys()])) {
      const got = pick(aggregated.get(week) ?? mergeAggregates(week, []));
      const want = pick(recounted.get(week) ?? mergeAggregates(week, []));
      for (const label of new Set([...Object.keys(got), ...Object.keys(want)])) {
        const d = (got[label] ?? 0) - (want[label] ?? 0);
        if (d > 0) extra += d;
        else missing -= d;
      }
    }
    return { extra, missing };
  };
  const producerCounts = tally((a) => a.byType);
  const jobCounts = tally((a) => a.byOutcome);
  lostEvents += producerCounts.missing;
  duplicatedEvents += producerCounts.extra + unsent;
  lostJobs += jobCounts.missing;
  duplicatedJobs += jobCounts.extra;
  const counted = (w: (a: WeeklyAggregate) => number) => [...aggregated.values()].reduce((n, a) => n + w(a), 0);
  if (counted((a) => a.outcomeEvents) !== workload.jobs.length) {
    note(`aggregates: ${counted((a) => a.outcomeEvents)} jobs counted, ${workload.jobs.length} submitted`);
  }
  return {
    problems,
    lostJobs,
    duplicatedJobs,
    lostEvents,
    duplicatedEvents,
    recounted,
    aggregated,
    outcomes,
    collisions: [...collisions],
  };
};
