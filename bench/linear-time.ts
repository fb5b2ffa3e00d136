/**
 * Growth of the text-handling cost with the size of an adversarial input
 * (issue 9, item 2): each case runs at size n and 4n and reports the ratio of
 * the median times. Linear code reads about 4, quadratic 16, cubic 64; a
 * ratio over 8 is flagged. Sizes scale with BENCH_LINEAR_SCALE (default 1).
 */
import { performance } from "node:perf_hooks";
import { parseTextCv } from "@cvpipe/core/resume/parse-text-cv";
import type { Resume } from "@cvpipe/core/resume/resume";
import { redactPii } from "@cvpipe/core/tailoring/pii";
import { renderMarkdown } from "@cvpipe/core/tailoring/render-markdown";
import { extractTerms } from "@cvpipe/core/tailoring/terms";
import { verifyGrounding } from "@cvpipe/core/tailoring/verify-grounding";

export interface GrowthCase {
  readonly name: string;
  /** Input size n (characters or entries). */
  readonly n: number;
  /** Builds the input of size `size` and returns the work to time. */
  readonly make: (size: number) => () => unknown;
}

const spaces = (n: number): string => " ".repeat(n);
const work = (n: number, employer: (i: number) => string): Resume => ({
  work: Array.from({ length: n }, (_, i) => ({ name: employer(i) })),
});

export const GROWTH_CASES: readonly GrowthCase[] = [
  {
    name: "parse: spaces inside a # heading",
    n: 50_000,
    make: (n) => {
      const text = `# a${spaces(n)}b\n\n## Experience\n\n- did things at places for years\n`;
      return () => parseTextCv(text);
    },
  },
  {
    name: "parse: spaces in a **bold** line",
    n: 50_000,
    make: (n) => {
      const text = `Jo Li\n\n## Summary\n\n**a**${spaces(n)}b\n`;
      return () => parseTextCv(text);
    },
  },
  {
    name: "parse: spaces in a language line",
    n: 50_000,
    make: (n) => {
      const text = `Jo Li\n\n## Languages\n\n- English${spaces(n)}x\n`;
      return () => parseTextCv(text);
    },
  },
  {
    name: "parse: spaces in a contact line",
    n: 50_000,
    make: (n) => {
      const text = `Jo Li\njo@example.org${spaces(n)}+44 20 7946 0958\n\n## Summary\n\nHello.\n`;
      return () => parseTextCv(text);
    },
  },
  {
    name: "verify: one-field work entries",
    n: 500,
    make: (n) => {
      const cv = work(n, (i) => `Employer ${i}`);
      const tailored = structuredClone(cv);
      return () => verifyGrounding(cv, tailored, []);
    },
  },
  {
    name: "verify: entries of one employer",
    n: 500,
    make: (n) => {
      const cv = work(n, () => "Acme");
      const tailored = structuredClone(cv);
      return () => verifyGrounding(cv, tailored, []);
    },
  },
  {
    name: "verify: skill claims in a long source",
    n: 1_000,
    make: (n) => {
      const cv: Resume = {
        skills: [{ name: "Tools", keywords: Array.from({ length: n }, (_, i) => `tool${i} suite`) }],
      };
      const tailored: Resume = {
        skills: [{ name: "Tools", keywords: Array.from({ length: n }, (_, i) => `tool${i}`) }],
      };
      return () => verifyGrounding(cv, tailored, []);
    },
  },
  {
    name: "terms: a@ + dots + @",
    n: 20_000,
    make: (n) => {
      const text = `a@${".".repeat(n)}@`;
      return () => extractTerms(text);
    },
  },
  {
    name: 'pii: "a@" repeated (e-mail finder)',
    n: 50_000,
    make: (n) => {
      const cv: Resume = { basics: { summary: "a@".repeat(n / 2) } };
      return () => redactPii(cv);
    },
  },
  {
    name: 'terms: letters, one @, "a." repeated',
    n: 50_000,
    make: (n) => {
      const text = `${"ö".repeat(n / 2)}@${"a.".repeat(n / 4)}`;
      return () => extractTerms(text);
    },
  },
  {
    name: "markdown: spaces in a highlight",
    // Linear at about 1 ns a character: at 40 000 the time (~0.02 ms) was timer noise, and its
    // output string stayed under V8's large-object size (~128 KiB) while 4n's did not, so n → 4n
    // also crossed to the slower large-object allocation (ratios 8-9 measured there, ~4 from here up).
    n: 500_000,
    make: (n) => {
      const cv: Resume = { basics: { name: "Jo Li" }, work: [{ name: "Acme", highlights: [`a${spaces(n)}b`] }] };
      return () => renderMarkdown(cv);
    },
  },
];

const median = (fn: () => unknown, rounds: number): number => {
  for (let i = 0; i < 2; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
};

/** Prints one line per case: ms at n, ms at 4n, and their ratio. */
export const runGrowth = (cases: readonly GrowthCase[] = GROWTH_CASES): void => {
  const scale = Number(process.env["BENCH_LINEAR_SCALE"] ?? 1);
  const rounds = Number(process.env["BENCH_LINEAR_ROUNDS"] ?? 11);
  console.log(`\ngrowth with input size (n → 4n, median of ${rounds}; linear ≈ 4, quadratic ≈ 16, cubic ≈ 64)\n`);
  console.log(
    `${"case".padEnd(40)} ${"n".padStart(7)} ${"ms at n".padStart(9)} ${"ms at 4n".padStart(9)} ${"ratio".padStart(6)}`,
  );
  for (const c of cases) {
    const n = Math.max(1, Math.round(c.n * scale));
    const small = median(c.make(n), rounds);
    const large = median(c.make(4 * n), rounds);
    const ratio = large / Math.max(small, 1e-3);
    console.log(
      `${c.name.padEnd(40)} ${String(n).padStart(7)} ${small.toFixed(2).padStart(9)} ${large.toFixed(2).padStart(9)} ${ratio.toFixed(1).padStart(6)}${ratio > 8 ? "  super-linear" : ""}`,
    );
  }
};
