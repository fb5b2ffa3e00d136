import { DUTY_HEADING, OFFER_HEADING, REQUIREMENT_HEADING } from "./job-ad-words.ts";

/**
 * A posting's text as lines to read, each with the section it stands in: the layout of an ad, apart from
 * the reading of its phrases (requirement-phrases.ts). Lines wrapped at a fixed width are joined again,
 * headings (Markdown, a colon, or a bare line that reads as one) set the section of the lines under them,
 * what the employer offers is left out, and web addresses, file paths, set phrases and acronyms that
 * restate the words before them are taken out of each line.
 */

/** Where a line stands: the posting's prose, its duties, or what it asks for. */
export const Section = { Text: 0, Duty: 1, Requirement: 2 } as const;
export type Section = (typeof Section)[keyof typeof Section];

export interface PostingLines {
  /** The lines to read (headings and what the employer offers left out), with their section. */
  readonly lines: readonly { readonly line: string; readonly section: Section }[];
  /** Whether a heading marks duties or requirements: then the rest is prose about the company. */
  readonly marked: boolean;
}

export const postingLines = (description: string): PostingLines => {
  const read = unwrapped(description.split("\n")).map((raw) => {
    const line = withoutAcronyms(withoutIdioms(withoutAddresses(raw)))
      .replace(BULLET, "")
      .trim();
    return { line, heading: BULLET.test(raw) ? undefined : headingOf(line) };
  });
  const marked = read.some((l) => l.heading === Section.Duty || l.heading === Section.Requirement);
  const lines: { line: string; section: Section }[] = [];
  let section: Section | typeof OFFER = Section.Text;
  for (const { line, heading } of read) {
    if (line === "") continue;
    if (heading !== undefined) section = heading;
    // What the employer offers ("Benefits:", "What we offer") names no requirement, whatever it lists.
    else if (section !== OFFER) lines.push({ line, section });
  }
  return { lines, marked };
};

/**
 * `line` without its web addresses and file paths (each whitespace-separated chunk that holds one):
 * "https://…", "www.…", "the31337/jobs/kiddom/lead-android-engineer.md" ("HTML/CSS/JavaScript" stays).
 */
const withoutAddresses = (line: string): string =>
  line.includes("://") || line.includes("www.") || line.includes("/")
    ? line
        .split(" ")
        .map((chunk) => (chunk.includes("://") || chunk.includes("www.") || isPath(chunk) ? "" : chunk))
        .join(" ")
    : line;
/** Three segments or more, in lower case, with a digit, a hyphen or a file's extension: a path, not alternatives. */
const isPath = (chunk: string): boolean =>
  /^[a-z0-9._~-]+(?:\/[a-z0-9._~-]+){2,}\/?$/.test(chunk) && /[\d-]|\.[a-z]{1,5}$/.test(chunk);

/**
 * Set phrases of job ads that name no requirement, taken out before reading: "on the front lines",
 * "subject matter expert" (a role: "a security subject matter expert" asks for security).
 */
const IDIOMS =
  /\b(?:on|at|in) the (?:front ?lines?|forefront|trenches|cutting edge|leading edge)\b|\bsubject[- ]matter\b/gi;
const withoutIdioms = (line: string): string => line.replace(IDIOMS, " ");

/**
 * An acronym in brackets that spells the words before it ("user interfaces (UIs)", "Infrastructure as a
 * Service (IaaS)", "Certified Payroll Professional (CPP)") restates them: one requirement, written out.
 */
const ACRONYM = /\(([A-Z][A-Za-z&]{1,7})\)/g;
const withoutAcronyms = (line: string): string =>
  line.includes("(")
    ? line.replace(ACRONYM, (whole, acronym: string, at: number) =>
        spells(acronym, line.slice(Math.max(0, at - 80), at)) ? " " : whole,
      )
    : line;
/** Whether `acronym`'s capitals are the initials of the last words of `before`, function words aside. */
const spells = (acronym: string, before: string): boolean => {
  const letters = acronym
    .replace(/s$/, "")
    .replace(/[^A-Z]/g, "")
    .toLowerCase();
  if (letters.length < 2) return false;
  const words = before
    .split(/[\s/-]+/)
    .filter((w) => /^[A-Za-z]/.test(w) && !["a", "an", "as", "of", "and", "the", "for", "&"].includes(w.toLowerCase()));
  const initials = words
    .slice(-letters.length)
    .map((w) => w[0]!.toLowerCase())
    .join("");
  return initials === letters;
};

const BULLET = /^\s*(?:[-*•+]|\d+[.)])\s+/;
/** Where a wrapped line's sentence goes on: a comma, a conjunction, a preposition or an article at its end. */
const OPEN_END = /(?:[,;&/-]|\b(?:and|or|of|the|a|an|to|in|for|with|as|on|at|by|from|including|such))$/i;
/**
 * Lines joined where the text was wrapped, as Markdown reads a paragraph ("… task\nanalysis, conceptual
 * modeling"): a line goes on the one before when it starts in lower case or the one before ends open, unless it
 * is a bullet, a heading, or follows one (a list that lost its bullets keeps a capital at each line's start).
 */
const unwrapped = (raw: readonly string[]): string[] => {
  const out: string[] = [];
  for (const line of raw) {
    const previous = out[out.length - 1];
    const continues =
      previous !== undefined &&
      previous.trim() !== "" &&
      line.trim() !== "" &&
      !BULLET.test(line) &&
      !/^\s*#/.test(line) &&
      !/^\s*#/.test(previous) &&
      !previous.trimEnd().endsWith(":") &&
      (/^\s*[a-z]/.test(line) || OPEN_END.test(previous.trimEnd()));
    if (continues) out[out.length - 1] = `${previous.trimEnd()} ${line.trim()}`;
    else out.push(line);
  }
  return out;
};

/**
 * A heading sets the context of the lines under it ("Qualifications:", "## What you'll do"): a Markdown
 * heading of up to 12 words, or a line of up to 8 ending in a colon ("Who you are and what you will own:").
 */
const headingOf = (line: string): Section | typeof OFFER | undefined => {
  const markdown = /^#+\s*/.test(line);
  // A line set in bold ("**Qualifications**", "__What you'll do:__") or in capitals ("WHAT YOU'LL DO") is one too.
  const bold = /^(\*\*|__)(.+)\1:?$/.exec(line)?.[2];
  // Capitals only where the line reads as a heading: "CPR/BLS REQUIRED" stays a line to read.
  const capitals =
    /[A-Z]{2}/.test(line) &&
    !/[a-z]/.test(line) &&
    !/[.!,;]$/.test(line) &&
    (HEADING_START.test(line) || OFFER_HEADING.test(line) || REQUIREMENT_HEADING.test(line) || DUTY_HEADING.test(line));
  const text = markdown
    ? line.replace(/^#+\s*/, "")
    : bold !== undefined
      ? bold.replace(/:$/, "")
      : line.endsWith(":")
        ? line.slice(0, -1)
        : capitals
          ? line.replace(/\?$/, "")
          : "";
  if (text === "" || text.split(/\s+/).length > (markdown ? 12 : 8)) return bareHeading(line);
  if (OFFER_HEADING.test(text) || /^why\b/i.test(text)) return OFFER;
  return REQUIREMENT_HEADING.test(text) ? Section.Requirement : DUTY_HEADING.test(text) ? Section.Duty : Section.Text;
};
/** How a heading starts ("What you'll do", "About us", "Key responsibilities", "Nice to have"). */
const HEADING_START =
  /^(?:What|Who|Why|How|About|Your|The|Our|Key|Perks|Benefits|Requirements|Qualifications|Responsibilities|Duties|Skills|Nice)\b/i;

/**
 * A heading as careers sites write it, on a line of its own with no mark ("The role", "What we offer",
 * "Perks of joining the crew"): a short line without a sentence's end, that starts like a heading.
 */
const bareHeading = (line: string): Section | typeof OFFER | undefined => {
  if (!HEADING_START.test(line)) return undefined;
  if (/[.!,;]$/.test(line) || line.split(/\s+/).length > 6) return undefined;
  // "Why Ironbridge?", "Why join us": the employer's pitch.
  if (OFFER_HEADING.test(line) || /^Why\b/.test(line)) return OFFER;
  // "The role", "About the position": a paragraph about the job, prose rather than its list of duties.
  if (/\b(?:the|this|your) (?:role|position|opportunity)\b/i.test(line)) return Section.Text;
  return REQUIREMENT_HEADING.test(line) ? Section.Requirement : DUTY_HEADING.test(line) ? Section.Duty : Section.Text;
};
/** The section of what the employer offers: its lines are skipped. */
const OFFER = "offer";
