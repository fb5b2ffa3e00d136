/**
 * A listing's page size as a caller writes it: GET /v1/jobs's `limit` query
 * parameter and `cvpipe jobs list --limit`, by the bounds the OpenAPI
 * document states (topology `api.listLimit`).
 */
import { InvalidLimitError } from "../errors.ts";
import { isDigit } from "../resume/char-classes.ts";
import { api } from "../topology.ts";

const { min, max } = api.listLimit;
/** No more digits than the maximum has: "0100" is not a page size, nor is "1e2", "1.5" or " 5". */
const MAX_DIGITS = String(max).length;

const isDigits = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return text.length > 0;
};

/** `raw` as a page size: absent, the default; else a whole number from min to max in plain digits, or InvalidLimitError. */
export const parseListLimit = (raw: string | undefined): number => {
  if (raw === undefined) return api.listLimit.default;
  const limit = Number(raw);
  if (raw.length > MAX_DIGITS || !isDigits(raw) || limit < min || limit > max) throw new InvalidLimitError(min, max);
  return limit;
};
