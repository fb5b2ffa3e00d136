/**
 * `$schema` and `meta` (canonical URL, version, last modified): bookkeeping a
 * tailored CV either keeps as the source has it or leaves out. A changed one
 * points readers elsewhere (a foreign `meta.canonical`, a `$schema` URL a
 * renderer may fetch), so each field must equal the source's.
 */
import type { Resume } from "../../resume/resume.ts";
import { stringLeaves } from "../../resume/text-leaves.ts";
import type { Mark, Report } from "./report.ts";

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export const checkBookkeeping = (source: Resume, tailored: Resume, report: Report, mark: Mark): void => {
  const shown = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));
  if (tailored.$schema !== undefined) {
    mark("$schema");
    if (tailored.$schema !== source.$schema) {
      report(
        "$schema",
        shown(tailored.$schema),
        `$schema differs from the source CV's (source: ${shown(source.$schema ?? null)})`,
      );
    }
  }
  const meta: unknown = tailored.meta;
  if (meta === undefined) return;
  for (const leaf of stringLeaves(meta, "meta")) mark(leaf.path);
  mark("meta");
  const own = (source.meta ?? {}) as Record<string, unknown>;
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
    report("meta", shown(meta), "meta differs from the source CV's");
    return;
  }
  for (const [key, value] of Object.entries(meta)) {
    if (same(value, own[key])) continue;
    report(
      `meta.${key}`,
      shown(value),
      own[key] === undefined
        ? `meta.${key} is not in the source CV`
        : `meta.${key} differs from the source CV's (source: ${shown(own[key])})`,
    );
  }
};
