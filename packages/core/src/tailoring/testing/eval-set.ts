import { join } from "node:path";
import type { Posting } from "../../contracts/job-request.ts";
import type { Resume } from "../../resume/resume.ts";
import { sharedDir, sharedFixture } from "../../testing/fixtures.ts";

/** The shared evaluation set (`../shared/eval` next to the repo), for tests only. */
export const EVAL_DIR = join(sharedDir, "eval");

export interface EvalPair {
  readonly resume: string;
  readonly job: string;
  readonly jobJson: string;
  readonly expected: "strong" | "partial" | "weak";
}

interface JobJson {
  title?: string;
  company?: string;
  description?: string;
  responsibilities?: string[];
  qualifications?: string[];
  niceToHave?: string[];
  skills?: Array<{ name?: string; keywords?: string[] }>;
}

const readJson = (path: string): unknown => sharedFixture(`eval/${path}`);

export const evalPairs = (): EvalPair[] => readJson("pairs.json") as EvalPair[];

export const loadResume = (path: string): Resume => readJson(path) as Resume;

/** A job in the JSON Resume job schema → the Posting a producer would send. */
export const loadPosting = (path: string): Posting => {
  const j = readJson(path) as JobJson;
  const description = [
    j.description ?? "",
    ...(j.responsibilities ?? []),
    ...(j.qualifications ?? []),
    ...(j.skills ?? []).map((s) => `${s.name ?? "Skills"}: ${(s.keywords ?? []).join(", ")}`),
  ]
    .filter((s) => s.trim() !== "")
    .join("\n");
  return {
    description,
    ...(j.title === undefined ? {} : { title: j.title }),
    ...(j.company === undefined ? {} : { company: j.company }),
  };
};

export const resumeFiles = (): string[] => [...new Set(evalPairs().map((p) => p.resume))].sort();
