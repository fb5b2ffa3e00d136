import { isFeedbackEvent, isOutcomeEvent, isRetractionEvent } from "../../contracts/analytics-event.ts";
import type { AnalyticsEventMessage } from "../../contracts/analytics-event-message.ts";
import {
  distinctKeywords,
  eventKey,
  feedbackOf,
  rankDescending,
  type WeeklyAggregate,
  weekOfEvent,
} from "../aggregate.ts";
import { histogramOf, LATENCY_MS, MATCH_SCORE } from "../histogram.ts";
import type { IsoWeek } from "../iso-week.ts";

/**
 * Brute force, for tests: the aggregates of every week computed straight from
 * the distinct events (first message per tenant+eventId wins), without
 * increments, shards or keyword slots.
 */
export const recount = (messages: Iterable<AnalyticsEventMessage>): Map<IsoWeek, WeeklyAggregate> => {
  const all = [...messages];
  // A retracted outcome counts for nothing, and neither does its retraction.
  const retracted = new Set(
    all.flatMap((m) => (isRetractionEvent(m.event) ? [eventKey(m.tenantId, m.event.supersedes.eventId)] : [])),
  );
  const seen = new Set<string>();
  const byWeek = new Map<IsoWeek, AnalyticsEventMessage[]>();
  for (const m of all) {
    const key = eventKey(m.tenantId, m.event.eventId);
    if (seen.has(key) || retracted.has(key) || isRetractionEvent(m.event)) continue;
    seen.add(key);
    const week = weekOfEvent(m.event);
    const list = byWeek.get(week) ?? [];
    list.push(m);
    byWeek.set(week, list);
  }
  const out = new Map<IsoWeek, WeeklyAggregate>();
  for (const [week, list] of byWeek) {
    const count = (values: Iterable<string>): Record<string, number> => {
      const r: Record<string, number> = {};
      for (const v of values) r[v] = (r[v] ?? 0) + 1;
      return r;
    };
    const outcomes = list.flatMap((m) => (isOutcomeEvent(m.event) ? [{ m, e: m.event }] : []));
    const producers = list.filter(
      (m) => !isOutcomeEvent(m.event) && !isRetractionEvent(m.event) && !isFeedbackEvent(m.event),
    );
    const ratings = list.flatMap((m) => (isFeedbackEvent(m.event) ? [m.event.rating] : []));
    const scores = outcomes.flatMap(({ e }) => (e.matchScore === undefined ? [] : [e.matchScore]));
    const keywordCounts = new Map<string, number>();
    for (const { e } of outcomes) {
      for (const k of distinctKeywords(e.missingKeywords)) keywordCounts.set(k, (keywordCounts.get(k) ?? 0) + 1);
    }
    out.set(week, {
      week,
      events: list.length,
      outcomeEvents: outcomes.length,
      producerEvents: producers.length,
      byOutcome: count(outcomes.map(({ e }) => e.outcome)),
      byEngine: count(outcomes.map(({ e }) => e.engine)),
      byErrorCode: count(outcomes.filter(({ e }) => e.outcome === "failed").map(({ e }) => e.errorCode ?? "UNKNOWN")),
      byTenant: count(list.map((m) => m.tenantId)),
      jobsByTenant: count(outcomes.map(({ m }) => m.tenantId)),
      byType: count(producers.map((m) => m.event.type)),
      latency: histogramOf(
        LATENCY_MS,
        outcomes.map(({ e }) => e.latencyMs),
      ),
      latencySumMs: outcomes.reduce((s, { e }) => s + e.latencyMs, 0),
      score: histogramOf(MATCH_SCORE, scores),
      scoreSum: scores.reduce((a, b) => a + b, 0),
      scoreCount: scores.length,
      tokens: {
        input: outcomes.reduce((s, { e }) => s + (e.inputTokens ?? 0), 0),
        output: outcomes.reduce((s, { e }) => s + (e.outputTokens ?? 0), 0),
      },
      missingKeywords: rankDescending(keywordCounts),
      feedback: feedbackOf(
        ratings.length,
        ratings.reduce((a, b) => a + b, 0),
        (r) => ratings.filter((x) => x === r).length,
      ),
    });
  }
  return out;
};
