/**
 * Deterministic, realistic analytics traffic for tests, benchmarks and report
 * previews: a few tenants and users, tailoring outcomes from both engines
 * (mostly successes), producer events of a handful of types.
 */
import type { AnalyticsEventMessage } from "../../contracts/analytics-event-message.ts";
import { messageGroupId } from "../../contracts/message-envelope.ts";
import { seededRandom } from "../../testing/random.ts";
import { isoWeekStart } from "../iso-week.ts";

export const SAMPLE_TENANTS = ["acme-careers", "globex-ats", "initech-chat"] as const;
export const SAMPLE_PRODUCER_TYPES = ["cv.downloaded", "application.submitted", "job.viewed", "cv.shared"] as const;
export const SAMPLE_KEYWORDS = [
  "kubernetes",
  "terraform",
  "graphql",
  "rust",
  "kafka",
  "aws lambda",
  "react native",
  "postgresql",
  "ci/cd",
  "go",
  "observability",
  "stakeholder management",
  "python",
  "data modelling",
  "accessibility",
] as const;
const ERROR_CODES = ["UNGROUNDED_CLAIM", "ENGINE_UNAVAILABLE", "INVALID_CV", "BANNED_CLAIM"] as const;

export interface SampleOptions {
  readonly week: string;
  readonly count: number;
  readonly seed?: number;
  /** Fraction of tailoring outcomes (the rest are producer events). Default 0.6. */
  readonly outcomeShare?: number;
  /** Prefix for event ids, so two calls produce distinct events. */
  readonly idPrefix?: string;
  readonly usersPerTenant?: number;
}

export interface SampleMessage {
  readonly body: AnalyticsEventMessage;
  readonly messageGroupId: string;
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

export const sampleMessages = (options: SampleOptions): SampleMessage[] => {
  const rand = seededRandom(options.seed ?? 1);
  const start = isoWeekStart(options.week).getTime();
  const users = options.usersPerTenant ?? 5;
  const out: SampleMessage[] = [];
  for (let i = 0; i < options.count; i++) {
    const tenantId = pick(rand, SAMPLE_TENANTS);
    const userId = `user-${Math.floor(rand() * users)}`;
    const occurredAt = new Date(start + Math.floor(rand() * 7 * 86_400_000)).toISOString();
    const eventId = `${options.idPrefix ?? "ev"}-${i}`;
    let body: AnalyticsEventMessage;
    if (rand() < (options.outcomeShare ?? 0.6)) {
      const engine = rand() < 0.7 ? "local" : "bedrock";
      const succeeded = rand() < 0.88;
      const latencyMs = Math.round(engine === "local" ? 5 + rand() * rand() * 120 : 1500 + rand() * rand() * 12_000);
      const missing = SAMPLE_KEYWORDS.filter((_, k) => rand() < 0.45 / (k + 1) + 0.03);
      body = {
        schema: "analytics-event.v1",
        tenantId,
        userId,
        source: "tailor",
        receivedAt: occurredAt,
        event: {
          eventId,
          type: "tailoring.outcome",
          occurredAt,
          jobId: `job-${i}`,
          engine,
          outcome: succeeded ? "succeeded" : "failed",
          ...(succeeded ? {} : { errorCode: pick(rand, ERROR_CODES) }),
          latencyMs,
          ...(succeeded ? { matchScore: Math.round(35 + rand() * 60) } : {}),
          ...(engine === "bedrock"
            ? { inputTokens: 1500 + Math.floor(rand() * 2500), outputTokens: 400 + Math.floor(rand() * 900) }
            : {}),
          missingKeywords: succeeded ? missing.map((k) => (rand() < 0.2 ? k.toUpperCase() : k)) : [],
        },
      };
    } else {
      body = {
        schema: "analytics-event.v1",
        tenantId,
        userId,
        source: "producer",
        receivedAt: occurredAt,
        event: { eventId, type: pick(rand, SAMPLE_PRODUCER_TYPES), occurredAt },
      };
    }
    out.push({ body, messageGroupId: messageGroupId(tenantId, userId) });
  }
  return out;
};
