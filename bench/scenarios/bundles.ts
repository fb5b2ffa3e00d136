/**
 * Issue 12 §1.6, bundles and cold start: each function of the topology
 * bundled as deployed (esbuild's JS API with the CDK app's own settings,
 * FUNCTION_BUNDLING in infra/src/pipeline-function.ts, and the esbuild the CDK
 * app runs), its size and the time a fresh Node process takes to import it.
 *
 * Baseline, per function: a bundle built the same way that imports only the
 * AWS SDK it uses: each @aws-sdk package the function's own code (or any
 * non-SDK dependency) imports, with the client classes and commands of that
 * package found in the function's bundle (esbuild metafile), or the whole
 * package when it has neither. So subject − baseline is everything that is
 * not the SDK: our code, zod, ajv, Powertools, middy.
 *
 * Import time: `node -e 'await import(bundle)'` with the functions'
 * NODE_OPTIONS, from a temporary directory with no node_modules in reach and
 * no NODE_PATH (a deployed function has neither: a run-time require of a
 * package fails there, as it would in Lambda). Subject and baseline alternate;
 * the median of the rounds is the figure, p99 is the slowest round.
 *
 * Targets: size and import time each ≤ 1.3× the function's baseline.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type FunctionSpec, functions } from "@cvpipe/core/topology";
import type { Measure, Scenario, ScenarioRow } from "../scenario.ts";

const repoRoot = join(import.meta.dirname, "..", "..");
const TARGET = { ratio: 1.3, better: "lower" } as const;

/** The part of esbuild's JS API used here (esbuild itself is infra's dependency, as the CDK app runs it). */
interface Metafile {
  readonly inputs: Record<string, { readonly bytes: number; readonly imports: readonly { readonly path: string }[] }>;
  readonly outputs: Record<
    string,
    { readonly bytes: number; readonly entryPoint?: string; readonly inputs: Record<string, { bytesInOutput: number }> }
  >;
}
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ metafile?: Metafile }>;
  version: string;
}
const esbuild = createRequire(join(repoRoot, "infra", "package.json"))("esbuild") as Esbuild;

/** The CDK bundling options this scenario maps to esbuild's API, as aws-cdk-lib's NodejsFunction passes them. */
const MAPPED = new Set([
  "format",
  "target",
  "mainFields",
  "externalModules",
  "minify",
  "sourceMap",
  "sourcesContent",
  "banner",
]);

interface CdkBundling {
  readonly format?: string;
  readonly target?: string;
  readonly mainFields?: readonly string[];
  readonly externalModules?: readonly string[];
  readonly minify?: boolean;
  readonly sourceMap?: boolean;
  readonly sourcesContent?: boolean;
  readonly banner?: string;
}

/** `esbuild --bundle <entry> --platform=node ...` as aws-cdk-lib builds the command (Bundling.buildEsbuildArgs). */
const esbuildOptions = (bundling: CdkBundling, entry: string, outdir: string): Record<string, unknown> => {
  for (const key of Object.keys(bundling)) {
    if (!MAPPED.has(key))
      throw new Error(`bench/scenarios/bundles.ts does not map the CDK bundling option "${key}" yet`);
  }
  return {
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    absWorkingDir: repoRoot,
    outfile: join(outdir, bundling.format === "esm" ? "index.mjs" : "index.js"),
    metafile: true,
    logLevel: "error",
    ...(bundling.target === undefined ? {} : { target: bundling.target }),
    ...(bundling.format === undefined ? {} : { format: bundling.format }),
    ...(bundling.minify ? { minify: true } : {}),
    ...(bundling.sourceMap ? { sourcemap: true } : {}),
    ...(bundling.sourcesContent === false ? { sourcesContent: false } : {}),
    external: [...(bundling.externalModules ?? [])],
    ...(bundling.banner === undefined ? {} : { banner: { js: bundling.banner } }),
    ...(bundling.mainFields === undefined ? {} : { mainFields: [...bundling.mainFields] }),
  };
};

/** `node_modules/.pnpm/x/node_modules/@aws-sdk/client-sqs/dist-es/SQSClient.js` → its package. */
const packageOf = (path: string): { name: string; dir: string; file: string } | undefined => {
  const at = path.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const rest = path.slice(at + "node_modules/".length).split("/");
  const length = rest[0]!.startsWith("@") ? 2 : 1;
  const name = rest.slice(0, length).join("/");
  return { name, dir: path.slice(0, at + "node_modules/".length) + name, file: rest.slice(length).join("/") };
};
const isSdk = (name: string): boolean => /^@(aws-sdk|smithy|aws-crypto)\//.test(name);

/** Bytes in the bundle by package (or by workspace folder for our own code), largest first. */
const bytesBySource = (output: Metafile["outputs"][string]): [string, number][] => {
  const by = new Map<string, number>();
  for (const [path, info] of Object.entries(output.inputs)) {
    const key = packageOf(path)?.name ?? path.split("/").slice(0, 2).join("/");
    by.set(key, (by.get(key) ?? 0) + info.bytesInOutput);
  }
  return [...by.entries()].sort((a, b) => b[1] - a[1]);
};

interface SdkUse {
  /** package name → what the baseline imports from it (undefined: everything). */
  readonly exports: Map<string, Set<string> | undefined>;
  /** Where each package's own node_modules folder is, for resolving it from the baseline's entry. */
  readonly nodePaths: Set<string>;
}

/**
 * The @aws-sdk packages the non-SDK code of a bundle imports and the bundle
 * holds: of a package with client classes and commands, those the bundle
 * holds; of any other (a presigner, a marshaller), everything.
 */
const sdkUse = (metafile: Metafile, output: Metafile["outputs"][string]): SdkUse => {
  const direct = new Map<string, string>();
  for (const [path, input] of Object.entries(metafile.inputs)) {
    const from = packageOf(path);
    if (from !== undefined && isSdk(from.name)) continue;
    for (const { path: to } of input.imports) {
      const target = packageOf(to);
      if (target?.name.startsWith("@aws-sdk/")) direct.set(target.name, target.dir);
    }
  }
  const exports = new Map<string, Set<string> | undefined>();
  const nodePaths = new Set<string>();
  for (const [name, dir] of direct) {
    const names = new Set<string>();
    let held = false;
    for (const [path, info] of Object.entries(output.inputs)) {
      const p = packageOf(path);
      if (p?.name !== name || info.bytesInOutput === 0) continue;
      held = true;
      const m = /^dist-es\/(?:commands\/(\w+Command)|(\w+Client))\.js$/.exec(p.file);
      if (m !== null) names.add((m[1] ?? m[2])!);
    }
    // Imported but tree-shaken away (a client another function uses): not this function's SDK.
    if (!held || (names.size === 0 && name.startsWith("@aws-sdk/client-"))) continue;
    exports.set(name, names.size > 0 ? names : undefined);
    // `dir` ends in `node_modules/@aws-sdk/<name>`: resolve the same copy the function bundled.
    nodePaths.add(join(repoRoot, dir, "..", ".."));
  }
  return { exports, nodePaths };
};

const baselineEntry = (use: SdkUse): string =>
  [
    "// The AWS SDK a function uses, and nothing else.",
    // Prefixed: packages share command names (QueryCommand is in client-dynamodb and lib-dynamodb).
    ...[...use.exports].map(([name, names], i) =>
      names === undefined
        ? `export * as sdk${i} from ${JSON.stringify(name)};`
        : `export { ${[...names]
            .sort()
            .map((n) => `${n} as sdk${i}_${n}`)
            .join(", ")} } from ${JSON.stringify(name)};`,
    ),
    "export const handler = async () => undefined;",
    "",
  ].join("\n");

/** Milliseconds a fresh Node process takes to import `file` (load, parse, evaluate). */
const importMs = (file: string, env: NodeJS.ProcessEnv): Promise<number> =>
  new Promise((resolve, reject) => {
    const script =
      "const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));";
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, file], {
      cwd: dirname(file),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0 && Number.isFinite(Number(out))) resolve(Number(out));
      else
        reject(new Error(`importing ${file} failed (exit ${code}): ${err.trim().split("\n").slice(0, 6).join(" | ")}`));
    });
  });

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const kib = (bytes: number): number => bytes / 1024;
const fmt = (n: number): string => n.toFixed(1);

const scenario: Scenario = {
  id: "bundles",
  title: "Bundles and cold start (each function as deployed vs its AWS SDK alone)",
  async run(context) {
    // Loaded here, not at discovery: the construct module brings aws-cdk-lib with it.
    const { FUNCTION_BUNDLING, FUNCTION_NODE_OPTIONS, powertoolsServiceName } = await import(
      "../../infra/src/pipeline-function.ts"
    );
    const rounds = context.quick ? 3 : Number(process.env["BENCH_BUNDLE_ROUNDS"] ?? 9);
    const root = await mkdtemp(join(tmpdir(), "cvpipe-bundles-"));
    const rows: ScenarioRow[] = [];
    try {
      for (const spec of Object.values(functions) as FunctionSpec[]) {
        context.progress(`bundles: ${spec.id}: building`);
        const dir = join(root, spec.id);
        const built = await esbuild.build(esbuildOptions(FUNCTION_BUNDLING, join(repoRoot, spec.entry), dir));
        const metafile = built.metafile!;
        const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined)!;
        const use = sdkUse(metafile, output);

        const baseDir = join(root, `${spec.id}-sdk-only`);
        const baseEntry = join(root, `${spec.id}-sdk-only.mjs`);
        await writeFile(baseEntry, baselineEntry(use));
        const baseBuilt = await esbuild.build({
          ...esbuildOptions(FUNCTION_BUNDLING, baseEntry, baseDir),
          nodePaths: [...use.nodePaths],
        });
        const baseOutput = Object.values(baseBuilt.metafile!.outputs).find((o) => o.entryPoint !== undefined)!;

        const file = join(dir, "index.mjs");
        const baseFile = join(baseDir, "index.mjs");
        const size = (await stat(file)).size;
        const baseSize = (await stat(baseFile)).size;
        const mapSize = (await stat(`${file}.map`).catch(() => ({ size: 0 }))).size;

        // Lambda's environment as far as import goes: no NODE_PATH, no node_modules, the functions' NODE_OPTIONS.
        const env: NodeJS.ProcessEnv = {
          PATH: dirname(process.execPath),
          NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
          AWS_REGION: "eu-west-1",
          TZ: "UTC",
          POWERTOOLS_SERVICE_NAME: powertoolsServiceName("bench", spec.id),
        };
        const times: number[] = [];
        const baseTimes: number[] = [];
        await importMs(file, env); // warm the file cache for both
        await importMs(baseFile, env);
        for (let r = 0; r < rounds; r++) {
          times.push(await importMs(file, env));
          baseTimes.push(await importMs(baseFile, env));
        }
        context.progress(`bundles: ${spec.id}: ${fmt(kib(size))} KiB, import ${fmt(median(times))} ms`);

        const nonSdk = bytesBySource(output)
          .filter(([name]) => !isSdk(name))
          .slice(0, 6)
          .map(([name, bytes]) => `${name} ${fmt(kib(bytes))}`)
          .join(", ");
        const clients = [...use.exports]
          .map(
            ([name, names]) => `${name.replace("@aws-sdk/", "")}${names === undefined ? " (all)" : `: ${names.size}`}`,
          )
          .join(", ");
        const sizeOf = (label: string, bytes: number): Measure => ({ label, value: kib(bytes), unit: "KiB" });
        const timeOf = (label: string, ms: readonly number[]): Measure => ({
          label,
          value: median(ms),
          unit: "ms",
          p50Ms: median(ms),
          p99Ms: Math.max(...ms),
        });
        rows.push({
          case: `${spec.id}: bundle size`,
          subject: sizeOf(`${spec.id} bundle`, size),
          baseline: sizeOf("its AWS SDK alone", baseSize),
          ratio: size / baseSize,
          target: TARGET,
          notes:
            `minified ESM (esbuild ${esbuild.version}), source map ${fmt(kib(mapSize))} KiB not counted; ` +
            `largest non-SDK parts (KiB): ${nonSdk}; SDK (classes and commands): ${clients}; ` +
            `baseline holds ${Object.keys(baseOutput.inputs).length} inputs`,
        });
        rows.push({
          case: `${spec.id}: import in a fresh process`,
          subject: timeOf(`${spec.id} bundle`, times),
          baseline: timeOf("its AWS SDK alone", baseTimes),
          ratio: median(times) / median(baseTimes),
          target: TARGET,
          notes: `median of ${rounds} fresh processes each, alternating; p99 = slowest; NODE_OPTIONS=${FUNCTION_NODE_OPTIONS}`,
        });
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    return rows;
  },
};

export default scenario;
