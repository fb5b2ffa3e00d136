/** Which kind of claim a leaf of a tailored CV is, by its path. */

export const DATE_FIELD = /(^|\.)(startDate|endDate|date|releaseDate)$/;

/** Fields that name someone or something: checked whole, not word by word. */
const NAME_FIELDS: ReadonlySet<string> = new Set(
  "name company entity organization institution awarder issuer publisher network language fluency level title position studyType area".split(
    " ",
  ),
);
const ROLE_INDEX = /^roles\[\d+\]$/;
/** The last segment of a leaf path (after its last `.`) names a name field, or is `roles[i]`. */
export const isNameField = (path: string): boolean => {
  const last = path.slice(path.lastIndexOf(".") + 1);
  return NAME_FIELDS.has(last) || ROLE_INDEX.test(last);
};

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
