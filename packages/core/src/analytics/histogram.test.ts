import { test } from "uvu";
import * as assert from "uvu/assert";
import { seededRandom } from "../testing/random.ts";
import {
  bucketAttribute,
  bucketCount,
  bucketIndex,
  fromCounters,
  histogramOf,
  isOpenEnded,
  LATENCY_MS,
  MATCH_SCORE,
  mergeHistograms,
  observe,
  quantile,
  toCounters,
} from "./histogram.ts";

const exactQuantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
};

test("bucket layout: score buckets of 5 with 100 in the last, latency open-ended", () => {
  assert.is(bucketCount(MATCH_SCORE), 20);
  assert.is(bucketIndex(MATCH_SCORE, 0), 0);
  assert.is(bucketIndex(MATCH_SCORE, 4.99), 0);
  assert.is(bucketIndex(MATCH_SCORE, 5), 1);
  assert.is(bucketIndex(MATCH_SCORE, 95), 19);
  assert.is(bucketIndex(MATCH_SCORE, 100), 19);
  assert.is(bucketCount(LATENCY_MS), 19);
  assert.is(bucketIndex(LATENCY_MS, 0), 0);
  assert.is(bucketIndex(LATENCY_MS, 150), 7); // [100, 200)
  assert.is(bucketIndex(LATENCY_MS, 10_000_000), 18);
  assert.is(bucketAttribute(LATENCY_MS, 7), "lat_b07");
  assert.equal(observe(MATCH_SCORE, 72), { sc_b14: 1 });
  assert.throws(() => bucketIndex(LATENCY_MS, Number.NaN));
});

test("counters round trip and merge by adding", () => {
  const a = histogramOf(LATENCY_MS, [3, 3, 40, 900]);
  const b = histogramOf(LATENCY_MS, [40, 70_000]);
  const counters = toCounters(LATENCY_MS, a);
  assert.equal(counters, { lat_b02: 2, lat_b05: 1, lat_b09: 1 });
  assert.equal(fromCounters(LATENCY_MS, { ...counters, other: 5, lat_b99: 1 }), a);
  assert.equal(mergeHistograms(LATENCY_MS, [a, b]), histogramOf(LATENCY_MS, [3, 3, 40, 900, 40, 70_000]));
});

test("quantiles of an empty histogram are undefined", () => {
  assert.is(quantile(LATENCY_MS, histogramOf(LATENCY_MS, []), 0.5), undefined);
});

test("p50/p95 estimates stay inside the bucket of the exact quantile", () => {
  const next = seededRandom(7);
  for (const spec of [LATENCY_MS, MATCH_SCORE]) {
    for (let round = 0; round < 20; round++) {
      const values = Array.from({ length: 1 + Math.floor(next() * 500) }, () =>
        spec === MATCH_SCORE ? Math.round(next() * 100) : Math.round(Math.exp(next() * 11)),
      );
      const h = histogramOf(spec, values);
      for (const q of [0.5, 0.95]) {
        const exact = exactQuantile(values, q);
        const estimate = quantile(spec, h, q)!;
        const i = bucketIndex(spec, exact);
        const lower = i === 0 ? spec.min : spec.bounds[i - 1]!;
        const upper = spec.bounds[i] ?? spec.max ?? Number.POSITIVE_INFINITY;
        assert.ok(
          estimate >= lower && estimate <= upper,
          `${spec.prefix} q=${q}: ${estimate} not in [${lower}, ${upper}]`,
        );
      }
    }
  }
});

test("a single observation interpolates to the middle of its bucket; the open bucket reports its floor", () => {
  assert.is(quantile(MATCH_SCORE, histogramOf(MATCH_SCORE, [72]), 0.5), 72.5);
  const slow = histogramOf(LATENCY_MS, [900_000]);
  assert.is(quantile(LATENCY_MS, slow, 0.95), 500_000);
  assert.ok(isOpenEnded(LATENCY_MS, slow, 0.95));
  assert.not.ok(isOpenEnded(MATCH_SCORE, histogramOf(MATCH_SCORE, [100]), 0.95));
});

test("merging shards gives the same quantiles as one histogram of everything", () => {
  const next = seededRandom(3);
  const values = Array.from({ length: 1000 }, () => Math.round(next() * 3000));
  const shards = [0, 1, 2, 3].map((s) =>
    histogramOf(
      LATENCY_MS,
      values.filter((_, i) => i % 4 === s),
    ),
  );
  const merged = mergeHistograms(LATENCY_MS, shards);
  assert.equal(merged, histogramOf(LATENCY_MS, values));
  assert.is(quantile(LATENCY_MS, merged, 0.95), quantile(LATENCY_MS, histogramOf(LATENCY_MS, values), 0.95));
});

test("a quantile on the top edge of the bucket before the last is not reported as open-ended", () => {
  // 19 x 300 s and 1 x 600 s: p95 falls exactly on the 200-500 s bucket's top edge, not in the ≥ 500 s bucket.
  const h = histogramOf(LATENCY_MS, [...Array.from({ length: 19 }, () => 300_000), 600_000]);
  assert.not.ok(isOpenEnded(LATENCY_MS, h, 0.95));
  assert.ok(isOpenEnded(LATENCY_MS, h, 1));
});

test.run();
