import type { Resume } from "../../resume/resume.ts";

/**
 * A CV whose personal details appear in every form PII redaction must catch:
 * names in other cases and as parts, a phone written five ways, profile user
 * names, e-mail and URLs — and words that only look like them (Linux, Liverpool).
 */
export const PII_SAMPLE_CV: Resume = {
  basics: {
    name: "Jo Li",
    email: "jo.li@example.org",
    phone: "+44 20 7946 0958",
    summary: "JO LI leads platform work. Li ships Linux tooling; jo-li-dev on GitHub; call 02079460958.",
    profiles: [
      { network: "GitHub", username: "jo-li-dev", url: "https://github.com/jo-li-dev" },
      { network: "Mastodon", username: "jl" },
    ],
  },
  work: [
    {
      name: "Acme",
      position: "Engineer",
      startDate: "2020-01",
      highlights: [
        "Mentored by jo li himself; reachable on 020 7946 0958 or +44 (0)20-7946-0958 or 0044 20 7946 0958.",
        "Built a delivery pipeline for Liverpool clients.",
      ],
    },
  ],
};
