import type { Keyword } from "./posting-keywords.ts";

const K1 = 1.2;
const B = 0.75;

/**
 * Okapi BM25 of each document (a list of term keys) against a weighted query.
 * The CV's own pieces are the corpus, so a term every highlight mentions
 * counts for little and a rare one for a lot.
 */
export const bm25 = (docs: readonly (readonly string[])[], query: readonly Keyword[]): number[] => {
  const n = docs.length;
  if (n === 0) return [];
  const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / n || 1;
  // Only the query's terms count: each distinct one gets a slot, and each document a count per slot.
  const slots = new Map<string, number>();
  for (const q of query) if (!slots.has(q.key)) slots.set(q.key, slots.size);
  const slotOf = query.map((q) => slots.get(q.key)!);
  const tfs = docs.map((doc) => {
    const tf = new Float64Array(slots.size);
    for (const key of doc) {
      const slot = slots.get(key);
      if (slot !== undefined) tf[slot]!++;
    }
    return tf;
  });
  const df = new Float64Array(slots.size);
  for (const tf of tfs) for (let slot = 0; slot < tf.length; slot++) if (tf[slot]! > 0) df[slot]!++;
  return docs.map((doc, di) => {
    const tf = tfs[di]!;
    let score = 0;
    for (let j = 0; j < query.length; j++) {
      const q = query[j]!;
      const f = tf[slotOf[j]!]!;
      if (f === 0) continue;
      const d = df[slotOf[j]!]!;
      const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
      score += (q.weight * idf * (f * (K1 + 1))) / (f + K1 * (1 - B + (B * doc.length) / avgLength));
    }
    return score;
  });
};
