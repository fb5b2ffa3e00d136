/**
 * `node bench/support/profile-top.ts <file.cpuprofile> [n]`: where a V8 CPU
 * profile (node --cpu-prof) spent its time — self time by package (the
 * node_modules package or workspace package a frame's file belongs to) and
 * the top frames by self time, as percentages of the profile.
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export const packageOf = (url: string): string => {
  if (url === "") return "(native/vm)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ws = /\/(packages|bench|test)\/([^/]+)\//.exec(url);
  if (ws) return ws[1] === "packages" ? `@cvpipe/${ws[2]}` : ws[1]!;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  return url;
};

/** Coarse categories for a stack profile: what a frame's self time is spent on. */
export const categoryOf = (url: string, functionName: string): string => {
  if (functionName === "(idle)") return "idle";
  if (functionName === "(garbage collector)") return "GC (on the thread)";
  if (functionName === "(program)" || functionName === "(root)") return "V8/native (program)";
  const p = packageOf(url);
  if (p.startsWith("@smithy/") || p.startsWith("@aws-sdk/")) return "AWS SDK (client side)";
  if (p === "fauxqs" || p === "fastify" || p === "find-my-way" || p === "toad-cache" || p === "avvio")
    return "SQS/S3 emulator (fauxqs)";
  if (
    p === "dynalite" ||
    p.includes("level") ||
    p === "big.js" ||
    p === "buffer-crc32" ||
    p === "lock" ||
    p === "async"
  )
    return "DynamoDB emulator (dynalite, LevelDB)";
  if (url.includes("/core/src/tailoring/") || url.includes("/core/src/resume/"))
    return "tailoring and CV validation (core)";
  if (url.includes("/analytics/")) return "analytics fold (core, aws)";
  if (
    p === "@cvpipe/core" ||
    p === "@cvpipe/aws" ||
    p === "@cvpipe/functions" ||
    p.startsWith("@middy") ||
    p.startsWith("@aws-lambda-powertools") ||
    p === "zod" ||
    p === "ajv" ||
    p === "ajv-formats"
  )
    return "handlers, adapters, validation (cvpipe, middy, powertools, zod, ajv)";
  if (p === "@cvpipe/local" || p === "jose") return "local gateway, JWT, poller";
  if (
    p.startsWith("node:_http") ||
    p === "node:http" ||
    p === "node:net" ||
    p === "node:internal" ||
    p === "node:events" ||
    p === "node:buffer" ||
    p === "node:stream"
  )
    return "Node HTTP, sockets, streams, crypto";
  // Sampled on the wall clock: a thread preempted inside a socket write (the receiving thread woken on
  // this core) shows as writev. /proc's counters put the thread's system time far below these samples.
  if (url === "" && functionName === "writev") return "preempted in writev";
  if (url === "") return "V8/native (other)";
  return "other";
};

export const categories = (profile: Profile): Array<[string, number]> => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]!)!;
    const c = categoryOf(n.callFrame.url, n.callFrame.functionName);
    const us = profile.timeDeltas[i] ?? 0;
    totals.set(c, (totals.get(c) ?? 0) + us);
    total += us;
  }
  const waiting = new Set(["idle", "preempted in writev"]);
  const busy = total - [...waiting].reduce((n, c) => n + (totals.get(c) ?? 0), 0);
  return [...totals.entries()]
    .filter(([c]) => !waiting.has(c))
    .sort((a, b) => b[1] - a[1])
    .map(([c, us]) => [c, (100 * us) / busy]);
};

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byPackage: Array<[string, number]>;
  readonly topFrames: Array<[string, number]>;
}

export const summarize = (profile: Profile): ProfileSummary => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const pkg = new Map<string, number>();
  const frames = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const p = packageOf(url);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
    const name = `${functionName || "(anonymous)"} ${url ? `${url.replace(/.*node_modules\//, "").replace(/.*\/work\/main\//, "")}:${lineNumber + 1}` : ""}`;
    frames.set(name, (frames.get(name) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, (100 * v) / total] as [string, number]);
  return { totalMs: total / 1000, byPackage: sorted(pkg), topFrames: sorted(frames) };
};

/** Self time of frames named `name`, split by their caller chain (up to `depth` frames), as percentages. */
export const callersOf = (profile: Profile, name: string, depth = 4): Array<[string, number]> => {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const chains = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    if (byId.get(id)!.callFrame.functionName !== name) continue;
    const chain: string[] = [];
    let at = parent.get(id);
    while (at !== undefined && chain.length < depth) {
      const f = byId.get(at)!.callFrame;
      chain.push(
        `${f.functionName || "(anonymous)"}@${f.url.replace(/.*node_modules\//, "").replace(/.*\/work\/main\//, "")}:${f.lineNumber + 1}`,
      );
      at = parent.get(at);
    }
    const key = chain.join(" < ");
    chains.set(key, (chains.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return [...chains.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, (100 * v) / total]);
};

if (import.meta.main && process.argv[3] === "--categories") {
  const profile = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Profile;
  console.log("share of the thread's samples, idle and writev (preempted) left out");
  for (const [k, v] of categories(profile)) console.log(`${v.toFixed(1).padStart(6)}%  ${k}`);
} else if (import.meta.main && process.argv[3] === "--callers") {
  const profile = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Profile;
  for (const [k, v] of callersOf(profile, process.argv[4]!, Number(process.argv[5] ?? 4)).slice(0, 15))
    console.log(`${v.toFixed(1).padStart(6)}%  ${k}`);
} else if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: profile-top.ts <file.cpuprofile> [n]");
  const n = Number(process.argv[3] ?? 25);
  const s = summarize(JSON.parse(readFileSync(file, "utf8")) as Profile);
  console.log(`${file}: ${(s.totalMs / 1000).toFixed(1)} s sampled`);
  console.log("\nself time by package");
  for (const [k, v] of s.byPackage.slice(0, n)) console.log(`${v.toFixed(1).padStart(6)}%  ${k}`);
  console.log("\ntop frames by self time");
  for (const [k, v] of s.topFrames.slice(0, n)) console.log(`${v.toFixed(1).padStart(6)}%  ${k}`);
}
