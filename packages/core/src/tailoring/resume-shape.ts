import { z } from "zod";

/**
 * The top-level shape of a JSON Resume, for checking a model's answer before
 * the full schema (whose messages are about details, not "this is not a CV").
 */
export const ResumeShape = z
  .object({
    basics: z.record(z.string(), z.unknown()).optional(),
    work: z.array(z.record(z.string(), z.unknown())).optional(),
    education: z.array(z.record(z.string(), z.unknown())).optional(),
    skills: z.array(z.record(z.string(), z.unknown())).optional(),
    projects: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .loose()
  .refine((r) => r.basics !== undefined || r.work !== undefined, { message: "has neither basics nor work" });

/** Problems with the shape, as readable strings; [] when it looks like a JSON Resume. */
export const resumeShapeProblems = (value: unknown): string[] => {
  const result = ResumeShape.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
};
