import { extraLists, type Posting } from "../contracts/posting.ts";

/**
 * A posting as the engines and the match report read it, whichever form the
 * producer sent: the text form `{description, title?, company?}` is already
 * one (unchanged), and a JSON Resume job object becomes one by `postingView`.
 */
export interface PostingView {
  readonly title?: string;
  readonly company?: string;
  /** Every part that says what the job is and asks for, as one text. */
  readonly description: string;
  /**
   * The posting's explicit requirements: its `skills[].keywords` (a skill's name
   * when it lists none), in the posting's order, each once.
   */
  readonly requirements?: readonly string[];
  /** Facts about the job that are not requirements (type, location, remote, salary, date): the model sees them, keywords do not. */
  readonly details?: readonly string[];
}

/** `niceToHave` → `Nice to have`. */
const heading = (key: string): string => {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const nonEmpty = (list: readonly string[] | undefined): string[] =>
  (list ?? []).map((s) => s.trim()).filter((s) => s !== "");

const section = (title: string, list: readonly string[]): string =>
  list.length === 0 ? "" : `${title}:\n${list.map((s) => `- ${s}`).join("\n")}`;

/** Each requirement once, compared without case; empty ones dropped. */
const distinct = (list: readonly string[]): string[] => {
  const seen = new Set<string>();
  return list.filter((s) => {
    const key = s.toLowerCase();
    if (s === "" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/**
 * One view of a posting (validated by `Posting`): the description, then the
 * responsibilities, qualifications, extra lists (`niceToHave`, …), skills and
 * experience, each under its heading, in the posting's order. Deterministic:
 * the same posting always gives the same view. A posting of only
 * `{description, title?, company?}` gives exactly those fields.
 */
export const postingView = (posting: Posting): PostingView => {
  const skills = (posting.skills ?? []).map((s) => ({
    name: s.name?.trim() ?? "",
    level: s.level?.trim() ?? "",
    keywords: nonEmpty(s.keywords),
  }));
  const skillLines = skills
    .map((s) => {
      const label = [s.name, s.level === "" ? "" : `(${s.level})`].filter((p) => p !== "").join(" ");
      const keywords = s.keywords.join(", ");
      return label === "" ? keywords : keywords === "" ? label : `${label}: ${keywords}`;
    })
    .filter((l) => l !== "");
  const description = [
    posting.description?.trim() ?? "",
    section("Responsibilities", nonEmpty(posting.responsibilities)),
    section("Qualifications", nonEmpty(posting.qualifications)),
    ...extraLists(posting).map(([key, list]) => section(heading(key), nonEmpty(list))),
    section("Skills", skillLines),
    posting.experience?.trim() ? `Experience: ${posting.experience.trim()}` : "",
  ]
    .filter((part) => part !== "")
    .join("\n\n");
  const requirements = distinct(skills.flatMap((s) => (s.keywords.length > 0 ? s.keywords : [s.name])));
  const location = posting.location;
  const place = [location?.address, location?.city, location?.region, location?.postalCode, location?.countryCode]
    .map((p) => p?.trim() ?? "")
    .filter((p) => p !== "")
    .join(", ");
  const details = [
    posting.type?.trim() ? `Type: ${posting.type.trim()}` : "",
    place === "" ? "" : `Location: ${place}`,
    posting.remote === undefined ? "" : `Remote: ${posting.remote}`,
    posting.salary?.trim() ? `Salary: ${posting.salary.trim()}` : "",
    posting.date?.trim() ? `Posted: ${posting.date.trim()}` : "",
  ].filter((d) => d !== "");
  return {
    ...(posting.title === undefined ? {} : { title: posting.title }),
    ...(posting.company === undefined ? {} : { company: posting.company }),
    description,
    ...(requirements.length === 0 ? {} : { requirements }),
    ...(details.length === 0 ? {} : { details }),
  };
};
