/**
 * CloudWatch Embedded Metric Format: one JSON log line that CloudWatch Logs
 * turns into metric data points (what Powertools Metrics writes, without the
 * dependency for a single counter). Lambda ships stdout to CloudWatch Logs as is.
 */

export interface EmfMetric {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  readonly unit?: "Count" | "None";
  readonly dimensions: Readonly<Record<string, string>>;
  readonly at: Date;
  /** Extra fields kept in the log line (searchable in Logs Insights), not metrics. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

export const emfLine = (m: EmfMetric): string =>
  JSON.stringify({
    ...m.properties,
    ...m.dimensions,
    [m.name]: m.value,
    _aws: {
      Timestamp: m.at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: m.namespace,
          Dimensions: [Object.keys(m.dimensions)],
          Metrics: [{ Name: m.name, Unit: m.unit ?? "Count" }],
        },
      ],
    },
  });
