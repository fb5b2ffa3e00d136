import type { Resume } from "../../resume/resume.ts";

/** A CV whose skills' names hold seniority words ("Product-Led Growth", "Lead Generation") and whose titles hold none. */
export const GROWTH_SKILLS_CV: Resume = {
  basics: { name: "Priya", label: "Product Manager", summary: "Product manager for B2B SaaS onboarding." },
  work: [
    { name: "Acme", position: "Product Manager", startDate: "2020-01", highlights: ["Ran onboarding experiments."] },
  ],
  skills: [{ name: "Growth", keywords: ["Product-Led Growth", "Lead Generation", "Onboarding"] }],
};
