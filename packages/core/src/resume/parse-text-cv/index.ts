import type { Resume } from "../resume.ts";
import { splitLanguage } from "../text-cv-lines.ts";
import { parseEntries } from "./entries.ts";
import { toEducation, toProject, toVolunteer, toWork } from "./entry-to-resume.ts";
import { parseHeader } from "./header.ts";
import { append, paragraphs } from "./lines.ts";
import { splitSections } from "./sections.ts";
import { listItems, parseSkills } from "./skills.ts";

export { splitList } from "./skills.ts";

/**
 * Parses a plain-text or Markdown CV into JSON Resume.
 *
 * Reads: the name (first line), label and contact lines (email, phone, URLs,
 * "City, Region") up to the first section; sections by Markdown heading or by
 * a line naming a known section ("Experience", "WORK HISTORY", "Skills:");
 * entries by sub-heading or by a header line ("Position — Employer",
 * "Position at Employer", "Employer" over "Position") with a date line
 * ("Jan 2020 – Present", "2019-03 - 2021-06", "2018 to 2020"); bullets as
 * highlights; other prose as the entry's summary; skills as "Group: a, b"
 * or comma/pipe-separated lists. The result validates against the JSON
 * Resume schema (only well-formed emails and URLs are kept).
 */
export const parseTextCv = (text: string): Resume => {
  const lines = text.replace(/\r\n?/g, "\n").replace(/\t/g, "    ").split("\n");
  const blocks = splitSections(lines);
  const resume: Resume = {};
  const basics = parseHeader(blocks.header);
  for (const section of blocks.sections) {
    switch (section.kind) {
      case "summary": {
        const summary = paragraphs(section.lines);
        if (summary) basics.summary = basics.summary ? `${basics.summary}\n${summary}` : summary;
        break;
      }
      case "work":
        resume.work = append(resume.work, parseEntries(section).map(toWork));
        break;
      case "volunteer":
        resume.volunteer = append(resume.volunteer, parseEntries(section).map(toVolunteer));
        break;
      case "projects":
        resume.projects = append(resume.projects, parseEntries(section).map(toProject));
        break;
      case "education":
        resume.education = append(resume.education, parseEntries(section).map(toEducation));
        break;
      case "skills":
        resume.skills = append(resume.skills, parseSkills(section.lines));
        break;
      case "languages":
        resume.languages = listItems(section.lines).map((item) => {
          const m = splitLanguage(item);
          return m?.[1] ? { language: m[0].trim(), fluency: m[1].trim() } : { language: item };
        });
        break;
      case "interests":
        resume.interests = listItems(section.lines).map((name) => ({ name }));
        break;
      case "certificates":
        resume.certificates = parseEntries(section).map((e) => ({
          name: e.title,
          ...(e.range?.startDate ? { date: e.range.startDate } : {}),
        }));
        break;
      case "awards":
        resume.awards = parseEntries(section).map((e) => ({
          title: e.title,
          ...(e.range?.startDate ? { date: e.range.startDate } : {}),
          ...(e.summary ? { summary: e.summary } : {}),
        }));
        break;
      case "publications":
        resume.publications = parseEntries(section).map((e) => ({
          name: e.title,
          ...(e.range?.startDate ? { releaseDate: e.range.startDate } : {}),
          ...(e.summary ? { summary: e.summary } : {}),
        }));
        break;
      default:
        break;
    }
  }
  if (Object.keys(basics).length > 0) resume.basics = basics;
  return resume;
};
