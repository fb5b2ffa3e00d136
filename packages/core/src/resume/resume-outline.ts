import { formatDateRange } from "./render-resume-text.ts";
import type { Resume } from "./resume.ts";
import { employerOf } from "./text-leaves.ts";

/** A format-neutral outline of a CV, shared by the Markdown and HTML renderers. */
export interface OutlineEntry {
  readonly heading: string;
  readonly meta?: string;
  readonly paragraphs: readonly string[];
  readonly bullets: readonly string[];
}

export interface OutlineSection {
  readonly title: string;
  readonly entries: readonly OutlineEntry[];
}

export interface ResumeOutline {
  readonly name: string;
  readonly label?: string;
  readonly contact: readonly { readonly text: string; readonly href?: string }[];
  readonly sections: readonly OutlineSection[];
}

const s = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(s).filter((x): x is string => x !== undefined) : [];
const join = (parts: readonly (string | undefined)[], sep: string): string | undefined => {
  const out = parts.filter((p): p is string => p !== undefined && p !== "").join(sep);
  return out === "" ? undefined : out;
};
const entry = (
  heading: string | undefined,
  meta: string | undefined,
  paragraphs: unknown[],
  bullets: unknown,
): OutlineEntry => ({
  heading: heading ?? "",
  ...(meta === undefined ? {} : { meta }),
  paragraphs: paragraphs.map(s).filter((x): x is string => x !== undefined),
  bullets: strings(bullets),
});
const range = (e: Record<string, unknown>, openEnded: boolean): string | undefined =>
  s(formatDateRange(s(e["startDate"]), s(e["endDate"]), "month", openEnded));
/** A single date (an award's, a publication's) written as work dates are: "2018-01-14" → "Jan 2018". */
const day = (date: unknown): string | undefined => s(formatDateRange(s(date), undefined, "month", false));

export const resumeOutline = (cv: Resume): ResumeOutline => {
  const b = cv.basics ?? {};
  const location = join([b.location?.city, b.location?.region, b.location?.countryCode], ", ");
  const contact: { text: string; href?: string }[] = [];
  if (s(b.email)) contact.push({ text: b.email!, href: `mailto:${b.email}` });
  if (s(b.phone)) contact.push({ text: b.phone! });
  const url = s(b.url) ?? s(b["website"]);
  if (url) contact.push({ text: url, href: url });
  if (location) contact.push({ text: location });
  for (const p of b.profiles ?? []) {
    if (s(p.url)) contact.push({ text: `${p.network ?? "Profile"}: ${p.url}`, href: p.url! });
    else if (s(p.username)) contact.push({ text: `${p.network ?? "Profile"}: ${p.username}` });
  }

  const sections: OutlineSection[] = [];
  const add = (title: string, entries: OutlineEntry[]): void => {
    if (entries.length > 0) sections.push({ title, entries });
  };
  // One paragraph per line (blank and whitespace-only pieces are dropped by `entry`).
  if (s(b.summary)) add("Summary", [entry(undefined, undefined, b.summary!.split("\n"), [])]);
  add(
    "Experience",
    (cv.work ?? []).map((w) =>
      entry(
        join([s(w.position), s(employerOf(w))], " — "),
        join([range(w, true), s(w.location)], " · "),
        [w.summary ?? w.description],
        w.highlights,
      ),
    ),
  );
  add(
    "Projects",
    (cv.projects ?? []).map((p) =>
      entry(s(p.name), join([range(p, false), s(p.url)], " · "), [p.description], p.highlights),
    ),
  );
  add(
    "Skills",
    (cv.skills ?? []).map((k) => {
      const keywords = strings(k.keywords).join(", ");
      return entry(
        undefined,
        undefined,
        [keywords === "" ? k.name : s(k.name) ? `${k.name}: ${keywords}` : keywords],
        [],
      );
    }),
  );
  add(
    "Education",
    (cv.education ?? []).map((e) =>
      entry(
        join([join([s(e.studyType), s(e.area)], " in "), s(e.institution)], " — "),
        range(e, false),
        [e.score],
        e.courses,
      ),
    ),
  );
  add(
    "Volunteering",
    (cv.volunteer ?? []).map((v) =>
      entry(join([s(v["position"]), s(v["organization"])], " — "), range(v, true), [v["summary"]], v["highlights"]),
    ),
  );
  add(
    "Certificates",
    (cv.certificates ?? []).map((c) => entry(join([s(c["name"]), s(c["issuer"])], " — "), day(c["date"]), [], [])),
  );
  add(
    "Awards",
    (cv.awards ?? []).map((a) =>
      entry(join([s(a["title"]), s(a["awarder"])], " — "), day(a["date"]), [a["summary"]], []),
    ),
  );
  add(
    "Publications",
    (cv.publications ?? []).map((p) =>
      entry(join([s(p["name"]), s(p["publisher"])], " — "), day(p["releaseDate"]), [p["summary"]], []),
    ),
  );
  add(
    "Languages",
    (cv.languages ?? []).map((l) =>
      entry(undefined, undefined, [join([s(l["language"]), s(l["fluency"])], " — ")], []),
    ),
  );
  add(
    "Interests",
    (cv.interests ?? []).map((i) =>
      entry(undefined, undefined, [join([s(i["name"]), strings(i["keywords"]).join(", ") || undefined], ": ")], []),
    ),
  );
  return {
    name: s(b.name) ?? "Curriculum Vitae",
    ...(s(b.label) ? { label: b.label!.trim() } : {}),
    contact,
    sections,
  };
};
