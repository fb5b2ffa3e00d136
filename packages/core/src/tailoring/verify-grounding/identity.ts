/** The candidate's identity and contact details: a tailored CV keeps the source's exactly. */
import type { Resume } from "../../resume/resume.ts";
import { stringLeaves } from "../../resume/text-leaves.ts";
import type { Mark, Report } from "./report.ts";

const IDENTITY_FIELDS = ["name", "email", "phone", "url", "website", "image"] as const;

export const checkIdentity = (source: Resume, tailored: Resume, report: Report, mark: Mark): void => {
  const a = (source.basics ?? {}) as Record<string, unknown>;
  const b = (tailored.basics ?? {}) as Record<string, unknown>;
  for (const field of IDENTITY_FIELDS) {
    const path = `basics.${field}`;
    mark(path);
    if (a[field] !== b[field]) {
      report(path, String(b[field] ?? ""), `identity field changed (source: ${JSON.stringify(a[field] ?? null)})`);
    }
  }
  for (const field of ["location", "profiles"] as const) {
    const path = `basics.${field}`;
    for (const leaf of stringLeaves(b[field], path)) mark(leaf.path);
    mark(path);
    if (JSON.stringify(a[field] ?? null) !== JSON.stringify(b[field] ?? null)) {
      report(
        path,
        JSON.stringify(b[field] ?? null),
        `identity field changed (source: ${JSON.stringify(a[field] ?? null)})`,
      );
    }
  }
};
