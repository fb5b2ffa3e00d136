/**
 * Seniority in the headline and the summary: "Staff" for "Senior" in
 * `basics.label`, "chief architect" in `basics.summary`. Such a word may be in
 * the CV for another reason (a job's "Led the rewrite"), so the content-word
 * rule alone lets it through; here it must be one the source's own headline,
 * summary or positions use.
 */
import type { Resume } from "../../resume/resume.ts";
import type { Report } from "./report.ts";
import { foldedWords, SENIORITY_WORDS, stem } from "./words.ts";

export const checkBasicsSeniority = (
  source: Resume,
  tailored: Resume,
  report: Report,
  norm: (text: string) => string,
  inSource: (stem: string) => boolean,
): void => {
  const basics = tailored.basics;
  if (basics === undefined) return;
  let titles: Set<string> | undefined;
  const stated = (): Set<string> => {
    if (titles === undefined) {
      const texts = [
        source.basics?.label,
        source.basics?.summary,
        ...(source.work ?? []).map((w) => w.position),
        ...((source.volunteer ?? []) as { position?: unknown }[]).map((v) => v.position),
      ];
      titles = new Set(texts.flatMap((t) => (typeof t === "string" ? foldedWords(norm(t)).map(stem) : [])));
    }
    return titles;
  };
  for (const key of ["label", "summary"] as const) {
    const text = basics[key];
    if (typeof text !== "string") continue;
    // A word the CV lacks altogether is the content-word rule's to report.
    const senior = [
      ...new Set(
        foldedWords(norm(text)).filter(
          (w) => SENIORITY_WORDS.has(stem(w)) && inSource(stem(w)) && !stated().has(stem(w)),
        ),
      ),
    ];
    if (senior.length > 0) {
      report(
        `basics.${key}`,
        senior.join(" "),
        `seniority word "${senior.join(" ")}" is in no headline, summary or position of the source CV`,
      );
    }
  }
};
