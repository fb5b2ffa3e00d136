import type { Resume, ResumeEducation, ResumeProject, ResumeWork } from "./resume.ts";
import { oneLine, splitParagraphs } from "./whitespace.ts";

/**
 * JSON Resume → plain text / Markdown, the way people write CVs by hand.
 * `parseTextCv` reads every variant back; the round trip is its test.
 */
export interface RenderTextOptions {
  /** `markdown`: `#`/`##`/`###` headings; `plain`: ALL-CAPS section lines, entries separated by blank lines. */
  readonly headings?: "markdown" | "plain";
  /** `month`: "Jun 2022 – Present"; `iso`: "2022-06 - 2024-05"; `slash`: "06/2022 to Present". */
  readonly dates?: "month" | "iso" | "slash";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const formatDate = (iso: string, style: RenderTextOptions["dates"]): string => {
  const [year, month] = iso.split("-");
  if (month === undefined) return year ?? iso;
  if (style === "iso") return `${year}-${month}`;
  if (style === "slash") return `${month}/${year}`;
  return `${MONTHS[Number(month) - 1] ?? ""} ${year}`.trim();
};

export const formatDateRange = (
  start: string | undefined,
  end: string | undefined,
  style: RenderTextOptions["dates"] = "month",
  openEnded = true,
): string => {
  if (start === undefined) return end === undefined ? "" : formatDate(end, style);
  const sep = style === "iso" ? " - " : style === "slash" ? " to " : " – ";
  const endText = end !== undefined ? formatDate(end, style) : openEnded ? "Present" : "";
  return endText === "" ? formatDate(start, style) : `${formatDate(start, style)}${sep}${endText}`;
};

/** A field's text, on one line (every line-break form folded): a break inside a name or a title would start a new line of the CV. */
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? oneLine(v) : undefined);

export const renderResumeText = (cv: Resume, options: RenderTextOptions = {}): string => {
  const md = (options.headings ?? "markdown") === "markdown";
  const dates = options.dates ?? "month";
  const lines: string[] = [];
  const section = (title: string): void => {
    lines.push("", md ? `## ${title}` : title.toUpperCase(), "");
  };
  const entry = (title: string): void => {
    lines.push(md ? `### ${title}` : title);
  };
  const bullets = (items: readonly string[] | undefined): void => {
    for (const h of items ?? []) lines.push(`- ${oneLine(h)}`);
  };

  const b = cv.basics ?? {};
  const name = str(b.name) ?? "Curriculum Vitae";
  lines.push(md ? `# ${name}` : name);
  if (str(b.label)) lines.push(str(b.label)!);
  const location = [b.location?.city, b.location?.region]
    .map(str)
    .filter((p) => p !== undefined)
    .join(", ");
  const contact = [b.email, b.phone, b.url ?? b["website"], location].map(str).filter((p) => p !== undefined);
  if (contact.length > 0) lines.push(contact.join(" | "));
  const profiles = (b.profiles ?? [])
    .filter((p) => str(p.url))
    .map((p) => `${str(p.network) ?? "Profile"}: ${str(p.url)}`);
  if (profiles.length > 0) lines.push(profiles.join(" | "));

  if (str(b.summary)) {
    section("Summary");
    lines.push(...splitParagraphs(b.summary!).map(oneLine));
  }

  const workEntry = (w: ResumeWork, employer: string | undefined): void => {
    lines.push("");
    entry([str(w.position), employer].filter(Boolean).join(" — "));
    const when = formatDateRange(str(w.startDate), str(w.endDate), dates);
    const meta = [when, str(w.location)].filter(Boolean).join(" · ");
    if (meta) lines.push(meta);
    const summary = str(w.summary) ?? str(w.description);
    if (summary) lines.push("", summary);
    if ((w.highlights ?? []).length > 0) lines.push("");
    bullets(w.highlights);
  };

  if ((cv.work ?? []).length > 0) {
    section("Experience");
    for (const w of cv.work ?? []) workEntry(w, str(w.name) ?? str(w["company"]));
  }

  if ((cv.projects ?? []).length > 0) {
    section("Projects");
    for (const p of cv.projects ?? []) projectEntry(p);
  }
  function projectEntry(p: ResumeProject): void {
    lines.push("");
    entry(str(p.name) ?? "Project");
    const when = formatDateRange(str(p.startDate), str(p.endDate), dates, false);
    if (when) lines.push(when);
    if (str(p.description)) lines.push("", str(p.description)!);
    if ((p.highlights ?? []).length > 0) lines.push("");
    bullets(p.highlights);
  }

  if ((cv.education ?? []).length > 0) {
    section("Education");
    for (const e of cv.education ?? []) educationEntry(e);
  }
  function educationEntry(e: ResumeEducation): void {
    lines.push("");
    const degree = [str(e.studyType), str(e.area)].filter(Boolean).join(" in ");
    entry([degree, str(e.institution)].filter(Boolean).join(" — "));
    const when = formatDateRange(str(e.startDate), str(e.endDate), dates, false);
    if (when) lines.push(when);
  }

  if ((cv.skills ?? []).length > 0) {
    section("Skills");
    for (const s of cv.skills ?? []) {
      const keywords = (s.keywords ?? []).map(str).filter((k) => k !== undefined);
      if (str(s.name) && keywords.length > 0) lines.push(`- ${str(s.name)}: ${keywords.join(", ")}`);
      else if (str(s.name)) lines.push(`- ${str(s.name)}`);
      else if (keywords.length > 0) lines.push(`- ${keywords.join(", ")}`);
    }
  }

  if ((cv.languages ?? []).length > 0) {
    section("Languages");
    for (const l of cv.languages ?? []) {
      const name = str(l["language"]);
      if (name) lines.push(`- ${name}${str(l["fluency"]) ? ` (${str(l["fluency"])})` : ""}`);
    }
  }
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
};
