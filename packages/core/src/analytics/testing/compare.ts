import type { WeeklyAggregate } from "../aggregate.ts";

/**
 * Differences between two weekly aggregates, as readable lines (empty when
 * equal). Sums of non-integers are compared with a tolerance: DynamoDB adds
 * decimals exactly, JavaScript in binary floating point.
 */
export const diffAggregates = (actual: WeeklyAggregate, expected: WeeklyAggregate): string[] => {
  const diffs: string[] = [];
  const sums = new Set(["latencySumMs", "scoreSum"]);
  for (const key of Object.keys(expected) as (keyof WeeklyAggregate)[]) {
    const a = actual[key];
    const e = expected[key];
    if (sums.has(key)) {
      if (Math.abs(Number(a) - Number(e)) > 1e-6 * Math.max(1, Math.abs(Number(e)))) diffs.push(`${key}: ${a} ≠ ${e}`);
    } else if (JSON.stringify(normalize(a)) !== JSON.stringify(normalize(e))) {
      diffs.push(`${key}: ${JSON.stringify(a)} ≠ ${JSON.stringify(e)}`);
    }
  }
  return diffs;
};

const normalize = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, normalize(v)]),
    );
  }
  return value;
};
