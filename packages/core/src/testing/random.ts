/**
 * The one seeded PRNG of the tests, fuzz and chaos suites and benchmarks:
 * mulberry32 (32-bit state, full period; good enough to pick cases, not for
 * anything secret). The same seed gives the same cases, so a failure
 * reproduces from its seed.
 */

/** A 32-bit seed from a number or any string (FNV-1a). */
export const seedFrom = (value: string | number): number => {
  if (typeof value === "number" && Number.isInteger(value)) return value >>> 0;
  let h = 0x811c9dc5;
  for (const ch of String(value)) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

export class Rng {
  readonly seed: number;
  #state: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.#state = this.seed;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `n` distinct items (all of them when there are fewer), in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    return this.shuffle(items).slice(0, n);
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** A child generator from this one's seed and a label (not its position): adding draws elsewhere shifts nothing. */
  fork(label: string | number): Rng {
    return new Rng(seedFrom(`${this.seed}:${label}`));
  }
}

/** A bare `() => [0, 1)` generator, for code that only draws numbers. */
export const seededRandom = (seed: number): (() => number) => {
  const rng = new Rng(seed);
  return () => rng.next();
};
