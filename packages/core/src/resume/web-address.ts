/**
 * Where a web address starts, defined once for every reader of CV and model text: a scheme
 * (`http://`, `https://`) or `www.`, in any case. The PII redactor, the CV header reader, the term
 * reader and the verifier's address check each build what they need from it; each stops an
 * address at characters of its own (a header's `|`, `,`, `;` separate contacts; prose's quotes and
 * brackets enclose one).
 */
export const URL_START_SOURCE = String.raw`(?:https?:\/\/|www\.)`;

/** An address starting anywhere in a text. */
export const URL_START = /* @__PURE__ */ new RegExp(URL_START_SOURCE, "i");
/** An address starting exactly at `lastIndex` (a forward scan). */
export const URL_START_AT = /* @__PURE__ */ new RegExp(URL_START_SOURCE, "iy");

/** Built at load from constants only (text-patterns.test.ts checks them). */
export const TEXT_PATTERNS: readonly RegExp[] = [URL_START, URL_START_AT];
