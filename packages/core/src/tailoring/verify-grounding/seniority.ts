/**
 * Seniority in the headline and the summary: "Staff" for "Senior" in
 * `basics.label`, "chief architect" in `basics.summary`. Such a word may be in
 * the CV for another reason (a job's "Led the rewrite"), so the content-word
 * rule alone lets it through; here it must be one the source's own headline,
 * summary or positions use. The CV's own names of skills, tools and projects
 * are not seniority where the summary lists them as skills ("Relevant
 * skills: Product-Led Growth, Lead Generation."); in a sentence, another
 * list or a headline they are a claim.
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
  let names: string[] | undefined;
  for (const key of ["label", "summary"] as const) {
    const text = basics[key];
    if (typeof text !== "string") continue;
    // Only the summary lists the CV's names ("Relevant skills: …"); a headline of them is a title.
    names ??= namesWithSeniority(source, norm);
    const read = key === "summary" ? listedNamesOut(norm(text), names) : norm(text);
    // A word the CV lacks altogether is the content-word rule's to report.
    const senior = [
      ...new Set(
        foldedWords(read).filter((w) => SENIORITY_WORDS.has(stem(w)) && inSource(stem(w)) && !stated().has(stem(w))),
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

/** The source's names (skills and their keywords, projects, certificates) that hold a seniority word, lower-cased. */
const namesWithSeniority = (source: Resume, norm: (text: string) => string): string[] => {
  const texts = [
    ...(source.skills ?? []).flatMap((s) => [s.name, ...(s.keywords ?? [])]),
    ...(source.projects ?? []).map((p) => p.name),
    ...(source.certificates ?? []).map((c) => c.name),
  ];
  return (
    texts
      .filter((t): t is string => typeof t === "string")
      .map((t) => norm(t).toLowerCase())
      // A seniority word inside a longer name ("Product-Led Growth"); a name that is one ("Lead") proves nothing.
      .filter((t) => {
        const words = foldedWords(t);
        return words.some((w) => SENIORITY_WORDS.has(stem(w))) && words.some((w) => !SENIORITY_WORDS.has(stem(w)));
      })
      .sort((a, b) => b.length - a.length)
  );
};

/**
 * `text` with each of `names` blanked out where it stands as an item of a list of skills: after "skills:"
 * (the engines' "Relevant skills: Product-Led Growth, Onboarding."), between the list's commas or semicolons,
 * up to its full stop. Anywhere else ("Product manager, Team Lead.", "Team lead on payments",
 * "Senior Care-Giver") it is a claim, and stays.
 */
const listedNamesOut = (text: string, names: readonly string[]): string => {
  if (names.length === 0) return text;
  let lower = text.toLowerCase();
  for (const list of lower.matchAll(/\bskills?\s?:/g)) {
    const from = list.index + list[0].length;
    const stop = lower.indexOf(".", from);
    const end = stop < 0 ? lower.length : stop;
    for (const name of names) {
      for (let at = lower.indexOf(name, from); at >= 0 && at + name.length <= end; at = lower.indexOf(name, at + 1)) {
        let i = at - 1;
        while (i >= from && lower[i] === " ") i--;
        let j = at + name.length;
        while (j < end && lower[j] === " ") j++;
        const opens = i < from || ",;".includes(lower[i]!);
        const closes = j >= end || ",;".includes(lower[j]!);
        if (opens && closes) lower = lower.slice(0, at) + " ".repeat(name.length) + lower.slice(at + name.length);
      }
    }
  }
  return lower;
};
