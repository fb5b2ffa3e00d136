/**
 * The known key an unknown one was most likely meant to be: `positon` → `position`, `bascis` →
 * `basics`, `StartDate` → `startDate`. Letters are compared case-folded, by optimal string alignment
 * distance (insertions, deletions, substitutions and swaps of neighbours each cost 1).
 */

/** How far a key may be from a known one to be taken for a typo of it: 1 for names of 4 letters or fewer, else 2. */
export const maxTypoDistance = (known: string): number => (known.length <= 4 ? 1 : 2);

/**
 * Optimal string alignment distance of `a` and `b`, or `limit + 1` as soon as it must exceed `limit`.
 * Keys are short (a JSON Resume key is at most 12 characters and a longer key is skipped by length
 * alone), so the full table costs nothing.
 */
export const typoDistance = (a: string, b: string, limit: number): number => {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  const d = new Uint16Array((a.length + 1) * width);
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    d[i * width] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(d[(i - 1) * width + j]! + 1, d[i * width + j - 1]! + 1, d[(i - 1) * width + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * width + j - 2]! + 1);
      }
      d[i * width + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
  }
  return d[a.length * width + b.length]!;
};

/** The nearest of `known` to `key` within its typo distance (the first in `known`'s order on a tie), or undefined. */
export const nearestKey = (key: string, known: readonly string[]): string | undefined => {
  const folded = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const limit = maxTypoDistance(candidate);
    const distance = typoDistance(folded, candidate.toLowerCase(), limit);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
};
