/**
 * Text as a reader sees it, for comparing a tailored CV with its source:
 * HTML entities decoded, Unicode width and look-alike letters folded,
 * invisible characters dropped, quotes, dashes (hyphen, non-breaking hyphen, figure dash, en and em dash,
 * minus) and spaces made uniform.
 */
import { isSpace } from "../resume/whitespace.ts";

// Letters from other scripts that look like Latin ones ("sеcurity" with a Cyrillic е).
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: "a",
  е: "e",
  о: "o",
  р: "p",
  с: "c",
  у: "y",
  х: "x",
  і: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ӏ: "l",
  ɡ: "g",
  α: "a",
  ο: "o",
  ν: "v",
  τ: "t",
  ι: "i",
  κ: "k",
  ρ: "p",
  υ: "u",
  χ: "x",
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join("")}]`, "g");

/** The patterns this module builds at run time (checked for linear-time matching by the tests). */
export const TEXT_PATTERNS: readonly RegExp[] = [CONFUSABLE_RE];

/** `&#x61;`, `&#97;` and the common named entities, as the text would display. */
export const decodeEntities = (text: string): string =>
  text
    .replace(/&#x([0-9a-f]{1,6});/gi, (_m, hex: string) =>
      String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff)),
    )
    .replace(/&#(\d{1,7});/g, (_m, dec: string) => String.fromCodePoint(Math.min(Number(dec), 0x10ffff)))
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_m, name: string) =>
      name === "amp"
        ? "&"
        : name === "lt"
          ? "<"
          : name === "gt"
            ? ">"
            : name === "quot"
              ? '"'
              : name === "apos"
                ? "'"
                : " ",
    );

const NON_ASCII = /[\u0080-\uffff]/;

/** `text.replace(/\s+/g, " ").trim()`, without building a new string when there is nothing to change. */
const collapseSpaces = (text: string): string => {
  const last = text.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c) && (c !== 0x20 || i === 0 || i === last || isSpace(text.charCodeAt(i + 1)))) {
      return text.replace(/\s+/g, " ").trim();
    }
  }
  return text;
};

/** Text as a reader sees it: entities decoded, width and look-alike letters folded, invisible characters gone. */
export const normalize = (text: string): string => {
  // Every entity starts with "&"; every invisible, look-alike, quote and dash folded below is outside ASCII.
  let t = (text.includes("&") ? decodeEntities(text) : text).normalize("NFKC").toLowerCase();
  if (NON_ASCII.test(t)) {
    t = t
      .replace(/[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g, "")
      .replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c)
      .replace(/[‘’]/g, "'")
      .replace(/[“”]/g, '"')
      .replace(/[\u2010-\u2015\u2212]/g, "-");
  }
  return collapseSpaces(t);
};
