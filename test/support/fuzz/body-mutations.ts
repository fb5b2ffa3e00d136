/**
 * Schema-guided mutations of a valid request body: at one field, a wrong type,
 * removal, a value past a documented bound (length, range, items, enum,
 * pattern, format), huge or deeply nested values, Unicode junk, traversal ids,
 * prompt injection, unexpected keys. Each mutation yields the JSON text to send
 * and the value to judge it by (deep nesting judged on a small stand-in).
 */

import type { Rng } from "@cvpipe/core/testing/random";
import type { JsonSchema } from "./api-model.ts";
import {
  BAD_DATES,
  DEEP_MARKER,
  type DeepSpec,
  deepJson,
  deepStandIn,
  EDGE_NUMBERS,
  hugeString,
  PROMPT_INJECTIONS,
  TRAVERSAL_IDS,
  UNICODE_JUNK,
} from "./hostile-values.ts";
import { allowedTypes, JSON_TYPES, type JsonType, pathText, type Site, typeOf, withValue } from "./json-schema.ts";

export interface MutatedBody {
  /** What was done, for the report: `body.job.title: huge string (250000 chars)` */
  readonly label: string;
  /** The body as a schema validator should judge it. */
  readonly value: unknown;
  /** The body on the wire. */
  readonly text: string;
}

export type MutationKind =
  | "wrong-type"
  | "remove"
  | "null"
  | "huge-string"
  | "too-short"
  | "enum"
  | "pattern"
  | "format"
  | "number-edge"
  | "deep"
  | "unicode"
  | "injection"
  | "traversal"
  | "too-many-items"
  | "no-items"
  | "extra-key"
  | "many-keys";

const SAMPLE_OF: Record<JsonType, unknown> = {
  null: null,
  boolean: false,
  integer: 7,
  number: 42.5,
  string: "fuzz",
  array: [1, "a", null],
  object: { k: "v" },
};

const EXTRA_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "$where",
  "tenantId",
  "userId",
  "jobId",
  "status",
  "../x",
  "",
  " ",
  "k\u0000",
  "\u202eyek",
  "a".repeat(300),
];

/** Which mutations make sense at a site. */
export const applicableKinds = (site: Site): MutationKind[] => {
  const s = site.schema;
  const type = typeOf(site.value);
  const kinds: MutationKind[] = ["wrong-type", "null", "deep", "unicode"];
  if (site.inObject) kinds.push("remove");
  if (type === "string") {
    kinds.push("huge-string", "injection", "traversal");
    if ((s?.["minLength"] ?? 0) > 0) kinds.push("too-short");
    if (s?.["pattern"]) kinds.push("pattern");
    if (s?.["format"]) kinds.push("format");
  }
  if (Array.isArray(s?.["enum"]) || s?.["const"] !== undefined) kinds.push("enum");
  if (type === "integer" || type === "number") kinds.push("number-edge");
  if (type === "array") {
    kinds.push("too-many-items");
    if ((s?.["minItems"] ?? 0) > 0) kinds.push("no-items");
  }
  if (type === "object") kinds.push("extra-key", "many-keys");
  return kinds;
};

/** Kinds whose outcome the document decides (a constrained schema): generated at every site that has them. */
export const constrainedKinds = (site: Site): MutationKind[] => {
  const types = allowedTypes(site.schema);
  if (!types) return site.required ? ["remove"] : [];
  const strict: MutationKind[] = ["wrong-type"];
  if (site.required) strict.push("remove");
  if (!types.has("null")) strict.push("null");
  const s = site.schema!;
  if (s["maxLength"] !== undefined) strict.push("huge-string");
  if (s["pattern"] || s["format"]) strict.push(s["pattern"] ? "pattern" : "format");
  if ((s["minLength"] ?? 0) > 0) strict.push("too-short");
  if (Array.isArray(s["enum"]) || s["const"] !== undefined) strict.push("enum");
  if (s["minimum"] !== undefined || s["maximum"] !== undefined || types.has("integer")) {
    if (typeof site.value === "number") strict.push("number-edge");
  }
  if (s["maxItems"] !== undefined) strict.push("too-many-items");
  if ((s["minItems"] ?? 0) > 0) strict.push("no-items");
  if (s["additionalProperties"] === false) strict.push("extra-key");
  return strict;
};

export interface MutationBudget {
  /** Big mutations (strings of 70k+ characters, 20k items, 40k keys) left for this operation. */
  bigCases: number;
}

/** Whether this mutation may be a big one (then counted): about a third of the time, while the budget lasts. */
const spendBig = (rng: Rng, budget: MutationBudget, p = 0.3): boolean => {
  if (budget.bigCases <= 0 || !rng.chance(p)) return false;
  budget.bigCases--;
  return true;
};

const stringLength = (rng: Rng, schema: JsonSchema | undefined, budget: MutationBudget): number => {
  const max = schema?.["maxLength"];
  if (spendBig(rng, budget, max === undefined ? 1 : 0.3)) return rng.pick([70_000, 250_000, 600_000, 900_000]);
  return max !== undefined ? max + rng.int(1, 64) : rng.int(5_000, 20_000);
};

/** Lengthens a hostile text to a schema's minimum, so only what it says is at stake. */
const fit = (text: string, schema: JsonSchema | undefined): string => {
  const min = schema?.["minLength"] ?? 0;
  return text.length >= min ? text : text.repeat(Math.ceil(min / Math.max(text.length, 1)));
};

const serialize = (value: unknown, deep?: DeepSpec): string => {
  const text = JSON.stringify(value);
  return deep ? text.replace(JSON.stringify(DEEP_MARKER), deepJson(deep)) : text;
};

export const mutateAt = (
  rng: Rng,
  root: unknown,
  site: Site,
  kind: MutationKind,
  budget: MutationBudget,
): MutatedBody => {
  const at = pathText(site.path);
  const put = (value: unknown, what: string): MutatedBody => {
    const next = withValue(root, site.path, value);
    return { label: `${at}: ${what}`, value: next, text: serialize(next) };
  };
  switch (kind) {
    case "wrong-type": {
      const allowed = allowedTypes(site.schema);
      const current = typeOf(site.value);
      const others = JSON_TYPES.filter((t) => (allowed ? !allowed.has(t) : t !== current));
      const t = rng.pick(others.length > 0 ? others : JSON_TYPES);
      return put(SAMPLE_OF[t], `${t} instead of ${current}`);
    }
    case "remove":
      return put(undefined, "removed");
    case "null":
      return put(null, "null");
    case "huge-string": {
      const n = stringLength(rng, site.schema, budget);
      return put(hugeString(rng, n), `huge string (${n} chars)`);
    }
    case "too-short": {
      const n = Math.max((site.schema?.["minLength"] ?? 1) - 1, 0);
      return put("x".repeat(n), `string of ${n} chars (minLength ${site.schema?.["minLength"]})`);
    }
    case "enum": {
      const members = [...(site.schema?.["enum"] ?? [site.schema?.["const"]])].map(String);
      const m = rng.pick(members);
      const wrong = rng.pick([m.toUpperCase(), ` ${m}`, `${m}\u0000`, `${m}s`, rng.pick(PROMPT_INJECTIONS), "*"]);
      return put(
        members.includes(wrong) ? `${wrong}x` : wrong,
        `not an enum member (${JSON.stringify(wrong.slice(0, 20))})`,
      );
    }
    case "pattern": {
      const re = new RegExp(site.schema?.["pattern"] ?? "^$", "u");
      const candidates = [...TRAVERSAL_IDS, ...UNICODE_JUNK, "a b", "A.B", "a..b", "-", ".a", "a."].filter(
        (c) => !re.test(c),
      );
      const v = rng.pick(candidates);
      return put(v, `breaks the pattern (${JSON.stringify(v.slice(0, 30))})`);
    }
    case "format": {
      const f = site.schema?.["format"];
      const v =
        f === "date-time" || f === "date" ? rng.pick(BAD_DATES) : rng.pick([...TRAVERSAL_IDS, "not a value", ""]);
      return put(v, `not a ${f} (${JSON.stringify(v)})`);
    }
    case "number-edge": {
      const s = site.schema ?? {};
      const edges = [...EDGE_NUMBERS];
      if (typeof s["minimum"] === "number") edges.push(s["minimum"] - 1, s["minimum"] - 0.5);
      if (typeof s["maximum"] === "number") edges.push(s["maximum"] + 1, s["maximum"] + 0.5);
      const v = rng.pick(edges);
      return put(v, `number ${v}`);
    }
    case "deep": {
      const spec: DeepSpec = {
        depth: rng.pick([33, 40, 200, 5_000, 100_000]),
        shape: rng.chance(0.5) ? "array" : "object",
      };
      const marked = withValue(root, site.path, DEEP_MARKER);
      return {
        label: `${at}: ${spec.shape}s nested ${spec.depth} deep`,
        value: withValue(root, site.path, deepStandIn(spec)),
        text: serialize(marked, spec),
      };
    }
    case "unicode": {
      const v = fit(rng.pick(UNICODE_JUNK), site.schema);
      return put(v, `unicode junk (${JSON.stringify(v.slice(0, 24))})`);
    }
    case "injection": {
      const v = fit(rng.pick(PROMPT_INJECTIONS), site.schema);
      return put(v, `prompt injection (${JSON.stringify(v.slice(0, 40))}…)`);
    }
    case "traversal": {
      const v = rng.pick(TRAVERSAL_IDS);
      return put(v, `traversal id ${JSON.stringify(v)}`);
    }
    case "too-many-items": {
      const arr = site.value as unknown[];
      const max = site.schema?.["maxItems"];
      const item = arr[0] ?? "x";
      // Without a documented maximum: many items, but (budget aside) a body under the ingress's 1 MiB.
      const fits = Math.max(Math.floor(900_000 / (JSON.stringify(item).length + 1)), 2);
      const many = spendBig(rng, budget) ? 20_000 : Math.min(rng.pick([200, 2_000]), fits);
      const n = max !== undefined ? max + rng.int(1, 10) : many;
      return put(
        Array.from({ length: n }, () => structuredClone(item)),
        `${n} items${max !== undefined ? ` (maxItems ${max})` : ""}`,
      );
    }
    case "no-items":
      return put([], "no items");
    case "extra-key": {
      // Now and then a huge key of quotes: escaped in the JSON text, and echoed by careless error paths.
      const key = spendBig(rng, budget, 0.15) ? '"'.repeat(rng.pick([50_000, 300_000])) : rng.pick(EXTRA_KEYS);
      const obj = structuredClone(site.value) as Record<string, unknown>;
      Object.defineProperty(obj, key, {
        value: rng.pick([true, "admin", { admin: true }, rng.pick(PROMPT_INJECTIONS)]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return put(
        obj,
        `extra key ${JSON.stringify(key.slice(0, 20))}${key.length > 20 ? `… (${key.length} chars)` : ""}`,
      );
    }
    case "many-keys": {
      const n = spendBig(rng, budget) ? 40_000 : rng.pick([500, 5_000]);
      const obj = {
        ...(site.value as object),
        ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])),
      };
      return put(obj, `${n} extra keys`);
    }
  }
};

/** Roots keys a poisoned body may gain: each is refused by a closed root schema. */
const POISON_KEYS = ["fuzzPoison", "tenantId", "userId", "__proto__", "admin"];

/**
 * Makes a body the document calls valid invalid at the root while keeping the mutation:
 * an unexpected root key (closed schema) or a missing required root key the mutation did not touch.
 */
export const poison = (rng: Rng, schema: JsonSchema, body: MutatedBody, touched: string | number | undefined) => {
  const root = body.value;
  if (root === null || typeof root !== "object" || Array.isArray(root)) return undefined;
  const add = (key: string) => {
    const next = structuredClone(root) as Record<string, unknown>;
    Object.defineProperty(next, key, { value: true, enumerable: true, writable: true, configurable: true });
    // The wire text: the same key spliced in front, so deep nesting already in the text is kept.
    const text = body.text.startsWith("{}")
      ? `{${JSON.stringify(key)}:true}`
      : `{${JSON.stringify(key)}:true,${body.text.slice(1)}`;
    return { label: `${body.label} + root key ${JSON.stringify(key)}`, value: next, text };
  };
  if (schema["additionalProperties"] === false) return add(rng.pick(POISON_KEYS));
  const required = (schema["required"] ?? []).filter((k: string) => k !== touched && k in root);
  // Deep nesting lives only in the text: a body rebuilt from its value would lose it.
  if (required.length === 0 || body.text !== JSON.stringify(root)) return undefined;
  const key = rng.pick<string>(required);
  const next = structuredClone(root) as Record<string, unknown>;
  delete next[key];
  return { label: `${body.label} + root key ${JSON.stringify(key)} removed`, value: next, text: JSON.stringify(next) };
};
