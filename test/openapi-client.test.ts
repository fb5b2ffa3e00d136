/**
 * An integrator's client, generated from the served document: `GET
 * /v1/openapi.json` → openapi-typescript → `api.d.ts`; a small producer
 * (openapi-client/producer.ts.txt: submit a job, poll it, list jobs, upload a
 * CV, read a 400's and a 409's details by code) written against it with
 * openapi-fetch and no casts must type-check with strict and
 * exactOptionalPropertyTypes, and its calls, run against the stack, give what
 * the types say. A type that forces a cast is a fix to the document, not to
 * the producer.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

/** The generator, or why it is not there (the test is then skipped, saying so). */
const generator = await import("openapi-typescript").catch((error: unknown) => error as Error);
const clientInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve("openapi-fetch");
    return true;
  } catch {
    return false;
  }
})();
const missing = generator instanceof Error ? "openapi-typescript" : clientInstalled ? undefined : "openapi-fetch";
if (missing) console.warn(`openapi-client: ${missing} is not installed (test/package.json): skipped`);
const clientTest = missing ? test.skip : test;

let stack: TestStack;
let dir: string;
/** The stack's "now" at start-up: a Wednesday of 2026-W47, whatever today is. */
const START = new Date("2026-11-18T10:00:00Z");

test.before(async () => {
  stack = await startTestStack({ clockStart: START });
  dir = mkdtempSync(join(tmpdir(), "cvpipe-openapi-client-"));
  // The producer imports openapi-fetch as an integrator's would: from a node_modules beside it.
  symlinkSync(join(import.meta.dirname, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
});
test.after(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The producer's entry point, as the test calls it (the producer's own types are the generated ones). */
type Produce = (
  baseUrl: string,
  token: string,
  request: unknown,
  idempotencyKey: string,
) => Promise<{
  accepted: { jobId: string; status: string; self: string };
  finished: Record<string, unknown> & { score?: number };
  listed: string[];
  cv: { cvId: string; version: number; code: string };
  invalid: { status: number; path?: string; rule?: string };
  reused: { status: number; jobId?: string };
}>;

/** The compiler's complaints about the producer, as `file:line:col message`. */
const diagnosticsOf = (file: string): string[] => {
  const program = ts.createProgram([file], {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noImplicitAny: true,
    noEmit: true,
    skipLibCheck: false,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    // What a browser or Node 18+ producer has: fetch, Request, Response, setTimeout; no @types.
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const name = d.file ? d.file.fileName.replace(`${dir}/`, "") : "";
    return `${name}:${where ? `${where.line + 1}:${where.character + 1}` : ""} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
};

clientTest(
  "a client generated from GET /v1/openapi.json types a producer with no casts, and its calls answer as typed",
  async () => {
    if (generator instanceof Error) throw generator;
    const served = await stack.api.request("GET", "/v1/openapi.json", { token: null });
    assert.is(served.status, 200);
    const ast = await generator.default(served.body as Parameters<typeof generator.default>[0]);
    writeFileSync(join(dir, "api.d.ts"), generator.astToString(ast));
    const source = readFileSync(join(import.meta.dirname, "openapi-client", "producer.ts.txt"), "utf8");
    assert.not.match(source, /\bas\s+(unknown|any|[A-Z{])|<any>|:\s*any\b|@ts-/, "the producer has no casts");
    const producer = join(dir, "producer.ts");
    writeFileSync(producer, source);

    const diagnostics = diagnosticsOf(producer);
    console.log(`openapi-client: ${diagnostics.length} diagnostics`);
    assert.equal(diagnostics, [], diagnostics.join("\n"));

    const { produce } = (await import(producer)) as { produce: Produce };
    const request = fixture("http/post-job.valid.json");
    const produced = await produce(stack.info.apiUrl, await stack.api.token(), request, "openapi-client-key-1");

    assert.match(produced.accepted.jobId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.is(produced.accepted.status, "QUEUED");
    assert.is(produced.accepted.self, `/v1/jobs/${produced.accepted.jobId}`);
    assert.equal(produced.finished, {
      status: "SUCCEEDED",
      name: "Dana Okafor",
      firstPosition: request.cv.work[0].position,
      score: produced.finished.score,
      passed: true,
    });
    assert.type(produced.finished.score, "number");
    assert.ok(produced.listed.includes(produced.accepted.jobId), "the listing has the job");
    assert.is(produced.cv.version, 1);
    assert.is(produced.cv.code, "CREATED");
    assert.match(produced.cv.cvId, /^[0-9a-f-]{36}$/);
    assert.is(produced.invalid.status, 400);
    assert.match(produced.invalid.path ?? "", /^body\.job/);
    assert.type(produced.invalid.rule, "string");
    assert.is(produced.reused.status, 409);
    assert.match(produced.reused.jobId ?? "", /^[0-9a-f-]{36}$/, "the 409 names the job the key created");
  },
);

const redocly = await import("@redocly/openapi-core").catch((error: unknown) => error as Error);
if (redocly instanceof Error)
  console.warn("openapi-client: @redocly/openapi-core is not installed (test/package.json): skipped");
const lintTest = redocly instanceof Error ? test.skip : test;

lintTest("the served document has no error by redocly's recommended rules (its warnings printed)", async () => {
  if (redocly instanceof Error) throw redocly;
  const served = await stack.api.request("GET", "/v1/openapi.json", { token: null });
  // The built-in ruleset and the document's own (internal) refs: nothing is fetched.
  const config = await redocly.createConfig({ extends: ["recommended"] });
  const problems = await redocly.lintFromString({
    source: JSON.stringify(served.body),
    absoluteRef: join(dir, "openapi.json"),
    config,
  });
  const line = (p: (typeof problems)[number]) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`;
  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.filter((p) => p.severity === "warn");
  console.log(`redocly lint: ${errors.length} errors, ${warnings.length} warnings`);
  for (const warning of warnings) console.log(`  ${line(warning)}`);
  assert.equal(errors.map(line), []);
});

test.run();
