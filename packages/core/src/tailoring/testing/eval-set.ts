import { join } from "node:path";
import { Posting } from "../../contracts/posting.ts";
import type { Resume } from "../../resume/resume.ts";
import { sharedDir, sharedFixture } from "../../testing/fixtures.ts";
import { type PostingView, postingView } from "../posting-view.ts";

/** The shared evaluation set (`../shared/eval` next to the repo), for tests only. */
export const EVAL_DIR = join(sharedDir, "eval");

export interface EvalPair {
  readonly resume: string;
  readonly job: string;
  readonly jobJson: string;
  readonly expected: "strong" | "partial" | "weak";
}

const readJson = (path: string): unknown => sharedFixture(`eval/${path}`);

export const evalPairs = (): EvalPair[] => readJson("pairs.json") as EvalPair[];

export const loadResume = (path: string): Resume => readJson(path) as Resume;

/**
 * A job file of the set (`jobs-json/…`, the JSON Resume job schema) as a
 * producer sends it: as is, unparsed (every one is a valid `Posting`: posting.test.ts checks).
 */
export const loadJob = (path: string): Posting => readJson(path) as Posting;

/** A job file of the set as the engines read it: validated by `Posting`, then `postingView`. */
export const loadPosting = (path: string): PostingView => postingView(Posting.parse(loadJob(path)));

export const resumeFiles = (): string[] => [...new Set(evalPairs().map((p) => p.resume))].sort();
