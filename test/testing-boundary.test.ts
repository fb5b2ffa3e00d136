/**
 * The `testing/` modules (memory ports, fixtures, the eval set, seeded
 * randomness) are no part of any package's public surface
 * (scripts/testing-condition.ts). The export condition keeps them out of a
 * package-path import at run time, but not out of a relative one, and the
 * typecheck runs with the condition on for every file. So this test reads every
 * production source file — packages' and infra's `src/`, neither a test nor
 * itself under `testing/` — and fails on any import of a testing module, by
 * package path or relative path, static or dynamic; and it checks that every
 * `testing/` entry of a package's exports map is reachable under the condition
 * alone.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TESTING_CONDITION } from "../scripts/testing-condition.ts";
import { repoRoot } from "./support/settings.ts";

/** A module specifier that names a testing module: a `testing` path segment, by package path or relative. */
const namesTestingModule = (specifier: string): boolean => /(^|\/)testing(\/|$)/.test(specifier);

/** Every module a source file imports or re-exports, including `import()` and `import type`. */
const importsOf = (source: string): string[] =>
  ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);

const isProductionFile = (path: string): boolean =>
  path.endsWith(".ts") && !path.endsWith(".d.ts") && !/\.test\.ts$/.test(path) && !/(^|\/)testing\//.test(path);

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((entry) => !entry.split("/").includes("node_modules"))
    .map((entry) => join(dir, entry));

const productionRoots = (): string[] => [
  ...readdirSync(join(repoRoot, "packages")).map((name) => join(repoRoot, "packages", name, "src")),
  join(repoRoot, "infra", "src"),
];

test("the check sees what it must refuse: package-path, relative, dynamic and type-only imports of testing modules", () => {
  const probe = [
    'import { MemoryJobStore } from "@cvpipe/core/jobs/testing/memory-job-store";',
    'import { lambdaContext } from "./testing/lambda-context.ts";',
    'export { x } from "../jobs/testing/x.ts";',
    'import type { Y } from "../testing";',
    'const z = await import("@cvpipe/aws/analytics/testing/emulators");',
    'import { fine } from "@cvpipe/core/topology";',
    'import { alsoFine } from "./attesting.ts";',
  ].join("\n");
  assert.equal(importsOf(probe).filter(namesTestingModule), [
    "@cvpipe/core/jobs/testing/memory-job-store",
    "./testing/lambda-context.ts",
    "../jobs/testing/x.ts",
    "../testing",
    "@cvpipe/aws/analytics/testing/emulators",
  ]);
  assert.not.ok(isProductionFile("packages/core/src/jobs/testing/memory-job-store.ts"));
  assert.not.ok(isProductionFile("packages/core/src/topology.test.ts"));
  assert.ok(isProductionFile("packages/core/src/topology.ts"));
});

test("no production source file imports a testing module", () => {
  const offenders: string[] = [];
  let files = 0;
  for (const root of productionRoots()) {
    for (const path of sourceFiles(root).filter(isProductionFile)) {
      files++;
      for (const specifier of importsOf(readFileSync(path, "utf8")).filter(namesTestingModule)) {
        offenders.push(`${relative(repoRoot, path)} imports ${specifier}`);
      }
    }
  }
  assert.ok(files > 100, `read ${files} production files: the roots moved?`);
  assert.equal(offenders, [], offenders.join("\n"));
});

test(`every testing/ entry of a package's exports map resolves under the "${TESTING_CONDITION}" condition only`, () => {
  const problems: string[] = [];
  let entries = 0;
  for (const name of readdirSync(join(repoRoot, "packages"))) {
    const manifest = JSON.parse(readFileSync(join(repoRoot, "packages", name, "package.json"), "utf8")) as {
      exports?: Record<string, unknown>;
    };
    for (const [key, target] of Object.entries(manifest.exports ?? {})) {
      const testing = namesTestingModule(key) || (typeof target === "string" && namesTestingModule(target));
      if (!testing) continue;
      entries++;
      const conditions = typeof target === "object" && target !== null ? Object.keys(target) : [];
      if (conditions.length !== 1 || conditions[0] !== TESTING_CONDITION) {
        problems.push(`${name}: "${key}" → ${JSON.stringify(target)}`);
      }
    }
  }
  assert.ok(entries > 0, "no testing entries found in any exports map");
  assert.equal(problems, [], problems.join("\n"));
});

test.run();
