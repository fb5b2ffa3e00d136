import type { Keyword } from "./job-keywords.ts";

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
  const df = new Map<string, number>();
  for (const doc of docs) for (const key of new Set(doc)) df.set(key, (df.get(key) ?? 0) + 1);
  return docs.map((doc) => {
    const tf = new Map<string, number>();
    for (const key of doc) tf.set(key, (tf.get(key) ?? 0) + 1);
    let score = 0;
    for (const q of query) {
      const f = tf.get(q.key);
      if (f === undefined) continue;
      const d = df.get(q.key) ?? 0;
      const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
      score += (q.weight * idf * (f * (K1 + 1))) / (f + K1 * (1 - B + (B * doc.length) / avgLength));
    }
    return score;
  });
};
