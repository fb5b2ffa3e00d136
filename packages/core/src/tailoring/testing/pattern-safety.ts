import { readFileSync } from "node:fs";
import { isSafe } from "redos-detector";
import ts from "typescript";

/**
 * For tests only: static checks that the regular expressions applied to user
 * text cannot backtrack super-linearly.
 *
 * `redos-detector` walks every path a pattern can take and counts how many
 * paths can match the same input (its "score"); a bounded score means the
 * number of backtracks per match attempt is bounded whatever the input, so a
 * search over a string of length n costs O(n). It treats an unanchored
 * pattern as a search (every start position), and it is deterministic: no
 * timing is involved.
 */
export interface PatternVerdict {
  readonly pattern: RegExp;
  readonly safe: boolean;
  /** How it was judged: the detector's score, or `finite` (see {@link isFinitePattern}). */
  readonly why: string;
}

/** Above this many backtracks per attempt a pattern counts as unsafe (the library's default). */
export const MAX_SCORE = 200;
/** A bounded repetition `{n,m}` up to this many counts as finite. */
export const MAX_FINITE_REPEAT = 8;

/**
 * No `*`, `+` or `{n,}` anywhere (outside character classes) and no `{n,m}`
 * above {@link MAX_FINITE_REPEAT}: every match attempt reads a bounded number
 * of characters and tries a bounded number of paths, whatever the input, so a
 * search costs O(length). Such patterns (long word alternations) can exceed
 * the detector's step budget without being a risk.
 */
export const isFinitePattern = (source: string): boolean => {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "*" || c === "+") return false;
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (m === null) continue;
      const max = m[2] === undefined ? Number(m[1]) : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
      if (max > MAX_FINITE_REPEAT) return false;
    }
  }
  return true;
};

export const judgePattern = (pattern: RegExp): PatternVerdict => {
  if (isFinitePattern(pattern.source)) return { pattern, safe: true, why: "finite" };
  // The detector cannot combine case folding with Unicode mode: such a pattern must be finite to pass.
  if (pattern.flags.includes("i") && (pattern.flags.includes("u") || pattern.flags.includes("v"))) {
    return { pattern, safe: false, why: "unbounded repetition with flags iu (not checkable)" };
  }
  const r = isSafe(pattern, { maxScore: MAX_SCORE, maxSteps: 20_000 });
  const score = r.score.infinite ? "infinite" : String(r.score.value);
  return { pattern, safe: r.safe, why: r.safe ? `score ${score}` : `score ${score}${r.error ? ` (${r.error})` : ""}` };
};

/** Every pattern of `patterns` that the detector does not prove safe, with its verdict. */
export const unsafePatterns = (patterns: Iterable<RegExp>): PatternVerdict[] =>
  [...patterns].map(judgePattern).filter((v) => !v.safe);

export interface RegexSite {
  /** 1-based line in the file. */
  readonly line: number;
  /** The literal's pattern and flags; undefined for `new RegExp(...)`, whose pattern is built at run time. */
  readonly literal?: { readonly source: string; readonly flags: string };
  readonly text: string;
}

/**
 * Every regular expression a source file writes: regex literals and
 * `new RegExp(...)` / `RegExp(...)` calls, found with the TypeScript parser
 * (so a `/` in a division or a string is never taken for one).
 */
export const regexSites = (file: string): RegexSite[] => {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: RegexSite[] = [];
  const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(source);
      const end = text.lastIndexOf("/");
      out.push({ line: lineOf(node), literal: { source: text.slice(1, end), flags: text.slice(end + 1) }, text });
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "RegExp"
    ) {
      out.push({ line: lineOf(node), text: node.getText(source).slice(0, 120) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
};

/** Same pattern, same flags (`g` and `y` aside: they change where a search starts, not how it backtracks). */
export const samePattern = (a: { source: string; flags: string }, b: { source: string; flags: string }): boolean => {
  const core = (flags: string): string => [...flags.replace(/[gy]/g, "")].sort().join("");
  return a.source === b.source && core(a.flags) === core(b.flags);
};
