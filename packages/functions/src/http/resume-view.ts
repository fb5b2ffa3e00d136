/**
 * The tailored CV as the document describes it: the JSON Resume fields cvpipe
 * reads and writes (core/resume/resume.ts), each object open as the JSON
 * Resume schema leaves it (`additionalProperties` allowed, closed or not), so
 * a generated client reads `result.resume.basics.name` as a string without a
 * cast. The full schema (@jsonresume/schema) checked it when it was produced.
 */
import * as z from "@cvpipe/core/contracts/zod";
import type { Resume } from "@cvpipe/core/resume/resume";

const text = z.optional(z.string());
const texts = z.optional(z.array(z.string()));
/** A JSON Resume date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
const date = z.optional(z.string().check(z.meta({ examples: ["2021-04"] })));
const entries = z.optional(z.array(z.record(z.string(), z.unknown())));

const ResumeLocation = z.looseObject({ address: text, postalCode: text, city: text, countryCode: text, region: text });

const ResumeBasics = z.looseObject({
  name: text,
  label: text,
  image: text,
  email: text,
  phone: text,
  url: text,
  summary: text,
  location: z.optional(ResumeLocation),
  profiles: z.optional(z.array(z.looseObject({ network: text, username: text, url: text }))),
});

const ResumeWork = z.looseObject({
  name: text,
  location: text,
  description: text,
  position: text,
  url: text,
  startDate: date,
  endDate: date,
  summary: text,
  highlights: texts,
});

const ResumeEducation = z.looseObject({
  institution: text,
  url: text,
  area: text,
  studyType: text,
  startDate: date,
  endDate: date,
  score: text,
  courses: texts,
});

const ResumeSkill = z.looseObject({ name: text, level: text, keywords: texts });

const ResumeProject = z.looseObject({
  name: text,
  description: text,
  highlights: texts,
  keywords: texts,
  startDate: date,
  endDate: date,
  url: text,
  roles: texts,
  entity: text,
  type: text,
});

/** Typed as the domain's `Resume` (what the code builds answers from); the schema is its JSON form. */
export const ResumeView = z.looseObject({
  $schema: text,
  basics: z.optional(ResumeBasics),
  work: z.optional(z.array(ResumeWork)),
  volunteer: entries,
  education: z.optional(z.array(ResumeEducation)),
  awards: entries,
  certificates: entries,
  publications: entries,
  skills: z.optional(z.array(ResumeSkill)),
  languages: entries,
  interests: entries,
  references: entries,
  projects: z.optional(z.array(ResumeProject)),
  meta: z.optional(z.record(z.string(), z.unknown())),
}) as unknown as z.ZodMiniType<Resume>;
