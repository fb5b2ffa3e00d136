/**
 * Operational metrics the use cases record (jobs accepted and finished,
 * verification rejections, engine latency and tokens, events folded). The
 * functions write them as CloudWatch EMF through Powertools Metrics
 * (packages/functions/src/metrics.ts); tests use `MemoryMetrics`
 * (testing/memory-ports.ts). Nothing here knows about CloudWatch.
 */

/** The namespace every cvpipe metric is in unless POWERTOOLS_METRICS_NAMESPACE says otherwise. */
export const DEFAULT_METRIC_NAMESPACE = "cvpipe";

/** Every metric name the use cases record: the dashboard and alarms read the same names. */
export const METRIC = {
  /** ingress: a new job recorded and enqueued (a repeated Idempotency-Key is not counted again). */
  jobsAccepted: "JobsAccepted",
  /** ingress: analytics events enqueued by POST /v1/events. */
  eventsAccepted: "EventsAccepted",
  /** tailor: this attempt stored the job's result. */
  jobsSucceeded: "JobsSucceeded",
  /**
   * A job recorded FAILED, by whoever ended it: the tailor's attempt, the ingress
   * closing a job it could not enqueue (DEPENDENCY_UNAVAILABLE), the sweeper
   * (NOT_STARTED); dimension ErrorCode.
   */
  jobsFailed: "JobsFailed",
  /** tailor: the verifier refused an engine's output; dimension ErrorCode (UNGROUNDED_CLAIM, BANNED_CLAIM). */
  verificationRejections: "VerificationRejections",
  /** tailor: one engine call, successful or not, in milliseconds; dimension Engine. */
  engineLatency: "EngineLatency",
  /** tailor: tokens an engine reported for a verified result; dimension Engine. */
  inputTokens: "InputTokens",
  outputTokens: "OutputTokens",
  /** analytics: an event counted into its week now (or its crashed count completed); dimension Source. */
  eventsFolded: "EventsFolded",
  /** analytics: an event that was counted already; dimension Source. */
  eventsDuplicate: "EventsDuplicate",
  /** analytics: an event received longer ago than duplicates can be told, so not counted; dimension Source. */
  eventsStale: "EventsStale",
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/**
 * Dimension name → value. Few, and of low cardinality (an error code, an
 * engine, an event source): every distinct combination is a metric of its own.
 * Never an id.
 */
export type MetricDimensions = Readonly<Record<string, string>>;

export interface Metrics {
  /** Adds `value` (a count) to `name` under `dimensions`. */
  count(name: MetricName, value: number, dimensions?: MetricDimensions): void;
  /** One measured duration of `name`, in milliseconds. */
  milliseconds(name: MetricName, value: number, dimensions?: MetricDimensions): void;
}

/** For deps that leave metrics out (tests that do not look at them). */
export const noMetrics: Metrics = { count: () => undefined, milliseconds: () => undefined };
