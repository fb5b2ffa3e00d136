import type { Resume } from "../resume/resume.ts";
import { type ResumeOutline, resumeOutline } from "../resume/resume-outline.ts";
import { isSpace } from "../resume/whitespace.ts";

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const HTML_SPECIAL = /[&<>"']/;
export const escapeHtml = (text: string): string =>
  HTML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;

/** Only web and mail links; anything else (javascript:, data:) is shown as text. */
const safeHref = (href: string | undefined): string | undefined =>
  href !== undefined && /^(https?:\/\/|mailto:)[^\s]+$/i.test(href) ? href : undefined;

/** Characters an address in a Markdown link may not hold: spaces, quotes, angle brackets, brackets, backslashes. */
const NOT_IN_ADDRESS = new Set([..." \t\r\n\f\v\"'<>[]\\"]);

/**
 * The end (index of the closing parenthesis) of the address of a Markdown
 * link whose `(` is at `from - 1`, or -1: one level of parentheses allowed
 * inside it, as in Wikipedia's addresses.
 */
const addressEnd = (text: string, from: number): number => {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (NOT_IN_ADDRESS.has(c) || isSpace(text.charCodeAt(i))) return -1;
    if (c === "(") {
      if (++depth > 1) return -1;
    } else if (c === ")") {
      if (depth === 0) return i > from ? i : -1;
      depth--;
    }
  }
  return -1;
};

/**
 * CV text as HTML: escaped, except that a Markdown link the CV writes
 * ("[Google Play Store](https://…)") becomes a link when it points at a web
 * or mail address; any other (javascript:, data:) stays text, escaped. A scan,
 * not a regular expression: the link text ends at the next bracket and an
 * address holds no bracket, so no character is read more than twice.
 */
export const richText = (text: string): string => {
  if (!text.includes("](")) return escapeHtml(text);
  let out = "";
  let last = 0;
  let open = text.indexOf("[");
  while (open >= 0) {
    let close = open + 1;
    while (close < text.length && text[close] !== "[" && text[close] !== "]" && text[close] !== "\n") close++;
    if (text[close] === "[") {
      open = close;
      continue;
    }
    if (text[close] !== "]") break;
    const end = close > open + 1 && text[close + 1] === "(" ? addressEnd(text, close + 2) : -1;
    const href = end < 0 ? undefined : safeHref(text.slice(close + 2, end));
    if (href !== undefined) {
      out += `${escapeHtml(text.slice(last, open))}<a href="${escapeHtml(href)}">${escapeHtml(text.slice(open + 1, close))}</a>`;
      last = end + 1;
    }
    open = text.indexOf("[", href === undefined ? close + 1 : end + 1);
  }
  return out + escapeHtml(text.slice(last));
};

const CSS = `body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{margin:0;font-size:1.9rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:1.6rem;font-size:1.2rem;text-transform:uppercase;letter-spacing:.04em}
h3{margin:.9rem 0 .1rem;font-size:1.02rem}.label{margin:.2rem 0;color:#57606a;font-size:1.1rem}.contact{margin:.4rem 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.3rem 1rem;color:#57606a}
.meta{color:#57606a;font-size:.9rem;margin:0}p{margin:.35rem 0}ul{margin:.3rem 0 .3rem 1.2rem;padding:0}a{color:#0969da}`;

/** A tailored CV as one standalone HTML document: inline CSS, every text escaped, no external assets. */
export const renderHtml = (cv: Resume, outline: ResumeOutline = resumeOutline(cv)): string => {
  const e = escapeHtml;
  const parts: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(outline.name)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    "<header>",
    `<h1>${e(outline.name)}</h1>`,
  ];
  if (outline.label) parts.push(`<p class="label">${e(outline.label)}</p>`);
  if (outline.contact.length > 0) {
    const items = outline.contact.map((c) => {
      const href = safeHref(c.href);
      return `<li>${href ? `<a href="${e(href)}">${e(c.text)}</a>` : e(c.text)}</li>`;
    });
    parts.push(`<ul class="contact">${items.join("")}</ul>`);
  }
  parts.push("</header>", "<main>");
  for (const section of outline.sections) {
    parts.push("<section>", `<h2>${e(section.title)}</h2>`);
    for (const entry of section.entries) {
      if (entry.heading) parts.push(`<h3>${e(entry.heading)}</h3>`);
      if (entry.meta) parts.push(`<p class="meta">${e(entry.meta)}</p>`);
      for (const p of entry.paragraphs) parts.push(`<p>${richText(p)}</p>`);
      if (entry.bullets.length > 0)
        parts.push(`<ul>${entry.bullets.map((b) => `<li>${richText(b)}</li>`).join("")}</ul>`);
    }
    parts.push("</section>");
  }
  parts.push("</main>", "</body>", "</html>");
  return `${parts.join("\n")}\n`;
};
