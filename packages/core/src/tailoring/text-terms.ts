import { type Term, type Token, termsOf, termsOfSequence, tokenize } from "./terms.ts";

/**
 * The tokens and terms of the texts one job reads, each text cut once. The
 * engine ranks the CV's highlights, the verifier indexes the same strings as
 * the source CV, and the match report reads them again in the tailored CV;
 * the posting's keywords are extracted for the engine and for the report.
 * Every value is a pure function of its text, so sharing never changes a
 * result; the memo lives as long as the job (see `withTextTerms`).
 *
 * Callers must not modify the arrays they get.
 */
export class TextTerms {
  readonly #tokens = new Map<string, readonly Token[]>();
  readonly #terms = new Map<string, readonly Term[]>();
  readonly #derived = new Map<string, unknown>();

  /** Whether `tokens(text)` is already known. */
  hasTokens(text: string): boolean {
    return this.#tokens.has(text);
  }

  /** Whether `terms(text)` is already known. */
  hasTerms(text: string): boolean {
    return this.#terms.has(text);
  }

  /** `tokenize(text)`. */
  tokens(text: string): readonly Token[] {
    let tokens = this.#tokens.get(text);
    if (tokens === undefined) {
      tokens = tokenize(text);
      this.#tokens.set(text, tokens);
    }
    return tokens;
  }

  /** `extractTerms(text)`. */
  terms(text: string): readonly Term[] {
    let terms = this.#terms.get(text);
    if (terms === undefined) {
      terms = termsOf(this.tokens(text));
      this.#terms.set(text, terms);
    }
    return terms;
  }

  /**
   * `build()` once per job for each `key`, which must name the value and
   * everything it is computed from (the posting's keyword statistics serve
   * both the engine and the match report).
   */
  derived<T>(key: string, build: () => T): T {
    if (this.#derived.has(key)) return this.#derived.get(key) as T;
    const value = build();
    this.#derived.set(key, value);
    return value;
  }

  /**
   * `extractTerms(parts.join("\n"))`. No token spans a line break, and a
   * token after one starts a sentence as it does at the start of a text, so
   * the joined text's tokens are the parts' tokens one after the other (the
   * terms are not: a known skill may run across the break).
   */
  joined(parts: readonly string[]): readonly Term[] {
    if (parts.length === 1) return this.terms(parts[0]!);
    return termsOfSequence(
      parts.map((p) => this.tokens(p)),
      (k) => this.terms(parts[k]!),
    );
  }
}

/**
 * `compute`, once per text: its results kept in `memo` (a fresh map unless one is given, e.g. a job's
 * `derived` map shared by several readers). `compute` must be a pure function of the text.
 */
export const memoByText = <T>(
  compute: (text: string) => T,
  memo: Map<string, T> = new Map(),
): ((text: string) => T) => {
  return (text) => {
    let value = memo.get(text);
    if (value === undefined) {
      value = compute(text);
      memo.set(text, value);
    }
    return value;
  };
};

const byRequest = new WeakMap<object, TextTerms>();

/** The memo of the job `request` belongs to while `withTextTerms` runs for it; otherwise a new one. */
export const textTermsFor = (request: object): TextTerms => byRequest.get(request) ?? new TextTerms();

/**
 * Runs one job with one memo: `textTermsFor(request)` returns it to whatever
 * receives the same request object (the local engine behind any wrapper) until
 * `fn` settles.
 */
export const withTextTerms = async <T>(request: object, fn: (terms: TextTerms) => Promise<T>): Promise<T> => {
  const terms = new TextTerms();
  byRequest.set(request, terms);
  try {
    return await fn(terms);
  } finally {
    byRequest.delete(request);
  }
};
