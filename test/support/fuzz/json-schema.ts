/**
 * Just enough JSON Schema for the mutations: which types a schema allows, the
 * schema of a property or an item, every field of an instance with the schema
 * that governs it, and a valid instance synthesized from a schema.
 */
import type { ApiModel, JsonSchema } from "./api-model.ts";

export type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";
export const JSON_TYPES: readonly JsonType[] = ["null", "boolean", "integer", "number", "string", "array", "object"];

export type FieldPath = ReadonlyArray<string | number>;

export const typeOf = (value: unknown): JsonType => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as JsonType;
};

/** The types a schema admits; undefined: any (an empty or unconstrained schema). */
export const allowedTypes = (schema: JsonSchema | undefined): Set<JsonType> | undefined => {
  if (!schema || typeof schema !== "object") return undefined;
  if ("const" in schema) return new Set([typeOf(schema["const"])]);
  if (Array.isArray(schema["enum"])) return new Set(schema["enum"].map(typeOf));
  const t = schema["type"];
  if (typeof t === "string" || Array.isArray(t)) {
    const set = new Set<JsonType>([t].flat() as JsonType[]);
    if (set.has("number")) set.add("integer");
    return set;
  }
  const branches: JsonSchema[] | undefined = schema["anyOf"] ?? schema["oneOf"];
  if (branches) {
    const union = new Set<JsonType>();
    for (const b of branches) {
      const sub = allowedTypes(b);
      if (!sub) return undefined;
      for (const x of sub) union.add(x);
    }
    return union;
  }
  if (schema["properties"] || schema["required"]) return new Set(["object"]);
  if (schema["items"] || schema["prefixItems"]) return new Set(["array"]);
  return undefined;
};

/** For anyOf/oneOf: the branch a value of this type would be checked against. */
export const branchFor = (schema: JsonSchema | undefined, value: unknown): JsonSchema | undefined => {
  const branches: JsonSchema[] | undefined = schema?.["anyOf"] ?? schema?.["oneOf"];
  if (!branches) return schema;
  const type = typeOf(value);
  return branches.find((b) => allowedTypes(b)?.has(type) ?? true);
};

export const propertySchema = (schema: JsonSchema | undefined, key: string): JsonSchema | undefined => {
  if (!schema) return undefined;
  const own = schema["properties"]?.[key];
  if (own) return own;
  for (const [pattern, sub] of Object.entries<JsonSchema>(schema["patternProperties"] ?? {})) {
    if (new RegExp(pattern, "u").test(key)) return sub;
  }
  const extra = schema["additionalProperties"];
  return extra && typeof extra === "object" ? extra : undefined;
};

export const itemSchema = (schema: JsonSchema | undefined, index: number): JsonSchema | undefined =>
  schema?.["prefixItems"]?.[index] ?? (typeof schema?.["items"] === "object" ? schema["items"] : undefined);

/** A field of an instance: where it is, its value, and the (branch of the) schema that governs it. */
export interface Site {
  readonly path: FieldPath;
  readonly value: unknown;
  readonly schema: JsonSchema | undefined;
  /** Required by its parent object's schema. */
  readonly required: boolean;
  /** The parent is an object (so the field can be removed or renamed). */
  readonly inObject: boolean;
}

export const sites = (value: unknown, schema: JsonSchema | undefined): Site[] => {
  const out: Site[] = [];
  const walk = (v: unknown, s: JsonSchema | undefined, path: FieldPath, required: boolean, inObject: boolean) => {
    const governing = branchFor(s, v);
    out.push({ path, value: v, schema: governing, required, inObject });
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) walk(item, itemSchema(governing, i), [...path, i], false, false);
    } else if (v !== null && typeof v === "object") {
      const req = new Set<string>(governing?.["required"] ?? []);
      for (const [k, child] of Object.entries(v))
        walk(child, propertySchema(governing, k), [...path, k], req.has(k), true);
    }
  };
  walk(value, schema, [], true, false);
  return out;
};

/** A copy of `root` with the value at `path` replaced (`undefined`: removed). */
export const withValue = (root: unknown, path: FieldPath, value: unknown): unknown => {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as any;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key];
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(at)) at.splice(last as number, 1);
    else delete at[last];
  } else Object.defineProperty(at, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};

/** `body.cv.work[2].startDate` */
export const pathText = (path: FieldPath): string =>
  `body${path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("")}`;

const FORMAT_SAMPLES: Record<string, string> = {
  "date-time": "2026-11-17T09:15:00Z",
  date: "2026-11-17",
  time: "09:15:00Z",
  email: "dana@example.com",
  uri: "https://example.com/a",
  url: "https://example.com/a",
  uuid: "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d5e",
  hostname: "example.com",
  ipv4: "192.0.2.1",
};
const PATTERN_CANDIDATES = ["a.b", "a", "a1", "abc.def", "x-1", "evt-0001", "A", "1", "a_b.c_d"];

/** A valid instance of a schema, or undefined when this synthesizer cannot make one (checked with ajv). */
export const synthesize = (model: ApiModel, schema: JsonSchema): unknown => {
  const make = (s: JsonSchema | undefined, depth: number): unknown => {
    if (!s || depth > 12) return {};
    if ("const" in s) return s["const"];
    if (Array.isArray(s["enum"])) return s["enum"][0];
    if ("default" in s) return s["default"];
    if (Array.isArray(s["examples"]) && s["examples"].length > 0) return s["examples"][0];
    const branches: JsonSchema[] | undefined = s["anyOf"] ?? s["oneOf"];
    if (branches) {
      for (const b of branches) {
        const v = make(b, depth + 1);
        if (model.valid(b, v)) return v;
      }
      return make(branches[0], depth + 1);
    }
    const type = [s["type"]].flat()[0] ?? (s["properties"] ? "object" : s["items"] ? "array" : "string");
    switch (type) {
      case "string": {
        const min = s["minLength"] ?? 1;
        if (s["format"] && FORMAT_SAMPLES[s["format"]]) return FORMAT_SAMPLES[s["format"]];
        if (s["pattern"]) {
          const re = new RegExp(s["pattern"], "u");
          for (const c of PATTERN_CANDIDATES) {
            const v = c.repeat(Math.ceil(min / c.length));
            if (re.test(v)) return v;
          }
        }
        return "fuzz sample text ".repeat(Math.ceil(min / 17)).slice(0, Math.max(min, 1));
      }
      case "integer":
      case "number":
        return s["minimum"] ?? (s["exclusiveMinimum"] !== undefined ? s["exclusiveMinimum"] + 1 : 1);
      case "boolean":
        return true;
      case "null":
        return null;
      case "array":
        return Array.from({ length: Math.max(s["minItems"] ?? 1, 1) }, (_, i) => make(itemSchema(s, i), depth + 1));
      default: {
        const out: Record<string, unknown> = {};
        for (const [k, sub] of Object.entries<JsonSchema>(s["properties"] ?? {})) out[k] = make(sub, depth + 1);
        if (model.valid(s, out)) return out;
        // Optional properties may constrain each other: fall back to the required ones.
        const req: Record<string, unknown> = {};
        for (const k of s["required"] ?? []) req[k] = out[k];
        return req;
      }
    }
  };
  const value = make(schema, 0);
  return model.valid(schema, value) ? value : undefined;
};
