/**
 * The fuzz cases: for every operation of the OpenAPI document, hostile
 * variations of a valid request (tokens, path ids, query and header
 * parameters, body fields, body bytes, content types, methods, paths), then
 * random combinations up to the target count. A function of the document, the
 * sample bodies and the seed alone: case N is the same case on every run.
 *
 * Every case on an operation that is not safe (anything but GET/HEAD) carries
 * at least one thing that makes it invalid by construction — a refused token,
 * a body the document's schema rejects (checked with ajv; a mutation that
 * happens to be valid is poisoned at the root, or sent by the owner with the
 * Idempotency-Key the set-up used, which the document answers 409, so it runs
 * every check of the ingress first), a non-JSON content type, a header
 * parameter the document rejects, another user's id, or a path that lands on
 * no route — so no case may ever be accepted, and no queue may receive
 * anything. generateCases throws if one would not be.
 */
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { Rng } from "@cvpipe/core/testing/random";
import { api } from "@cvpipe/core/topology";
import type { ApiModel, Operation, Parameter } from "./api-model.ts";
import {
  applicableKinds,
  constrainedKinds,
  type MutatedBody,
  type MutationBudget,
  mutateAt,
  poison,
} from "./body-mutations.ts";
import { PROMPT_INJECTIONS, TRAVERSAL_IDS, UNICODE_JUNK } from "./hostile-values.ts";
import { sites, synthesize } from "./json-schema.ts";
import { JSON_ISH_TYPES, mayBeJson, NON_JSON_TYPES, oversizedBodies, rawMutations } from "./raw-bodies.ts";
import {
  type AuthVariant,
  authLabel,
  IDENTITIES,
  type Identity,
  LOOKALIKES,
  type Lookalike,
  REFUSED_TOKENS,
  type RefusedToken,
} from "./tokens.ts";

/** Why a case on an unsafe operation cannot be a valid request. */
export type RefusedBy = "token" | "body" | "content-type" | "header" | "replayed key" | "foreign id" | "no route";

/**
 * The Idempotency-Key the set-up sends with the owner's first sample body (on operations that document the
 * header): a case replaying it with another body must get the documented 409.
 */
export const REPLAYED_KEY = "fuzz-replayed-key";
export const isIdempotencyHeader = (p: Parameter): boolean => p.in === "header" && /^idempotency-key$/i.test(p.name);

export interface FuzzCase {
  readonly index: number;
  /** The documented operation the case aims at. */
  readonly op: string;
  readonly method: string;
  /** On the wire (already %-encoded where meant), with `{{id:<param>:<n>}}` for ids learned at set-up. */
  readonly path: string;
  /** undefined: no Authorization header (a public operation's plain request). */
  readonly auth: AuthVariant | undefined;
  /** A second Authorization header after the first (which of two a server reads is its parser's choice). */
  readonly secondAuth?: AuthVariant;
  /** An array: the header sent once per value. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: string | Buffer | undefined;
  /** What is hostile about the case. */
  readonly label: string;
  readonly refusedBy: RefusedBy | undefined;
  /** The only statuses the case may get, where it decides them (a refused token, another user's id). */
  readonly expect: readonly number[] | undefined;
}

export interface CaseOptions {
  readonly seed: number;
  /** At least this many cases: combinations are added until it is reached. */
  readonly target: number;
  /** Request bodies to start from (the repository's samples); those the document accepts become bases. */
  readonly samples: readonly unknown[];
  /** Path parameters with ids the set-up created (as another user): `{ jobId: 2 }` means ids 0 and 1. */
  readonly learnedIds: Readonly<Record<string, number>>;
}

type Draft = Omit<FuzzCase, "index" | "op" | "method"> & { method?: string };

const SAFE = new Set(["GET", "HEAD"]);
const OTHER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const VALID: AuthVariant = { valid: "colleague" };
const STRANGERS: readonly Identity[] = ["colleague", "otherTenant", "caseTwin", "stranger"];

/**
 * The scopes a token needs for an operation: those its security requirement lists in the document, else
 * (the document lists none today) the topology's, which the gateway enforces.
 */
export const routeScopes = (op: Operation): readonly string[] =>
  op.scopes.length > 0
    ? op.scopes
    : (api.routes.find((r) => r.method === op.method && r.path === op.path)?.scopes ?? []);

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) goes out as its WTF-8 bytes
 * (`%ED%A0%80`): a %-escape that decodes to no valid UTF-8 at all.
 */
const segment = (text: string): string =>
  text.replace(/[\s\S]/gu, (ch) => {
    const cp = ch.codePointAt(0)!;
    if (cp < 0xd800 || cp > 0xdfff) return encodeURIComponent(ch);
    return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
      .map((b) => `%${b.toString(16).toUpperCase()}`)
      .join("");
  });

/** A header value Node can send (latin-1, no CR/LF/NUL): others are %-encoded. */
const headerSafe = (text: string): string =>
  /^[\t\x20-\x7e\x80-\xff]*$/.test(text) ? text : segment(text).slice(0, 8_000);

class OperationCases {
  readonly #model: ApiModel;
  readonly #op: Operation;
  readonly #rng: Rng;
  readonly #safe: boolean;
  readonly #bases: unknown[];
  readonly #learned: Readonly<Record<string, number>>;
  readonly #budget: MutationBudget = { bigCases: 10 };

  constructor(model: ApiModel, op: Operation, rng: Rng, options: CaseOptions) {
    this.#model = model;
    this.#op = op;
    this.#rng = rng;
    this.#safe = SAFE.has(op.method);
    this.#learned = options.learnedIds;
    const schema = op.body?.schema;
    const bases: unknown[] = [];
    if (schema) {
      for (const s of options.samples) if (model.valid(schema, s)) bases.push(s);
      const synthesized = synthesize(model, schema);
      if (synthesized !== undefined) bases.push(synthesized);
    }
    this.#bases = bases;
  }

  get hasBody(): boolean {
    return this.#bases.length > 0;
  }

  /** The base request's path: learned ids for path parameters, else a synthesized value. */
  basePath(override: Record<string, string> = {}): string {
    let path = this.#op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (override[name] !== undefined) return override[name]!;
      if ((this.#learned[name] ?? 0) > 0) return `{{id:${name}:0}}`;
      const p = this.#op.parameters.find((x) => x.in === "path" && x.name === name);
      return segment(String(synthesize(this.#model, p?.schema ?? {}) ?? "fuzz"));
    });
    const required = this.#op.parameters.filter((p) => p.in === "query" && p.required);
    if (required.length > 0) {
      path += `?${required.map((p) => `${segment(p.name)}=${segment(String(synthesize(this.#model, p.schema) ?? "1"))}`).join("&")}`;
    }
    return path;
  }

  baseAuth(): AuthVariant | undefined {
    return this.#op.secured ? VALID : undefined;
  }

  baseBody(): { body: string | undefined; headers: Record<string, string> } {
    if (!this.hasBody) return { body: undefined, headers: {} };
    return { body: JSON.stringify(this.#bases[0]), headers: { "content-type": this.#op.body!.mediaTypes[0]! } };
  }

  /** A body the document's schema rejects (a random field mutation, poisoned if it happened to be valid). */
  hostileBody(rng: Rng): MutatedBody {
    for (let attempt = 0; attempt < 20; attempt++) {
      const base = rng.pick(this.#bases);
      const site = rng.pick(sites(base, this.#op.body!.schema));
      const m = this.#judged(rng, base, site, rng.pick(applicableKinds(site)));
      if (m) return m;
    }
    return { label: "body: empty object", value: {}, text: "{}" };
  }

  /** A mutation the document rejects, or undefined when neither it nor a poisoned version is rejected. */
  #judged(rng: Rng, base: unknown, site: ReturnType<typeof sites>[number], kind: Parameters<typeof mutateAt>[3]) {
    const m = mutateAt(rng, base, site, kind, this.#budget);
    return this.#model.valid(this.#op.body!.schema, m.value) ? this.#poisoned(rng, m, site) : m;
  }

  #poisoned(rng: Rng, m: MutatedBody, site: ReturnType<typeof sites>[number]): MutatedBody | undefined {
    const schema = this.#op.body!.schema;
    const p = poison(rng, schema, m, site.path[0]);
    return p && !this.#model.valid(schema, p.value) ? p : undefined;
  }

  /**
   * The documented Idempotency-Key header when the set-up used it (with the first base) and the operation
   * documents the 409 for a key replayed with another body; bodies mutated from any base differ from it.
   */
  #replayHeader(): Parameter | undefined {
    const p = this.#op.parameters.find(isIdempotencyHeader);
    return p && this.#bases.length > 1 && this.#op.responses.has("409") ? p : undefined;
  }

  /** Judges bytes as the ingress would read them (UTF-8, replacement characters for bad bytes). */
  #bodyRefused(bytes: string | Buffer): boolean {
    const text = typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes);
    if (text.trim() === "") return true;
    try {
      return !this.#model.valid(this.#op.body!.schema, JSON.parse(text));
    } catch {
      return true;
    }
  }

  /**
   * The same draft made surely refused on an unsafe operation: a hostile body, or (no body to break) a refused
   * token. undefined: an unsafe public operation without a body, where nothing can be broken by construction.
   */
  #hostile(d: Draft, rng: Rng): Draft | undefined {
    if (this.#safe || d.refusedBy) return d;
    if (this.hasBody) {
      const b = this.hostileBody(rng);
      return {
        ...d,
        body: b.text,
        headers: { "content-type": this.#op.body!.mediaTypes[0]!, ...d.headers },
        label: `${d.label}; ${b.label}`,
        refusedBy: "body",
      };
    }
    if (!this.#op.secured) return undefined;
    const name = rng.pick(this.#refusedTokenNames());
    return {
      ...d,
      auth: { refused: name },
      label: `${d.label}; ${authLabel({ refused: name })}`,
      refusedBy: "token",
      expect: [REFUSED_TOKENS[name]],
    };
  }

  #refusedTokenNames(): RefusedToken[] {
    const scoped = routeScopes(this.#op).length > 0;
    return (Object.keys(REFUSED_TOKENS) as RefusedToken[]).filter((n) => scoped || REFUSED_TOKENS[n] !== 403);
  }

  #all(ds: Draft[]): Draft[] {
    return ds.flatMap((d) => {
      const h = this.#hostile(d, this.#rng.fork(d.label));
      return h ? [h] : [];
    });
  }

  // ------------------------------------------------------------------ categories

  tokens(): Draft[] {
    const base = this.baseBody();
    const out: Draft[] = [];
    for (const name of this.#refusedTokenNames()) {
      out.push({
        path: this.basePath(),
        auth: { refused: name },
        headers: base.headers,
        body: base.body,
        label: authLabel({ refused: name }),
        refusedBy: this.#op.secured ? "token" : undefined,
        expect: this.#op.secured ? [REFUSED_TOKENS[name]] : undefined,
      });
    }
    if (!this.#op.secured) return this.#all(this.#rng.sample(out, 8));
    const twice = (first: AuthVariant, second: AuthVariant): Draft => ({
      path: this.basePath(),
      auth: first,
      secondAuth: second,
      headers: base.headers,
      body: base.body,
      label: `two Authorization headers: ${authLabel(first)}, then ${authLabel(second)}`,
      refusedBy: undefined,
      expect: undefined,
    });
    out.push(
      ...this.#all([
        twice({ refused: "alg none" }, VALID),
        twice(VALID, { refused: "expired" }),
        twice({ valid: "stranger" }, { valid: "owner" }),
      ]),
    );
    // Look-alikes of the owner: refused, or somebody else (made surely refused on unsafe operations).
    const lookalikes = (Object.keys(LOOKALIKES) as Lookalike[]).map((name) => ({
      path: this.basePath(),
      auth: { lookalike: name },
      headers: base.headers,
      body: base.body,
      label: authLabel({ lookalike: name }),
      refusedBy: LOOKALIKES[name].usable ? undefined : ("token" as const),
      expect: LOOKALIKES[name].usable ? undefined : [401],
    }));
    return [...out, ...this.#all(lookalikes)];
  }

  /** Another user's ids (any tenant), bare and decorated, with spoofing headers and query: always a 404. */
  foreignIds(): Draft[] {
    const out: Draft[] = [];
    // A valid body where the route takes one: what decides the answer is the id alone.
    const base = this.baseBody();
    for (const p of this.#op.parameters.filter((x) => x.in === "path")) {
      const n = this.#learned[p.name] ?? 0;
      for (let i = 0; i < n; i++) {
        const id = `{{id:${p.name}:${i}}}`;
        for (const who of STRANGERS) {
          out.push({
            path: this.basePath({ [p.name]: id }),
            auth: { valid: who },
            headers: base.headers,
            body: base.body,
            label: `${p.name}: the owner's id #${i}, asked by ${who}`,
            refusedBy: "foreign id",
            expect: this.#op.secured ? [404] : undefined,
          });
        }
        for (const name of Object.keys(LOOKALIKES) as Lookalike[]) {
          out.push({
            path: this.basePath({ [p.name]: id }),
            auth: { lookalike: name },
            headers: base.headers,
            body: base.body,
            label: `${p.name}: the owner's id #${i}, asked by an ${authLabel({ lookalike: name })}`,
            refusedBy: "foreign id",
            expect: this.#op.secured ? [LOOKALIKES[name].usable ? 404 : 401] : undefined,
          });
        }
        const spoofs: Array<[string, Record<string, string>, string]> = [
          [
            "x-tenant-id / x-user-id headers naming the owner",
            { "x-tenant-id": IDENTITIES.owner.tenantId, "x-user-id": IDENTITIES.owner.userId },
            "",
          ],
          [
            "x-forwarded-for / x-amzn-oidc-identity",
            { "x-forwarded-for": "127.0.0.1", "x-amzn-oidc-identity": "alice" },
            "",
          ],
          [
            "tenantId and sub in the query",
            {},
            `?tenantId=${IDENTITIES.owner.tenantId}&sub=${IDENTITIES.owner.userId}`,
          ],
          ["x-http-method-override", { "x-http-method-override": "DELETE" }, ""],
        ];
        for (const [what, headers, query] of spoofs) {
          out.push({
            path: `${this.basePath({ [p.name]: id })}${query}`,
            auth: { valid: this.#rng.pick(STRANGERS) },
            headers: { ...base.headers, ...headers },
            body: base.body,
            label: `${p.name}: the owner's id #${i} with ${what}`,
            refusedBy: "foreign id",
            // Query parameters a route does not take are refused (400) before any lookup: nothing is found either way.
            expect: this.#op.secured ? [query ? 400 : 404] : undefined,
          });
        }
        for (const [what, raw] of [
          ["upper-cased", `{{id:${p.name}:${i}:upper}}`],
          ["with a trailing %20", `${id}%20`],
          ["with a trailing %00", `${id}%00`],
          ["with a trailing dot", `${id}.`],
          ["doubled", `${id}${id}`],
          ["with a ;param", `${id};x=1`],
        ] as const) {
          out.push({
            path: this.basePath({ [p.name]: raw }),
            auth: { valid: this.#rng.pick(STRANGERS) },
            headers: base.headers,
            body: base.body,
            label: `${p.name}: the owner's id #${i} ${what}, asked by another user`,
            refusedBy: "foreign id",
            expect: this.#op.secured ? [404] : undefined,
          });
        }
      }
    }
    return this.#all(out);
  }

  pathParams(): Draft[] {
    const out: Draft[] = [];
    for (const p of this.#op.parameters.filter((x) => x.in === "path")) {
      const values: Array<[string, string]> = [
        ...TRAVERSAL_IDS.map((v): [string, string] => [
          `raw ${JSON.stringify(v)}`,
          v.replace(/[^\x21-\x7e]/g, (c) => segment(c)),
        ]),
        ...TRAVERSAL_IDS.map((v): [string, string] => [`encoded ${JSON.stringify(v)}`, segment(v)]),
        ...UNICODE_JUNK.map((v): [string, string] => [`unicode ${JSON.stringify(v.slice(0, 16))}`, segment(v)]),
        ...PROMPT_INJECTIONS.slice(0, 4).map((v): [string, string] => [
          `injection ${JSON.stringify(v.slice(0, 16))}`,
          segment(v),
        ]),
        ["8000 characters", "a".repeat(8_000)],
        ["%-encoded slash", "a%2Fb"],
        ["percent alone", "%"],
        ["bad escape", "%ZZ"],
        ["encoded NUL", "%00"],
        ["double-encoded dots", "%252e%252e"],
      ];
      for (const [what, raw] of values) {
        out.push({
          path: this.basePath({ [p.name]: raw }),
          auth: this.baseAuth(),
          headers: {},
          body: undefined,
          label: `path ${p.name}: ${what}`,
          refusedBy: undefined,
          expect: undefined,
        });
      }
    }
    return this.#all(out);
  }

  /** The operation's path bent: dot segments, doubled slashes, case, suffixes. Where it lands is the model's call. */
  pathJunk(): Draft[] {
    const base = this.basePath();
    const [path, query] = base.split("?") as [string, string | undefined];
    const q = query ? `?${query}` : "";
    const variants: Array<[string, string]> = [
      ["trailing slash", `${path}/${q}`],
      ["/.. appended", `${path}/..${q}`],
      ["/. appended", `${path}/.${q}`],
      ["/%2e%2e appended", `${path}/%2e%2e${q}`],
      ["%00 appended", `${path}%00${q}`],
      ["doubled slashes", `${path.replace(/\//g, "//")}${q}`],
      ["leading //", `/${path}${q}`],
      ["upper case", `${path.toUpperCase()}${q}`],
      ["dot segment inside", `${path.replace(/^\/v1\//, "/v1/./")}${q}`],
      ["climb and return", `${path}/../${path.split("/").pop()}${q}`],
      [";param on the last segment", `${path};jsessionid=1${q}`],
      ["fragment", `${path}#frag${q}`],
      ["encoded letter", `${path.replace(/[a-z](?=[^/]*$)/, (c) => `%${c.charCodeAt(0).toString(16)}`)}${q}`],
      [".json suffix", `${path}.json${q}`],
      ["absolute-form target naming another host", `http://evil.example${path}${q}`],
      // Not the first one: a target starting with a backslash is refused by the HTTP parser before any route.
      ["backslashes", `/${path.slice(1).replace(/\//g, "\\")}${q}`],
    ];
    return this.#all(
      variants.map(([what, p]) => ({
        path: p,
        auth: this.baseAuth(),
        headers: {},
        body: undefined,
        label: `path: ${what}`,
        refusedBy: undefined,
        expect: undefined,
      })),
    );
  }

  query(): Draft[] {
    const out: Draft[] = [];
    const params = this.#op.parameters.filter((p) => p.in === "query");
    const junk = (rng: Rng) =>
      rng.pick([
        "",
        "0",
        "-1",
        "1e9",
        "1.5",
        "0x10",
        "abc",
        "%00",
        "%ff",
        "%",
        "[]",
        "{}",
        "true",
        "null",
        segment(rng.pick(UNICODE_JUNK)),
        segment(rng.pick(TRAVERSAL_IDS)),
        segment(rng.pick(PROMPT_INJECTIONS)),
        "x".repeat(4_000),
      ]);
    for (const p of params) {
      const rng = this.#rng.fork(`query ${p.name}`);
      const bounds = numericBounds(p);
      const values = new Set<string>([...bounds, ...Array.from({ length: 10 }, () => junk(rng))]);
      for (const v of values)
        out.push(this.#queryDraft(`${segment(p.name)}=${v}`, `query ${p.name}=${v.slice(0, 24)}`));
      out.push(this.#queryDraft(`${segment(p.name)}=1&${segment(p.name)}=2`, `query ${p.name} twice`));
      out.push(this.#queryDraft(`${segment(p.name)}[]=1`, `query ${p.name}[]`));
    }
    // Parameters no route takes: refused by name (400), never silently ignored.
    for (const [what, q] of [
      ["unknown parameter", "fuzz=1"],
      ["__proto__ parameter", "__proto__[admin]=1"],
      ["tenantId parameter", "tenantId=other"],
      ["no name", "=x"],
      ["1000 parameters", Array.from({ length: 1_000 }, (_, i) => `p${i}=${i}`).join("&")],
    ] as const) {
      out.push({ ...this.#queryDraft(q, `query: ${what}`), expect: [400] });
    }
    out.push(this.#queryDraft("&&&", "query: lone ampersands"));
    return this.#all(out);
  }

  #queryDraft(query: string, label: string): Draft {
    const base = this.basePath();
    const sep = base.includes("?") ? "&" : "?";
    return {
      path: `${base}${sep}${query}`,
      auth: this.baseAuth(),
      headers: {},
      body: undefined,
      label,
      refusedBy: undefined,
      expect: undefined,
    };
  }

  headers(): Draft[] {
    const out: Draft[] = [];
    const base = this.baseBody();
    for (const p of this.#op.parameters.filter((x) => x.in === "header")) {
      const rng = this.#rng.fork(`header ${p.name}`);
      const values = [
        "",
        " ",
        "a b",
        "x".repeat((p.schema["maxLength"] ?? 255) + 1),
        "x".repeat(4_000),
        "\u00e9t\u00e9",
        "a\tb",
        "..",
        "../../etc/passwd",
        rng.pick(PROMPT_INJECTIONS).slice(0, 200),
        "\u00ff\u00fe",
        "k1",
      ];
      for (const v of values) {
        // Judged as the server reads it: as sent (%-encoded if Node cannot send it), less the whitespace
        // Node's parser drops at both ends.
        const sent = headerSafe(v);
        const seen = sent.replace(/^[ \t]+|[ \t]+$/g, "");
        const refused = !this.#model.valid(p.schema, seen) || (p.required && seen === "");
        const d: Draft = {
          path: this.basePath(),
          auth: this.baseAuth(),
          headers: { ...base.headers, [p.name]: sent },
          body: base.body,
          label: `header ${p.name}: ${JSON.stringify(v.slice(0, 24))}${v.length > 24 ? `… (${v.length})` : ""}`,
          refusedBy: refused ? "header" : undefined,
          expect: undefined,
        };
        out.push(d);
      }
    }
    const replay = this.#replayHeader();
    if (replay) {
      out.push({
        path: this.basePath(),
        auth: { valid: "owner" },
        headers: { "content-type": this.#op.body!.mediaTypes[0]!, [replay.name]: REPLAYED_KEY },
        body: JSON.stringify(this.#bases[1]),
        label: `header ${replay.name}: the owner's key replayed with another valid body`,
        refusedBy: "replayed key",
        expect: [409],
      });
    }
    const spoofing: Array<[string, Record<string, string | string[]>]> = [
      ["host header of another site", { host: "evil.example" }],
      ["x-forwarded-host", { "x-forwarded-host": "evil.example", "x-forwarded-proto": "gopher" }],
      ["x-original-url", { "x-original-url": "/v1/health", "x-rewrite-url": "/v1/health" }],
      ["x-tenant-id", { "x-tenant-id": "other", "x-user-id": "admin" }],
      ["cookie junk", { cookie: "session=../../x; tenantId=other; =; ;;" }],
      // Sent twice: which one a server reads is its parser's choice (Node keeps the first Content-Type).
      ["two content types, not JSON first", { "content-type": ["text/plain", "application/json"] }],
      ["two content types, JSON first", { "content-type": ["application/json", "text/plain"] }],
      ["two Idempotency-Keys", { "idempotency-key": ["k1", "k2"] }],
      ["a malformed X-Correlation-Id", { "x-correlation-id": `../${"\u00e9".repeat(3)} <script>${"c".repeat(3_000)}` }],
      [
        "headers named __proto__ and constructor",
        { ["__proto__"]: "x", constructor: "y", "x-amz-security-token": "z" },
      ],
      ["accept nothing json", { accept: "text/html;q=1, image/*;q=0" }],
      ["content-encoding gzip on plain bytes", { "content-encoding": "gzip" }],
      ["expect 100-continue", { expect: "100-continue" }],
    ];
    for (const [what, h] of spoofing) {
      out.push({
        path: this.basePath(),
        auth: this.baseAuth(),
        headers: { ...base.headers, ...h },
        body: base.body,
        label: `headers: ${what}`,
        refusedBy: undefined,
        expect: undefined,
      });
    }
    return this.#all(out);
  }

  bodyFields(quota: number): Draft[] {
    if (!this.hasBody) return [];
    const schema = this.#op.body!.schema;
    const candidates: Array<{
      base: unknown;
      site: ReturnType<typeof sites>[number];
      kind: ReturnType<typeof applicableKinds>[number];
      constrained: boolean;
    }> = [];
    for (const base of this.#bases) {
      for (const site of sites(base, schema)) {
        const strict = new Set(constrainedKinds(site));
        for (const kind of applicableKinds(site)) candidates.push({ base, site, kind, constrained: strict.has(kind) });
      }
    }
    // Prompt injection into every string field (CV and posting alike), beyond the quota; then every mutation
    // the document decides (each field's own bounds), then random others up to the quota.
    const injections = candidates.filter((c) => c.kind === "injection");
    const constrained = this.#rng.shuffle(candidates.filter((c) => c.constrained));
    const rest = this.#rng.shuffle(candidates.filter((c) => !c.constrained && c.kind !== "injection"));
    const chosen = [...injections, ...[...constrained, ...rest].slice(0, Math.max(quota, 0))];
    const out: Draft[] = [];
    const rng = this.#rng.fork("body fields");
    const replay = this.#replayHeader();
    for (const c of chosen) {
      const raw = mutateAt(rng, c.base, c.site, c.kind, this.#budget);
      if (replay && this.#model.valid(schema, raw.value) && rng.chance(0.6)) {
        // A body the document accepts (prompt injection in a CV, a long but allowed posting) goes through
        // every check of the ingress and is refused only at the end: the owner's key, replayed with it.
        out.push({
          path: this.basePath(),
          auth: { valid: "owner" },
          headers: { "content-type": this.#op.body!.mediaTypes[0]!, [replay.name]: REPLAYED_KEY },
          body: raw.text,
          label: `${raw.label} + the owner's Idempotency-Key replayed`,
          refusedBy: "replayed key",
          expect: undefined,
        });
        continue;
      }
      const m = this.#model.valid(schema, raw.value) ? this.#poisoned(rng, raw, c.site) : raw;
      if (!m) continue;
      out.push({
        path: this.basePath(),
        auth: this.baseAuth(),
        headers: { "content-type": this.#op.body!.mediaTypes[0]! },
        body: m.text,
        label: m.label,
        refusedBy: "body",
        expect: undefined,
      });
    }
    return out;
  }

  rawBodies(): Draft[] {
    if (!this.hasBody) return [];
    const out: Draft[] = [];
    const type = this.#op.body!.mediaTypes[0]!;
    for (const base of this.#bases) {
      const text = JSON.stringify(base);
      for (const r of rawMutations(this.#rng.fork(`raw ${text.length}`), text)) {
        if (!this.#bodyRefused(r.bytes)) continue;
        out.push({
          path: this.basePath(),
          auth: this.baseAuth(),
          headers: { "content-type": type },
          body: r.bytes,
          label: `body bytes: ${r.label}`,
          refusedBy: "body",
          expect: undefined,
        });
      }
    }
    const text = JSON.stringify(this.#bases[0]);
    // Valid JSON by syntax, refused by size: the ingress's 1 MiB (envelope 413) and the gateway's 10 MB (its own 413).
    for (const r of oversizedBodies(text, [api.maxBodyBytes, 10 * 1024 * 1024])) {
      out.push({
        path: this.basePath(),
        auth: this.baseAuth(),
        headers: { "content-type": type },
        body: r.bytes,
        label: `body: ${r.label}`,
        refusedBy: "body",
        expect: [413],
      });
    }
    return out;
  }

  contentTypes(): Draft[] {
    if (!this.hasBody) return [];
    const base = this.baseBody();
    const out: Draft[] = [];
    for (const t of NON_JSON_TYPES) {
      const refused = !mayBeJson(t, this.#op.body!.mediaTypes);
      out.push(
        ...this.#all([
          {
            path: this.basePath(),
            auth: this.baseAuth(),
            headers: t === undefined ? {} : { "content-type": t },
            body: base.body,
            label: `content-type ${t === undefined ? "absent" : JSON.stringify(t)} on a valid body`,
            refusedBy: refused ? "content-type" : undefined,
            expect: refused ? [415] : undefined,
          },
        ]),
      );
    }
    // A body compressed as its Content-Encoding says: the API takes no encoded bodies, so these bytes are no JSON.
    for (const [encoding, bytes] of [
      ["gzip", gzipSync(base.body!)],
      ["br", brotliCompressSync(base.body!)],
      ["deflate", deflateSync(base.body!)],
    ] as const) {
      if (!this.#bodyRefused(bytes)) continue;
      out.push({
        path: this.basePath(),
        auth: this.baseAuth(),
        headers: { ...base.headers, "content-encoding": encoding },
        body: bytes,
        label: `a valid body compressed, content-encoding ${encoding}`,
        refusedBy: "body",
        expect: undefined,
      });
    }
    for (const t of JSON_ISH_TYPES) {
      const rng = this.#rng.fork(`json-ish ${t}`);
      const b = this.hostileBody(rng);
      const bytes = /utf-16/.test(t)
        ? Buffer.from(b.text, "utf16le")
        : /latin1/.test(t)
          ? Buffer.from(b.text, "latin1")
          : b.text;
      out.push({
        path: this.basePath(),
        auth: this.baseAuth(),
        headers: { "content-type": t },
        body: bytes,
        label: `content-type ${JSON.stringify(t)}; ${b.label}`,
        refusedBy: "body",
        expect: undefined,
      });
    }
    return out;
  }

  /** A body where the document has none: ignored or refused, never a 5xx. */
  strayBodies(): Draft[] {
    if (this.hasBody || !this.#safe) return [];
    const rng = this.#rng.fork("stray");
    return [
      ["a JSON body", JSON.stringify({ events: [], cv: rng.pick(PROMPT_INJECTIONS) }), "application/json"],
      ["broken JSON", '{"a":', "application/json"],
      ["a 2 MB body", "x".repeat(2_000_000), "text/plain"],
      ["binary", Buffer.from([0xff, 0xfe, 0x00, 0x01]), "application/octet-stream"],
      ["deep JSON", `${"[".repeat(50_000)}${"]".repeat(50_000)}`, "application/json"],
    ].map(([what, body, type]) => ({
      path: this.basePath(),
      auth: this.baseAuth(),
      headers: { "content-type": type as string },
      body: body as string | Buffer,
      label: `body on a bodiless operation: ${what}`,
      refusedBy: undefined,
      expect: undefined,
    }));
  }

  /** A random mix of hostile parts, for the combinations that fill the target. */
  combination(rng: Rng): Draft {
    // Without a body to break, an unsafe operation's combination always carries a refused token.
    const refusedToken = this.#op.secured && (rng.chance(0.4) || (!this.hasBody && !this.#safe));
    const names = this.#refusedTokenNames();
    const lookalike =
      this.#op.secured && !refusedToken && rng.chance(0.25)
        ? rng.pick(Object.keys(LOOKALIKES) as Lookalike[])
        : undefined;
    const auth: AuthVariant | undefined = refusedToken
      ? { refused: rng.pick(names) }
      : lookalike
        ? { lookalike }
        : this.#op.secured
          ? { valid: rng.pick(STRANGERS) }
          : undefined;
    const parts: string[] = [authLabel(auth ?? VALID)];
    let path = this.basePath();
    const headers: Record<string, string> = {};
    if (rng.chance(0.3)) {
      const q = `${segment(rng.pick(["limit", "cursor", "fuzz", "__proto__"]))}=${segment(rng.pick([...UNICODE_JUNK, ...TRAVERSAL_IDS, "-1"]))}`;
      path += `${path.includes("?") ? "&" : "?"}${q}`;
      parts.push(`query ${q.slice(0, 30)}`);
    }
    if (rng.chance(0.3)) {
      headers["x-fuzz"] = headerSafe(rng.pick([...PROMPT_INJECTIONS, ...TRAVERSAL_IDS]).slice(0, 300));
      parts.push("x-fuzz header");
    }
    let body: string | Buffer | undefined;
    let refusedBy: RefusedBy | undefined = refusedToken ? "token" : undefined;
    if (this.hasBody) {
      const b = this.hostileBody(rng);
      headers["content-type"] = rng.chance(0.3)
        ? rng.pick(JSON_ISH_TYPES.filter((t) => !/utf-16|latin1/.test(t)))
        : this.#op.body!.mediaTypes[0]!;
      body = b.text;
      refusedBy ??= "body";
      parts.push(b.label);
    }
    return {
      path,
      auth,
      headers,
      body,
      label: `combination: ${parts.join("; ")}`,
      refusedBy,
      expect:
        auth && "refused" in auth
          ? [REFUSED_TOKENS[auth.refused]]
          : lookalike && !LOOKALIKES[lookalike].usable
            ? [401]
            : undefined,
    };
  }

  /** Methods the document does not list for this path: no route, whatever they carry. */
  otherMethods(documented: ReadonlySet<string>): Draft[] {
    return OTHER_METHODS.filter((m) => !documented.has(m)).map((m) => {
      const b = this.hasBody ? this.hostileBody(this.#rng.fork(m)) : undefined;
      return {
        method: m,
        path: this.basePath(),
        auth: this.#op.secured ? { valid: "owner" } : undefined,
        headers: b ? { "content-type": "application/json" } : {},
        body: b?.text,
        label: `method ${m}, which the document does not list for ${this.#op.path}`,
        refusedBy: "no route",
        expect: [404],
      };
    });
  }
}

/** Numbers just outside a numeric parameter's documented range, and non-integers for integers. */
const numericBounds = (p: Parameter): string[] => {
  const s = p.schema;
  if (s["type"] !== "integer" && s["type"] !== "number") return [];
  const out: string[] = [];
  if (typeof s["minimum"] === "number") out.push(String(s["minimum"] - 1));
  if (typeof s["maximum"] === "number") out.push(String(s["maximum"] + 1), String(s["maximum"] * 1_000_000));
  if (s["type"] === "integer") out.push("2.5");
  return out;
};

/** All cases for the document, numbered, in a seeded order. */
export const generateCases = (model: ApiModel, options: CaseOptions): FuzzCase[] => {
  const root = new Rng(options.seed);
  const drafts: Array<Draft & { op: Operation }> = [];
  const perOp = new Map<Operation, OperationCases>();
  for (const op of model.operations) perOp.set(op, new OperationCases(model, op, root.fork(op.key), options));
  const methodsByPath = new Map<string, Set<string>>();
  for (const op of model.operations)
    methodsByPath.set(op.path, (methodsByPath.get(op.path) ?? new Set()).add(op.method));

  const seenPaths = new Set<string>();
  for (const [op, c] of perOp) {
    const add = (ds: Draft[]) => {
      for (const d of ds) drafts.push({ ...d, op });
    };
    add(c.tokens());
    add(c.foreignIds());
    add(c.pathParams());
    add(c.pathJunk());
    add(c.query());
    add(c.headers());
    add(c.bodyFields(c.hasBody ? 260 : 0));
    add(c.rawBodies());
    add(c.contentTypes());
    add(c.strayBodies());
    if (!seenPaths.has(op.path)) {
      seenPaths.add(op.path);
      add(c.otherMethods(methodsByPath.get(op.path)!));
    }
  }
  const fill = root.fork("combinations");
  const ops = [...perOp.entries()];
  while (drafts.length < options.target) {
    const [op, c] = fill.pick(ops);
    drafts.push({ ...c.combination(fill.fork(drafts.length)), op });
  }
  const unguarded = drafts.find((d) => !SAFE.has(d.method ?? d.op.method) && !d.refusedBy);
  if (unguarded) throw new Error(`fuzz generator: a case on ${unguarded.op.key} may be valid: ${unguarded.label}`);
  return root
    .fork("order")
    .shuffle(drafts)
    .map(({ op, method, ...d }, index) => ({ ...d, index, op: op.key, method: method ?? op.method }));
};
