/**
 * The one way tests read sample data: `events/` (the AWS-shaped events and
 * HTTP bodies the README documents) and `../shared` (the evaluation set and
 * JSON Resume samples, kept outside the repository).
 *
 *   fixture("http/post-job.valid.json")          events/http/post-job.valid.json, parsed
 *   sharedFixture("eval/resumes/01-….json")       ../shared/eval/resumes/01-….json, parsed
 *   sharedText("eval/jobs/01-….md")               the file's text
 *
 * Each call reads the file again, so a test may change what it gets.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The repository's root (this file is packages/core/src/testing/fixtures.ts). */
export const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");
export const eventsDir = join(repoRoot, "events");
/** Test data shared between projects: a sibling of the repository, never copied into it. */
export const sharedDir = join(repoRoot, "..", "shared");

// biome-ignore lint/suspicious/noExplicitAny: a fixture is whatever JSON the file holds; tests index it freely
type Json = any;

/** A JSON file under `events/`, parsed. */
export const fixture = <T = Json>(path: string): T => JSON.parse(readFileSync(join(eventsDir, path), "utf8")) as T;

/** A JSON file under `../shared`, parsed. */
export const sharedFixture = <T = Json>(path: string): T =>
  JSON.parse(readFileSync(join(sharedDir, path), "utf8")) as T;

/** A text file under `../shared`. */
export const sharedText = (path: string): string => readFileSync(join(sharedDir, path), "utf8");
