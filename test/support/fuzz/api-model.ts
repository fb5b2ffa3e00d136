/**
 * The served OpenAPI document, read into what the fuzz suite needs: every
 * operation (method, path template, parameters, request body schema), the
 * statuses documented for it with their schemas and the error codes listed,
 * and a compiled validator for any schema in it. Nothing here names a route:
 * a route added to the document is fuzzed and checked from it alone.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export type JsonSchema = Record<string, any>;

export interface Parameter {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required: boolean;
  readonly schema: JsonSchema;
}

export interface DocumentedResponse {
  readonly status: string;
  readonly description: string;
  /** The JSON schema of the answer, $refs resolved; undefined when the document gives none. */
  readonly schema: JsonSchema | undefined;
  /**
   * The error codes the document lists for this answer: the `code` property's const/enum where the schema
   * pins them (strict), else its examples plus any CODE_LIKE_THIS the description names.
   */
  readonly codes: ReadonlySet<string>;
  readonly strictCodes: boolean;
}

export interface Operation {
  /** `POST /v1/jobs` */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  /** A bearer token is required (the operation's security, else the document's). */
  readonly secured: boolean;
  /** Role names (scopes) the security requirement lists, any of which a token needs; [] when it lists none. */
  readonly scopes: readonly string[];
  readonly parameters: readonly Parameter[];
  readonly body:
    | { readonly required: boolean; readonly mediaTypes: readonly string[]; readonly schema: JsonSchema }
    | undefined;
  readonly responses: ReadonlyMap<string, DocumentedResponse>;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** `#/components/schemas/Job` and friends inlined (a cycle becomes `{}`); `$schema` dropped from sub-schemas. */
export const resolveRefs = (doc: JsonSchema, node: unknown, seen: readonly string[] = []): any => {
  if (Array.isArray(node)) return node.map((n) => resolveRefs(doc, n, seen));
  if (node === null || typeof node !== "object") return node;
  const obj = node as Record<string, unknown>;
  if (typeof obj["$ref"] === "string") {
    const ref = obj["$ref"];
    if (!ref.startsWith("#/") || seen.includes(ref)) return {};
    const target = ref
      .slice(2)
      .split("/")
      .map((p) => decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<any>((at, key) => at?.[key], doc);
    if (target === undefined) throw new Error(`the OpenAPI document has a dangling $ref ${ref}`);
    return resolveRefs(doc, target, [...seen, ref]);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== "$schema") out[k] = resolveRefs(doc, v, seen);
  return out;
};

const CODE_TOKEN = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;

const pinnedCodes = (code: JsonSchema | undefined): Set<string> | undefined => {
  if (!code) return undefined;
  if (typeof code["const"] === "string") return new Set([code["const"]]);
  if (Array.isArray(code["enum"])) return new Set(code["enum"].filter((e: unknown) => typeof e === "string"));
  return undefined;
};

/**
 * The codes a (resolved) schema admits for `code`, as JSON Schema combines them: allOf intersects,
 * oneOf/anyOf unite the branches that say anything about `code` (GatewayError's `{message}` says nothing).
 * undefined: not pinned.
 */
export const admittedCodes = (schema: unknown): Set<string> | undefined => {
  if (schema === null || typeof schema !== "object") return undefined;
  const s = schema as JsonSchema;
  let acc: Set<string> | undefined;
  const meet = (x: Set<string> | undefined) => {
    if (x) acc = acc ? new Set([...acc].filter((c) => x.has(c))) : new Set(x);
  };
  meet(pinnedCodes(s["properties"]?.["code"]));
  for (const sub of s["allOf"] ?? []) meet(admittedCodes(sub));
  const branches: unknown[] | undefined = s["oneOf"] ?? s["anyOf"];
  if (branches) {
    const sets = branches.map(admittedCodes).filter((x): x is Set<string> => x !== undefined);
    if (sets.length > 0) meet(new Set(sets.flatMap((x) => [...x])));
  }
  return acc;
};

const exampleCodes = (schema: unknown, out = new Set<string>()): Set<string> => {
  if (schema === null || typeof schema !== "object") return out;
  const s = schema as JsonSchema;
  for (const e of s["properties"]?.["code"]?.["examples"] ?? []) if (typeof e === "string") out.add(e);
  for (const k of ["oneOf", "anyOf", "allOf"]) for (const sub of s[k] ?? []) exampleCodes(sub, out);
  return out;
};

/** Pinned codes when the schema pins them; else its examples plus the CODES_LIKE_THIS its description names. */
const documentedCodes = (description: string, schema: JsonSchema | undefined) => {
  const pinned = admittedCodes(schema);
  if (pinned) return { codes: pinned, strictCodes: true };
  const loose = exampleCodes(schema);
  for (const m of description.matchAll(CODE_TOKEN)) loose.add(m[0]);
  return { codes: loose, strictCodes: false };
};

export class ApiModel {
  readonly doc: JsonSchema;
  readonly operations: readonly Operation[];
  readonly #ajv: Ajv2020;
  readonly #compiled = new WeakMap<object, ValidateFunction>();
  readonly #matchers: ReadonlyArray<{ op: Operation; pattern: RegExp; names: string[] }>;

  constructor(doc: JsonSchema) {
    if (typeof doc["openapi"] !== "string" || typeof doc["paths"] !== "object") {
      throw new Error("not an OpenAPI document (no `openapi` version or `paths`)");
    }
    this.doc = doc;
    this.#ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
    addFormats.default(this.#ajv);
    const globalSecured = (doc["security"] ?? []).length > 0;
    const ops: Operation[] = [];
    for (const [path, item] of Object.entries<any>(doc["paths"])) {
      for (const m of METHODS) {
        const raw = item[m];
        if (!raw) continue;
        const op = resolveRefs(doc, raw);
        const parameters: Parameter[] = [
          ...(resolveRefs(doc, item.parameters ?? []) as any[]),
          ...(op.parameters ?? []),
        ].map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required === true || p.in === "path",
          schema: p.schema ?? {},
        }));
        const content = op.requestBody?.content ?? {};
        const mediaTypes = Object.keys(content);
        const body =
          mediaTypes.length > 0
            ? {
                required: op.requestBody?.required === true,
                mediaTypes,
                schema: content[mediaTypes.find((t) => /json/i.test(t)) ?? mediaTypes[0]!]?.schema ?? {},
              }
            : undefined;
        const responses = new Map<string, DocumentedResponse>();
        for (const [status, r] of Object.entries<any>(op.responses ?? {})) {
          const schema = r.content?.["application/json"]?.schema;
          const description = String(r.description ?? "");
          responses.set(status, { status, description, schema, ...documentedCodes(description, schema) });
        }
        const security: Array<Record<string, string[]>> = op.security ?? doc["security"] ?? [];
        ops.push({
          key: `${m.toUpperCase()} ${path}`,
          method: m.toUpperCase(),
          path,
          secured: (op.security ? op.security.length > 0 : globalSecured) === true,
          scopes: [...new Set(security.flatMap((r) => Object.values(r).flat()))],
          parameters,
          body,
          responses,
        });
      }
    }
    this.operations = ops;
    this.#matchers = ops.map((op) => {
      const names: string[] = [];
      const pattern = op.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{(\w+)\\?\}/g, (_m, n: string) => {
        names.push(n);
        return "([^/]+)";
      });
      return { op, pattern: new RegExp(`^${pattern}$`), names };
    });
  }

  /** A validator for a schema of this document (already resolved); compiled once per schema object. */
  validator(schema: JsonSchema): ValidateFunction {
    let v = this.#compiled.get(schema);
    if (!v) {
      v = this.#ajv.compile(schema);
      this.#compiled.set(schema, v);
    }
    return v;
  }

  valid(schema: JsonSchema, value: unknown): boolean {
    return this.validator(schema)(value) === true;
  }

  /**
   * The operation a request lands on, as a server parsing the URL the WHATWG way sees it (dot segments,
   * `%2e%2e` included, are resolved; the query and a fragment are not part of the path). undefined: no route.
   */
  land(method: string, rawPath: string): { op: Operation; pathParams: Record<string, string> } | undefined {
    const url = URL.parse(rawPath, "http://127.0.0.1");
    if (!url) return undefined;
    for (const { op, pattern, names } of this.#matchers) {
      if (op.method !== method) continue;
      const m = pattern.exec(url.pathname);
      if (!m) continue;
      return { op, pathParams: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ""])) };
    }
    return undefined;
  }

  /** The documented answer for a status: the exact code, else `4XX`-style ranges, else `default`. */
  response(op: Operation, status: number): DocumentedResponse | undefined {
    return (
      op.responses.get(String(status)) ?? op.responses.get(`${String(status)[0]}XX`) ?? op.responses.get("default")
    );
  }
}
