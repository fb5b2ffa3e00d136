import * as z from "../contracts/zod.ts";

/**
 * The top-level shape of a JSON Resume, for checking a model's answer before
 * the full schema (whose messages are about details, not "this is not a CV").
 */
const entries = () => z.optional(z.array(z.record(z.string(), z.unknown())));
export const ResumeShape = z
  .looseObject({
    basics: z.optional(z.record(z.string(), z.unknown())),
    work: entries(),
    education: entries(),
    skills: entries(),
    projects: entries(),
  })
  .check(z.refine((r) => r.basics !== undefined || r.work !== undefined, { message: "has neither basics nor work" }));

/** Problems with the shape, as readable strings; [] when it looks like a JSON Resume. */
export const resumeShapeProblems = (value: unknown): string[] => {
  const result = ResumeShape.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
};
