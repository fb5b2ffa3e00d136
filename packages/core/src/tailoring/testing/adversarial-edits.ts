/**
 * For tests only: invented-claim edits of a CV (issue 14 §5's adversarial
 * set), made deterministically from the CV itself with a PRNG seeded by its
 * name. Structural edits invent or move whole entries and fields, mostly from
 * words found elsewhere in the CV (so no word-by-word check can catch them);
 * free-text edits add a lower-case claim to the summary or a highlight.
 */
import type { Resume } from "../../resume/resume.ts";
import { employerOf } from "../../resume/text-leaves.ts";

export type EditClass = "structural" | "free-text";

export interface AdversarialEdit {
  readonly cv: string;
  readonly kind: string;
  readonly class: EditClass;
  readonly resume: Resume;
}

/** mulberry32: a small, well-known seeded PRNG (deterministic across runs and platforms). */
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** FNV-1a of the CV's name: its seed. */
const seedOf = (name: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
};

const UNIVERSITIES = ["oxford", "cambridge", "stanford", "mit", "eth zurich", "harvard"];
const LANGUAGES = ["japanese", "mandarin", "german", "french", "portuguese", "korean"];
const TITLES = ["chief architect and founder", "founder and ceo", "head of engineering", "chief technology officer"];
const TOOLS = ["terraform", "kafka", "snowflake", "tensorflow", "elixir", "cobol"];
const BRANDS = ["google", "netflix", "openai", "nvidia", "spotify", "palantir"];
const SENIORITY = ["Senior", "Lead", "Principal", "Staff", "Head of"];

export const adversarialEdits = (name: string, cv: Resume): AdversarialEdit[] => {
  const random = prng(seedOf(name));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = JSON.stringify(cv).toLowerCase();
  /** The first item (from a seeded start) the CV does not already say: an edit must invent. */
  const invented = (items: readonly string[], claim: (item: string) => string): string => {
    const start = Math.floor(random() * items.length);
    for (let i = 0; i < items.length; i++) {
      const c = claim(items[(start + i) % items.length]!);
      if (!text.includes(c.replace(/\.$/, ""))) return c;
    }
    return claim(items[start]!);
  };
  const edits: AdversarialEdit[] = [];
  const add = (kind: string, cls: EditClass, change: (r: Resume) => unknown): void => {
    const resume = structuredClone(cv);
    if (change(resume) === false) return;
    edits.push({ cv: name, kind, class: cls, resume });
  };

  const work = cv.work ?? [];
  const employers = work.map((w) => employerOf(w)).filter((e): e is string => e !== undefined);
  const positions = work.map((w) => w.position).filter((p): p is string => p !== undefined);
  const skills = (cv.skills ?? []).flatMap((s) => s.keywords ?? []);
  const dates = work.map((w) => w.startDate).filter((d): d is string => d !== undefined);

  // ---------------------------------------------------------------- structural
  add("invented certificate", "structural", (r) => {
    if (skills.length === 0 || employers.length === 0) return false;
    r.certificates = [...(r.certificates ?? []), { name: pick(skills), issuer: pick(employers) }];
  });
  add("invented award", "structural", (r) => {
    if (positions.length === 0 || employers.length === 0) return false;
    r.awards = [...(r.awards ?? []), { title: pick(positions), awarder: pick(employers) }];
  });
  add("invented language", "structural", (r) => {
    const languages = r.languages ?? [];
    const own = languages.find((l) => typeof l.fluency === "string" && !/native/i.test(l.fluency));
    if (own !== undefined) own.fluency = "Native speaker";
    else if (skills.length > 0) r.languages = [...languages, { language: pick(skills), fluency: "Fluent" }];
    else return false;
  });
  add("highlight moved to another employer", "structural", (r) => {
    const withHighlights = (r.work ?? []).filter((w) => (w.highlights ?? []).length > 0);
    if (withHighlights.length < 2) return false;
    const from = pick(withHighlights);
    const to = pick(withHighlights.filter((w) => w !== from));
    const moved = from.highlights!.splice(Math.floor(random() * from.highlights!.length), 1)[0]!;
    to.highlights!.push(moved);
  });
  add("seniority upgrade in position", "structural", (r) => {
    const w = pick((r.work ?? []).filter((x) => x.position !== undefined));
    if (w === undefined) return false;
    const word = pick(SENIORITY.filter((s) => !w.position!.toLowerCase().includes(s.toLowerCase())));
    w.position = `${word} ${w.position!.replace(/^(senior|junior)\s+/i, "")}`;
  });
  add("changed dates", "structural", (r) => {
    const w = pick((r.work ?? []).filter((x) => /^\d{4}/.test(x.startDate ?? "")));
    if (w === undefined) return false;
    w.startDate = `${Number(w.startDate!.slice(0, 4)) - 1}${w.startDate!.slice(4)}`;
  });
  add("changed employer name", "structural", (r) => {
    if (new Set(employers).size < 2) return false;
    const w = pick((r.work ?? []).filter((x) => employerOf(x) !== undefined));
    if (w === undefined) return false;
    const other = pick(employers.filter((e) => e !== employerOf(w)));
    if (w.name !== undefined) w.name = other;
    else (w as Record<string, unknown>)["company"] = other;
  });
  add("meta.canonical changed", "structural", (r) => {
    r.meta = { ...(r.meta ?? {}), canonical: "https://attacker.example/cv.json" };
  });
  add("$schema changed", "structural", (r) => {
    r.$schema = "https://attacker.example/schema.json";
  });
  add("new employer entry", "structural", (r) => {
    const names = [...(cv.education ?? []).map((e) => e.institution), ...(cv.projects ?? []).map((p) => p.name)];
    const org = names.find((n): n is string => n !== undefined && !employers.includes(n)) ?? "Globex";
    if (positions.length === 0) return false;
    r.work = [
      { name: org, position: pick(positions), ...(dates.length > 0 ? { startDate: pick(dates) } : {}) },
      ...(r.work ?? []),
    ];
  });
  add("new education entry", "structural", (r) => {
    if (employers.length === 0 || skills.length === 0) return false;
    r.education = [...(r.education ?? []), { institution: pick(employers), studyType: "PhD", area: pick(skills) }];
  });

  // ---------------------------------------------------------------- free text
  const claims: [string, string][] = [
    ["clearance", invented(["active", "top secret", "current"], (c) => `holds an ${c} security clearance.`)],
    ["phd", invented(UNIVERSITIES, (u) => `phd from ${u}.`)],
    ["fluent language", invented(LANGUAGES, (l) => `fluent in ${l}.`)],
    ["founder/chief title", invented(TITLES, (t) => `${t}.`)],
    [
      "invented number",
      `grew revenue by ${17 + Math.floor(random() * 70)}% in ${2 + Math.floor(random() * 7)} quarters.`,
    ],
    ["invented tool", invented(TOOLS, (t) => `expert in ${t}.`)],
    ["lower-case brand", invented(BRANDS, (b) => `worked with ${b}.`)],
    ["invented degree in prose", invented(UNIVERSITIES, (u) => `graduated from ${u} with honours.`)],
  ];
  claims.forEach(([kind, claim], i) => {
    add(kind, "free-text", (r) => {
      // Alternately in the summary and in a highlight: both are prose a model writes.
      const owners = (r.work ?? []).filter((w) => (w.highlights ?? []).length > 0);
      if (i % 2 === 1 && owners.length > 0) {
        const w = pick(owners);
        const j = Math.floor(random() * w.highlights!.length);
        w.highlights![j] = `${w.highlights![j]} ${claim}`;
      } else {
        r.basics = { ...(r.basics ?? {}), summary: `${r.basics?.summary ?? ""} ${claim}`.trim() };
      }
    });
  });
  return edits;
};
