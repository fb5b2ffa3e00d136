/** Splits prose into sentences, keeping each sentence's text exactly as written. */
export const splitSentences = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"“([])|\n+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
