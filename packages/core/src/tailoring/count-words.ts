/**
 * Counts written as words, with their values: one list for every reader of text that meets them (the
 * verifier's numbers, the requirement reader's breaks, the years a posting asks for).
 */
export const COUNT_WORDS: ReadonlyMap<string, number> = /* @__PURE__ */ (() =>
  new Map<string, number>([
    ...`zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
      seventeen eighteen nineteen twenty`
      .split(/\s+/)
      .map((w, i) => [w, i] as const),
    ...["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"].map((w, i) => [w, 30 + 10 * i] as const),
    ["hundred", 100],
    ["thousand", 1000],
    ["million", 1_000_000],
    ["billion", 1_000_000_000],
    ["trillion", 1_000_000_000_000],
    ["dozen", 12],
  ]))();
