/**
 * Mutations of a body's bytes rather than its value (broken JSON, other
 * encodings, empty and oversized bodies) and of its Content-Type.
 */

import type { Rng } from "@cvpipe/core/testing/random";
import { hugeString } from "./hostile-values.ts";

export interface RawBody {
  readonly label: string;
  readonly bytes: string | Buffer;
}

/** Texts derived from a valid JSON text; most do not parse, the rest parse to something else. */
export const rawMutations = (rng: Rng, text: string): RawBody[] => {
  const cut = rng.int(1, Math.max(text.length - 2, 1));
  const firstKey = /"([^"\\]+)":/.exec(text)?.[1] ?? "k";
  const utf8 = Buffer.from(text, "utf8");
  const at = rng.int(1, Math.max(utf8.length - 2, 1));
  const splice = (bytes: number[]) => Buffer.concat([utf8.subarray(0, at), Buffer.from(bytes), utf8.subarray(at)]);
  return [
    { label: `truncated at ${cut} of ${text.length}`, bytes: text.slice(0, cut) },
    { label: "first byte only", bytes: text.slice(0, 1) },
    { label: "trailing comma", bytes: text.replace(/}\s*$/, ",}") },
    { label: "single quotes", bytes: text.replace(/"/g, "'") },
    { label: "unquoted first key", bytes: text.replace(`"${firstKey}":`, `${firstKey}:`) },
    { label: "NaN member", bytes: `{"n":NaN,${text.slice(1)}` },
    { label: "Infinity member", bytes: `{"n":-Infinity,${text.slice(1)}` },
    { label: "undefined member", bytes: `{"n":undefined,${text.slice(1)}` },
    { label: "block comment", bytes: `/* comment */${text}` },
    { label: "line comment", bytes: `// comment\n${text}` },
    { label: "trailing garbage", bytes: `${text}garbage` },
    { label: "two documents", bytes: `${text}${text}` },
    { label: "XSSI prefix", bytes: `)]}'\n${text}` },
    { label: "BOM then truncated", bytes: `\ufeff${text.slice(0, cut)}` },
    { label: "hex escape", bytes: `{"x":"\\x41",${text.slice(1)}` },
    { label: "bad unicode escape", bytes: `{"x":"\\u12G4",${text.slice(1)}` },
    { label: "raw control character in a string", bytes: `{"x":"a\u0001\nb",${text.slice(1)}` },
    { label: "leading zero number", bytes: `{"x":0123,${text.slice(1)}` },
    { label: "unbalanced brackets", bytes: `${"[".repeat(rng.int(2, 5_000))}` },
    { label: "only whitespace", bytes: " \n\t\r " },
    { label: "empty", bytes: "" },
    { label: "null", bytes: "null" },
    { label: "true", bytes: "true" },
    { label: "number", bytes: "12345678901234567890" },
    { label: "string", bytes: JSON.stringify(text.slice(0, 200)) },
    { label: "array of the body", bytes: `[${text}]` },
    { label: "empty object", bytes: "{}" },
    { label: "array nested 100000 deep", bytes: `${"[".repeat(100_000)}${"]".repeat(100_000)}` },
    { label: "invalid UTF-8 byte 0xFF", bytes: splice([0xff]) },
    { label: "overlong UTF-8 '.' (C0 AE)", bytes: splice([0xc0, 0xae, 0xc0, 0xae]) },
    { label: "lone continuation bytes", bytes: splice([0x80, 0xbf]) },
    { label: "UTF-16LE body", bytes: Buffer.from(text, "utf16le") },
    { label: "UTF-16BE BOM", bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]) },
    { label: "NUL bytes", bytes: Buffer.alloc(rng.int(1, 4_096)) },
    { label: "form-encoded", bytes: `cv=${encodeURIComponent(text.slice(0, 300))}&job=x` },
    { label: "XML", bytes: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>` },
    { label: "duplicate keys, the last one null", bytes: `${text.replace(/}\s*$/, "")},"${firstKey}":null}` },
    { label: "random text", bytes: hugeString(rng, rng.int(1, 2_000)) },
  ];
};

/** Over the ingress's body limit (1 MiB) and over the gateway's (10 MB): valid JSON, refused by size. */
export const oversizedBodies = (text: string, limits: readonly number[]): RawBody[] =>
  limits.map((limit) => {
    // `{"pad":"` + pad + `",` + the text less its `{`: 9 bytes of framing; 16 more to be surely over.
    const pad = Math.max(limit + 1 - Buffer.byteLength(text) - 9 + 16, 0);
    return { label: `${limit + 1}+ bytes`, bytes: `{"pad":"${"p".repeat(pad)}",${text.slice(1)}` };
  });

/** Content types that are not JSON by any reading (the ingress must answer 415 whatever the body). */
export const NON_JSON_TYPES: readonly (string | undefined)[] = [
  undefined,
  "",
  "text/plain",
  "text/plain; charset=utf-8",
  "text/json",
  "text/html",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=fuzz",
  "application/xml",
  "application/jsonx",
  "application/json5",
  "application/javascript",
  "application/octet-stream",
  "image/png",
  "*/*",
  "application/*",
  "json",
  "application/",
  "applicaton/json",
  "application json",
  "application/x-json-stream",
];

/** JSON-family content types a server may accept: sent only with bodies refused for their content. */
export const JSON_ISH_TYPES: readonly string[] = [
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/json; charset=utf-16",
  "application/json; charset=latin1",
  "application/json;;;",
  "application/json; boundary=x; q=0.1",
  "application/problem+json",
  "application/vnd.cvpipe.v2+json",
  "application/json, text/plain",
];

/** The media type's essence: `Application/JSON; charset=x` → `application/json`. */
export const essence = (type: string | undefined): string => (type ?? "").split(";")[0]!.trim().toLowerCase();

/** Whether a content type is one the document lists for the body, or one of JSON's structured-syntax family. */
export const mayBeJson = (type: string | undefined, documented: readonly string[]): boolean => {
  const e = essence(type);
  return (
    documented.map((t) => essence(t)).includes(e) || /^application\/[\w.+-]+\+json$/.test(e) || e === "application/json"
  );
};
