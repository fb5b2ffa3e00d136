/**
 * HTML built from tagged templates: every interpolated value is escaped
 * unless it is already `Html` (a fragment built the same way). Message bodies,
 * job texts and email subjects are attacker-controlled; nothing reaches a page
 * without passing through here.
 */

/** A fragment of markup that is safe to insert as is: only `html` and `joinHtml` make one. */
export class Html {
  readonly #text: string;
  constructor(text: string, token: typeof MINT) {
    if (token !== MINT) throw new TypeError("Html is made by the html tag, not by hand");
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
}
const MINT = Symbol("html");

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for element content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

const render = (value: Value): string => {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.toString();
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
};

export const html = (strings: TemplateStringsArray, ...values: Value[]): Html => {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? "");
  return new Html(out, MINT);
};
