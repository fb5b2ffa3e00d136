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
  const raw = unwrapped(description.split("\n"));
  const read = raw.map((text, i) => {
    const line = withoutStatement(withoutAcronyms(withoutIdioms(withoutAddresses(text))))
      .replace(BULLET, "")
      .trim();
    const bullet = BULLET.test(text);
    // A bare heading stands apart: first, after a blank line or after a list's last bullet (an item of a list
    // without bullets does not).
    const apart = i === 0 || raw[i - 1]!.trim() === "" || BULLET.test(raw[i - 1]!);
    return { line, bullet, apart, heading: bullet ? undefined : headingOf(line, apart) };
  });
  const marked = read.some((l) => l.heading === Section.Duty || l.heading === Section.Requirement);
  const lines: { line: string; section: Section }[] = [];
  let section: Section | typeof OFFER = Section.Text;
  for (const { line, bullet, apart, heading } of read) {
    if (line === "") continue;
    if (heading !== undefined) section = heading;
    // What the employer offers ("Benefits:", "What we offer") names no requirement, whatever it lists,
    // up to a paragraph of its own after a blank line ("You must know Rust …").
    else if (section !== OFFER) lines.push({ line, section });
    else if (apart && !bullet) {
      section = Section.Text;
      lines.push({ line, section });
    }
  }
  return { lines, marked };
};

/** The employer's statement ("… is an equal opportunity employer"), not the law a requirement may name ("EEO, FMLA"). */
const EQUAL_OPPORTUNITY = /\b(?:equal (?:employment )?opportunity|affirmative action|EEO) employer\b/i;
/**
 * `line` less the equal-opportunity statement: from its sentence to the line's end (the statement closes an
 * ad, and what follows it in its paragraph is more of it: "… including Indigenous peoples"); what comes
 * before it stays.
 */
const withoutStatement = (line: string): string => {
  if (!EQUAL_OPPORTUNITY.test(line)) return line;
  const sentences = line.split(/(?<=[.!?])\s+/);
  return sentences
    .slice(
      0,
      sentences.findIndex((sentence) => EQUAL_OPPORTUNITY.test(sentence)),
    )
    .join(" ");
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
/**
 * Three segments or more ending in a document's extension: a path ("18F/joining-18f/_positions/designer.md"),
 * not alternatives ("react/redux/next.js", "ec2/s3/lambda", "HTML5/CSS3/JavaScript").
 */
const isPath = (chunk: string): boolean =>
  /^[\w.~-]+(?:\/[\w.~-]+){2,}$/.test(chunk) &&
  /\.(?:md|markdown|html?|pdf|docx?|txt|json|ya?ml|php|aspx?)$/i.test(chunk);

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
/** The least length of a line that was wrapped (pasted text wraps at 30-80 columns; short list items are shorter). */
const WRAPPED = 25;
/** Where a wrapped line's sentence goes on: a comma, a conjunction, a preposition or an article (in lower case). */
const OPEN_END = /(?:[,;&/-]|\b(?:and|or|of|the|a|an|to|in|for|with|as|on|at|by|from|including|such))$/;
/**
 * Lines joined where the text was wrapped, as Markdown reads a paragraph ("… task\nanalysis, conceptual
 * modeling"): a line goes on the one before when it starts in lower case or the one before ends open, unless it
 * is a bullet or a heading, or follows one (a list that lost its bullets keeps a capital at each line's start).
 * Each physical line is looked at once.
 */
const unwrapped = (raw: readonly string[]): string[] => {
  const paragraphs: string[][] = [];
  let last: string | undefined;
  let opensHeading = false;
  // The paragraph's longest line: a paragraph wrapped in a narrow column has short lines after a long one.
  let longest = 0;
  for (const line of raw) {
    const trimmed = line.trim();
    const continues =
      last !== undefined &&
      last.trim() !== "" &&
      trimmed !== "" &&
      !opensHeading &&
      !BULLET.test(line) &&
      !trimmed.startsWith("#") &&
      !last.trimEnd().endsWith(":") &&
      headingOf(last.replace(BULLET, "").trim(), true) === undefined &&
      // A line in lower case goes on a wrapped one, not on a short item ("git", "npm and webpack").
      ((/^[a-z]/.test(trimmed) && Math.max(longest, last.trim().length) >= WRAPPED) || OPEN_END.test(last.trimEnd()));
    if (continues) {
      paragraphs[paragraphs.length - 1]!.push(trimmed);
      longest = Math.max(longest, trimmed.length);
    } else {
      paragraphs.push([line]);
      opensHeading = trimmed.startsWith("#");
      longest = trimmed.length;
    }
    last = line;
  }
  return paragraphs.map((p) => (p.length === 1 ? p[0]! : `${p[0]!.trimEnd()} ${p.slice(1).join(" ")}`));
};

/**
 * A heading sets the context of the lines under it ("Qualifications:", "## What you'll do"): a Markdown
 * heading of up to 12 words, or a line of up to 8 ending in a colon ("Who you are and what you will own:").
 */
const headingOf = (line: string, apart: boolean): Section | typeof OFFER | undefined => {
  const markdown = /^#+\s*/.test(line);
  // A line set in bold ("**Qualifications**", "__What you'll do:__") is one too.
  const bold = /^(\*\*|__)([^*_]+)\1:?$/.exec(line)?.[2];
  const text = markdown
    ? line.replace(/^#+\s*/, "")
    : bold !== undefined
      ? bold.replace(/:$/, "")
      : line.endsWith(":")
        ? line.slice(0, -1)
        : "";
  if (text === "" || text.split(/\s+/).length > (markdown ? 12 : 8)) return bareHeading(line, apart);
  if (OFFER_HEADING.test(text) || pitch(text)) return OFFER;
  return REQUIREMENT_HEADING.test(text) ? Section.Requirement : DUTY_HEADING.test(text) ? Section.Duty : Section.Text;
};

/** The employer's pitch ("Why Ironbridge?", "Why join us", "WHY WORK WITH US"), not "Why you're a great fit". */
const pitch = (text: string): boolean => /^why (?:join|work|choose|us\b)/i.test(text) || /^Why [A-Z]/.test(text);
/** A whole line that heads what the employer offers ("Perks & benefits", "What we offer"). */
const BARE_OFFER =
  /^(?:(?:our |the |your )?(?:benefits|perks)(?: (?:&|and) (?:benefits|perks))?(?: of .+)?|what we offer|(?:compensation|salary|pay)(?: (?:&|and) benefits)?|what(?:'|’)?s in it for you)\??$/i;
/** A whole line that heads prose about the company or the job ("About Bowfield", "The role", "Position summary"). */
const BARE_PROSE =
  /^(?:about .+|who we are|(?:the|this|your) (?:role|position|opportunity|team)|our (?:company|story|team|mission|culture)|overview|(?:position|role|job) (?:summary|overview))$/i;
/** A whole line that heads requirements ("Requirements", "Key qualifications", "What you'll need", "WHO YOU ARE"). */
const BARE_REQUIREMENT =
  /^(?:(?:key|core|minimum|basic|preferred|required|desired|additional|technical|essential|your) )?(?:requirements|qualifications|skills(?: (?:&|and) (?:experience|qualifications))?|experience|must[- ]haves|nice[- ]to[- ]haves?|bonus(?: points)?|about you|who you are|what you(?:'|’)?ll need|what you will need|what you bring|what we(?:'|’)?re looking for|what we are looking for|what we look for|you have|tech(?:nology|nical)? stack)\s?[?:]?$/i;
/** A whole line that heads duties ("Responsibilities", "Key responsibilities", "WHAT YOU'LL DO", "Your role"). */
const BARE_DUTY =
  /^(?:(?:key|main|core|primary|essential|your|job|the) )?(?:responsibilities|duties|what you(?:'|’)?ll do|what you will do|what you(?:'|’)?ll be doing|day[- ]to[- ]day|in this role|role|the work|objectives)\s?[?:]?$/i;

/**
 * A heading as careers sites write it, on a line of its own with no mark ("The role", "What we offer",
 * "WHAT YOU'LL DO", "Key Responsibilities"): a short line that stands apart (first, or after a blank line),
 * ends no sentence, and is a heading as a whole. "Skills in Python and Tableau" and "Benefits administration"
 * are lines of a list.
 */
const bareHeading = (line: string, apart: boolean): Section | typeof OFFER | undefined => {
  if (!apart || /[.!,;]$/.test(line) || line.split(/\s+/).length > 6) return undefined;
  if (BARE_OFFER.test(line) || pitch(line)) return OFFER;
  if (BARE_PROSE.test(line)) return Section.Text;
  if (BARE_REQUIREMENT.test(line)) return Section.Requirement;
  if (BARE_DUTY.test(line)) return Section.Duty;
  return undefined;
};
/** The section of what the employer offers: its lines are skipped. */
const OFFER = "offer";
