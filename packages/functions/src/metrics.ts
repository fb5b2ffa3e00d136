/**
 * The Metrics port over Powertools Metrics: CloudWatch Embedded Metric Format,
 * one JSON document on stdout per dimension set, which CloudWatch Logs turns
 * into metric data points (Lambda ships stdout as it is). The only writer of
 * EMF in cvpipe.
 *
 * Namespace `POWERTOOLS_METRICS_NAMESPACE` (the CDK app sets it; "cvpipe"
 * otherwise); every metric has the dimension `service` =
 * `POWERTOOLS_SERVICE_NAME` (serviceNameOf, as the logs), plus its own (ErrorCode, Engine, Source).
 *
 * Written only where stdout reaches CloudWatch: in Lambda
 * (`AWS_LAMBDA_FUNCTION_NAME` set). Elsewhere — the embedded stack, a CLI run
 * of the reporter — the points are dropped, unless `POWERTOOLS_METRICS_DISABLED=false`
 * asks for them; `POWERTOOLS_METRICS_DISABLED=true` turns them off everywhere.
 */
import { Metrics as PowertoolsMetrics } from "@aws-lambda-powertools/metrics";
import {
  DEFAULT_METRIC_NAMESPACE,
  type MetricDimensions,
  type MetricName,
  type Metrics,
} from "@cvpipe/core/ports/metrics";
import { POWERTOOLS_ENV } from "@cvpipe/core/topology";
import type middy from "@middy/core";
import { serviceNameOf } from "./logger.ts";

/** A metric on its own: exactly its dimensions (no `service`), in its own namespace. */
export interface StandaloneMetric {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  readonly dimensions: MetricDimensions;
  /** Extra fields kept in the log line (searchable in Logs Insights), not metrics. */
  readonly properties?: Readonly<Record<string, string>>;
}

export interface FunctionMetrics extends Metrics {
  /** Writes what was recorded since the last flush (withMetrics calls it after each invocation). */
  flush(): void;
  /**
   * Writes one data point at once, with exactly the dimensions given: for a
   * metric an alarm watches by a fixed dimension set (ReportSendUncertain),
   * which the `service` dimension would make a different metric.
   */
  standalone(metric: StandaloneMetric): void;
}

/** Whether this process's stdout goes to CloudWatch, or metrics were asked for anyway (see the file's comment). */
const writesMetrics = (env: NodeJS.ProcessEnv): boolean => {
  const disabled = env[POWERTOOLS_ENV.metricsDisabled]?.trim().toLowerCase();
  if (disabled !== undefined && disabled !== "") return !["1", "true", "on", "yes", "y"].includes(disabled);
  return Boolean(env["AWS_LAMBDA_FUNCTION_NAME"]);
};

/** Dimension names and values in a stable order: one key per dimension set. */
const dimensionKey = (dimensions: MetricDimensions): string =>
  JSON.stringify(Object.entries(dimensions).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * The function's metrics, built once per cold start. Points with the same
 * dimensions share one EMF document per flush; each distinct dimension set
 * (a handful: an error code, an engine) keeps its Powertools instance.
 *
 * @example
 *   const metrics = createMetrics();
 *   export const handler = withMetrics(middy(work), metrics);
 *   // in work: metrics.count(METRIC.jobsAccepted, 1);
 */
export const createMetrics = (env: NodeJS.ProcessEnv = process.env): FunctionMetrics => {
  const namespace = env[POWERTOOLS_ENV.metricsNamespace] || DEFAULT_METRIC_NAMESPACE;
  const serviceName = serviceNameOf(env);
  const sets = new Map<string, PowertoolsMetrics>();
  const instanceFor = (dimensions: MetricDimensions): PowertoolsMetrics => {
    const key = dimensionKey(dimensions);
    let instance = sets.get(key);
    if (!instance) {
      instance = new PowertoolsMetrics({ namespace, serviceName, defaultDimensions: { ...dimensions } });
      sets.set(key, instance);
    }
    return instance;
  };
  return {
    count(name: MetricName, value: number, dimensions: MetricDimensions = {}) {
      instanceFor(dimensions).addMetric(name, "Count", value);
    },
    milliseconds(name: MetricName, value: number, dimensions: MetricDimensions = {}) {
      instanceFor(dimensions).addMetric(name, "Milliseconds", value);
    },
    flush() {
      const write = writesMetrics(env);
      for (const instance of sets.values()) {
        if (!instance.hasStoredMetrics()) continue; // Powertools warns about an empty flush
        if (write) instance.publishStoredMetrics();
        else instance.clearMetrics();
      }
    },
    standalone(metric: StandaloneMetric) {
      if (!writesMetrics(env)) return;
      const single = new PowertoolsMetrics({ namespace: metric.namespace, serviceName, singleMetric: true });
      single.clearDefaultDimensions();
      for (const [name, value] of Object.entries(metric.dimensions)) single.addDimension(name, value);
      for (const [key, value] of Object.entries(metric.properties ?? {})) single.addMetadata(key, value);
      single.addMetric(metric.name, "Count", metric.value);
    },
  };
};

/**
 * Writes the invocation's metrics when it ends, whether it returned or threw
 * (Powertools' logMetrics middleware does the same for a single instance).
 */
export const withMetrics = <E, R>(handler: middy.MiddyfiedHandler<E, R>, metrics: FunctionMetrics) => {
  const flushMetricsAfter = () => metrics.flush();
  const flushMetricsOnError = () => metrics.flush();
  return handler.use({ after: flushMetricsAfter, onError: flushMetricsOnError });
};
