/** Stage 2: the header lines (name, label, contact lines) read into `basics`. */
import { isEmailAddress } from "../../contracts/email-address.ts";
import { type Found, findEmails } from "../find-email.ts";
import { findPhone } from "../find-phone.ts";
import type { ResumeBasics } from "../resume.ts";
import { splitOnSeparators } from "../text-cv-lines.ts";
import { URL_START_SOURCE } from "../web-address.ts";
import { trimEndChars } from "../whitespace.ts";
import { stripMarkdown } from "./lines.ts";

// An address in a contact line ends at the line's separators (|, ",", ";") as well as at spaces and brackets.
const URL_RE = new RegExp(
  String.raw`\b${URL_START_SOURCE}[^\s|,;<>()]+|\b(?:linkedin\.com|github\.com|gitlab\.com|twitter\.com|x\.com)\/[^\s|,;<>()]+`,
  "i",
);
/** Built at load from constants only (text-patterns.test.ts checks them). */
export const TEXT_PATTERNS: readonly RegExp[] = [URL_RE];

const NETWORKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/linkedin\.com/i, "LinkedIn"],
  [/github\.com/i, "GitHub"],
  [/gitlab\.com/i, "GitLab"],
  [/(?:twitter|x)\.com/i, "Twitter"],
  [/stackoverflow\.com/i, "Stack Overflow"],
];

const normalizeUrl = (raw: string): string | undefined => {
  const url = trimEndChars(raw, ".)]");
  const withScheme = /^https?:\/\//i.test(url) ? url : `https://${url}`;
  try {
    return new URL(withScheme).href === "" ? undefined : withScheme;
  } catch {
    return undefined;
  }
};

/**
 * The e-mail address of a contact line: basics.email must pass the JSON Resume schema's (ASCII)
 * e-mail format, so an address found in the text that is not one whole well-formed address
 * (`josé@empresa.es`, `x@acme.c0m`) stays text; the first one that is, is the address.
 */
const contactEmail = (text: string): Found | undefined => findEmails(text).find((m) => isEmailAddress(m.text));

export const parseHeader = (raw: readonly string[]): ResumeBasics => {
  const basics: ResumeBasics = {};
  const lines = raw.map(stripMarkdown).filter((l) => l !== "");
  const prose: string[] = [];
  const profiles: NonNullable<ResumeBasics["profiles"]> = [];
  lines.forEach((line, index) => {
    if (index === 0 && contactEmail(line) === undefined && !URL_RE.test(line)) {
      basics.name = line;
      return;
    }
    const pieces = splitOnSeparators(line, "|•·", "–—", true)
      .map((p) => p.trim())
      .filter(Boolean);
    let contact = false;
    const rest: string[] = [];
    for (const piece of pieces) {
      const email = contactEmail(piece);
      const url = URL_RE.exec(piece);
      const phone = findPhone(piece);
      if (email && basics.email === undefined) {
        basics.email = email.text;
        contact = true;
      } else if (url) {
        const href = normalizeUrl(url[0]);
        const network = NETWORKS.find(([re]) => re.test(url[0]))?.[1] ?? /^([A-Za-z][\w ]*):\s/.exec(piece)?.[1];
        if (href !== undefined && network !== undefined) profiles.push({ network, url: href });
        else if (href !== undefined && basics.url === undefined) basics.url = href;
        contact = true;
      } else if (phone && phone.text.replace(/\D/g, "").length >= 7 && basics.phone === undefined) {
        basics.phone = phone.text.trim();
        contact = true;
      } else if (piece.length <= 60 && pieces.length > 1 && /^[A-Z][\w .'-]*,\s*[A-Z][\w .'-]*$/.test(piece)) {
        const [city, region] = piece.split(/,\s*/);
        basics.location = { city: city!, ...(region ? { region } : {}) };
        contact = true;
      } else {
        rest.push(piece);
      }
    }
    if (contact) return;
    if (basics.label === undefined && prose.length === 0 && line.length <= 120) basics.label = line;
    else prose.push(line);
  });
  if (profiles.length > 0) basics.profiles = profiles;
  if (prose.length > 0) basics.summary = prose.join(" ");
  return basics;
};
