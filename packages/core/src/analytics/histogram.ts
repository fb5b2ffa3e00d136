/**
 * Fixed-bucket histograms. Buckets never move, so two histograms merge by
 * adding counts bucket by bucket — across shards, across weeks — and each
 * bucket is one DynamoDB number attribute (`lat_b07`) that an `ADD` can bump.
 * Quantiles are estimated by linear interpolation inside the bucket that holds
 * the rank, so their error is bounded by that bucket's width.
 */

export interface HistogramSpec {
  /** Attribute name prefix: bucket i is stored as `${prefix}${i, 2 digits}`. */
  readonly prefix: string;
  /** Exclusive upper bounds, ascending. Bucket i holds `[bounds[i-1], bounds[i])`; the last bucket is open. */
  readonly bounds: readonly number[];
  /** Smallest value the histogram can hold (lower edge of bucket 0). */
  readonly min: number;
  /** Upper edge of the last bucket when values are capped (match score ≤ 100); undefined when open-ended. */
  readonly max?: number;
}

/** Latency in ms, 1-2-5 steps from 1 ms to 500 s: 19 buckets. */
export const LATENCY_MS: HistogramSpec = {
  prefix: "lat_b",
  bounds: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000],
  min: 0,
};

/** Match score 0–100 in buckets of 5: 20 buckets, the last one `[95, 100]`. */
export const MATCH_SCORE: HistogramSpec = {
  prefix: "sc_b",
  bounds: Array.from({ length: 19 }, (_, i) => (i + 1) * 5),
  min: 0,
  max: 100,
};

/** Counts per bucket, index-aligned with the spec. */
export type Histogram = readonly number[];

export const bucketCount = (spec: HistogramSpec): number => spec.bounds.length + 1;

export const bucketIndex = (spec: HistogramSpec, value: number): number => {
  if (!Number.isFinite(value)) throw new RangeError(`histogram ${spec.prefix}: ${value} is not a finite number`);
  const i = spec.bounds.findIndex((upper) => value < upper);
  return i === -1 ? spec.bounds.length : i;
};

export const bucketAttribute = (spec: HistogramSpec, index: number): string =>
  `${spec.prefix}${String(index).padStart(2, "0")}`;

export const emptyHistogram = (spec: HistogramSpec): number[] => new Array<number>(bucketCount(spec)).fill(0);

/** The counter increment recording one observation. */
export const observe = (spec: HistogramSpec, value: number): Record<string, number> => ({
  [bucketAttribute(spec, bucketIndex(spec, value))]: 1,
});

export const histogramOf = (spec: HistogramSpec, values: Iterable<number>): number[] => {
  const h = emptyHistogram(spec);
  for (const v of values) h[bucketIndex(spec, v)]! += 1;
  return h;
};

/** Reads a histogram back from stored counters; missing buckets are zero. */
export const fromCounters = (spec: HistogramSpec, counters: Readonly<Record<string, unknown>>): number[] =>
  emptyHistogram(spec).map((_, i) => {
    const v = counters[bucketAttribute(spec, i)];
    return typeof v === "number" ? v : 0;
  });

/** Non-zero buckets as counters, the shape `ADD` takes. */
export const toCounters = (spec: HistogramSpec, histogram: Histogram): Record<string, number> => {
  const out: Record<string, number> = {};
  histogram.forEach((n, i) => {
    if (n !== 0) out[bucketAttribute(spec, i)] = n;
  });
  return out;
};

export const mergeHistograms = (spec: HistogramSpec, histograms: Iterable<Histogram>): number[] => {
  const out = emptyHistogram(spec);
  for (const h of histograms) {
    if (h.length !== out.length) throw new RangeError(`histogram ${spec.prefix}: expected ${out.length} buckets`);
    h.forEach((n, i) => {
      out[i]! += n;
    });
  }
  return out;
};

export const totalCount = (histogram: Histogram): number => histogram.reduce((a, b) => a + b, 0);

/**
 * Estimated q-quantile (0 < q ≤ 1), or undefined for an empty histogram.
 * Interpolates linearly inside the bucket holding rank q·n; in the open last
 * bucket it returns the bucket's lower edge (a floor, flagged by `≥` in reports).
 */
export const quantile = (spec: HistogramSpec, histogram: Histogram, q: number): number | undefined => {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile: q must be in (0, 1], got ${q}`);
  const n = totalCount(histogram);
  if (n === 0) return undefined;
  const rank = q * n;
  let before = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i]!;
    if (count > 0 && before + count >= rank) {
      const lower = i === 0 ? spec.min : spec.bounds[i - 1]!;
      const upper = i < spec.bounds.length ? spec.bounds[i]! : spec.max;
      if (upper === undefined) return lower;
      return lower + ((rank - before) / count) * (upper - lower);
    }
    before += count;
  }
  return undefined;
};

/** True when the quantile fell in the open-ended last bucket (the value is a lower bound). */
export const isOpenEnded = (spec: HistogramSpec, histogram: Histogram, q: number): boolean => {
  if (spec.max !== undefined) return false;
  const n = histogram.reduce((a, b) => a + b, 0);
  if (n === 0) return false;
  // Which bucket holds the quantile — not whether its interpolated value touches the last bound
  // (a rank on the top edge of the bucket before it would read as open-ended).
  const rank = q * n;
  let before = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i]!;
    if (count > 0 && before + count >= rank) return i >= spec.bounds.length;
    before += count;
  }
  return false;
};
