/**
 * Openings that make a sentence lean on the one before it: moved to the front
 * of a summary, "I have also provided formal mentorship…" or "This led to…"
 * reads as if a sentence were missing.
 */
const DEPENDENT_OPENING =
  /^(?:also|additionally|in addition|furthermore|moreover|besides|likewise|similarly|however|therefore|thus|hence|consequently|as a result|as such|in turn|that|this|these|those|such|it|they|then)\b/i;

/**
 * "also" or "too" among a sentence's first words ("I have also provided…",
 * "We also ran…") adds to what came before as much as an opening "Also" does.
 * Further in, it usually joins parts of the sentence itself.
 */
const EARLY_ADDITION = /^(?:\S+\s+){1,3}(?:also|too)\b/i;

/** Whether `sentence` only makes sense after the sentence the CV puts before it. */
export const leansOnPrevious = (sentence: string): boolean => {
  const text = sentence.replace(/^[\s"“'‘(]+/, "");
  // "IT consultant…" names a field; only the word "It" refers back.
  const acronym = /^[A-Z]{2,}\b/.test(text);
  return (!acronym && DEPENDENT_OPENING.test(text)) || EARLY_ADDITION.test(text);
};

/**
 * The summary's sentences grouped so that every sentence that leans on its
 * predecessor stays right after it: each unit is a run of sentence indices, in
 * the CV's order, starting with one that stands on its own. A first sentence
 * that leans on nothing before it stands on its own.
 */
export const summaryUnits = (sentences: readonly string[]): number[][] => {
  const units: number[][] = [];
  sentences.forEach((sentence, i) => {
    const last = units[units.length - 1];
    if (last !== undefined && leansOnPrevious(sentence)) last.push(i);
    else units.push([i]);
  });
  return units;
};
