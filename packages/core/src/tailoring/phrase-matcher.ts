/**
 * Which of many phrases occur in a text, as whole words, in one pass over the
 * text: an Aho–Corasick automaton over tokens. Replaces searching the whole
 * source CV once per phrase of the tailored CV (time O(phrases × text)) with
 * O(text + phrases).
 *
 * Text and phrases are cut into tokens: each maximal run of "word"
 * characters (as `isWord` says, per UTF-16 code unit) is one token, and every
 * other character is a token of its own. A phrase occurs where its tokens
 * occur consecutively, which is exactly a substring match whose word runs are
 * not part of longer runs:
 *
 * - `edges: "word"` — no word character may touch the phrase on a side where
 *   the phrase itself has a word character (the `(?<!\w)phrase(?!\w)` rule);
 * - `edges: "any"` — no word character may touch the phrase on either side,
 *   whatever the phrase starts or ends with. Markers around every non-word
 *   token let the automaton check that too.
 */
export interface PhraseMatcherOptions {
  readonly isWord: (code: number) => boolean;
  readonly edges: "word" | "any";
}

// With `edges: "any"` the token stream carries markers: OPEN at the start and after every non-word
// token, CLOSE before every non-word token and at the end. A phrase is encoded the same way, OPEN
// first and CLOSE last, so "OPEN CLOSE x" asks for a non-word character (or the start) before a
// phrase that starts with the non-word x; before a word run OPEN is always there.
const OPEN = 0;
const CLOSE = 1;
const FIRST_TOKEN = 2;

export class PhraseMatcher {
  readonly #options: PhraseMatcherOptions;
  readonly #ids = new Map<string, number>();
  /** Transitions, keyed `state * #stride + token`. */
  readonly #next = new Map<number, number>();
  readonly #fail: number[] = [0];
  /** The nearest state on the fail chain that ends a phrase, or -1. */
  readonly #output: number[] = [-1];
  readonly #ends: (number[] | undefined)[] = [undefined];
  readonly #stride: number;
  readonly #empty: number[] = [];
  /** Work done by `find` so far: tokens read plus automaton moves. Tests bound it. */
  steps = 0;

  constructor(phrases: readonly string[], options: PhraseMatcherOptions) {
    this.#options = options;
    const encoded = phrases.map((p) => this.#encode(p, true));
    this.#stride = this.#ids.size + FIRST_TOKEN;
    encoded.forEach((tokens, index) => {
      if (phrases[index] === "") {
        this.#empty.push(index);
        return;
      }
      let state = 0;
      for (const t of tokens) {
        const key = state * this.#stride + t;
        let to = this.#next.get(key);
        if (to === undefined) {
          to = this.#fail.length;
          this.#fail.push(0);
          this.#output.push(-1);
          this.#ends.push(undefined);
          this.#next.set(key, to);
          this.#children(state).push([t, to]);
        }
        state = to;
      }
      const ends = this.#ends[state];
      if (ends === undefined) this.#ends[state] = [index];
      else ends.push(index);
    });
    this.#link();
  }

  /** Indices of the phrases that occur in `text` (an empty phrase occurs everywhere). */
  find(text: string): Set<number> {
    const found = new Set<number>(this.#empty);
    const seen = new Set<number>();
    let state = 0;
    const step = (token: number): void => {
      this.steps++;
      if (token < 0) {
        state = 0; // a token no phrase has: every partial match ends here
        return;
      }
      while (state !== 0 && !this.#next.has(state * this.#stride + token)) {
        state = this.#fail[state]!;
        this.steps++;
      }
      state = this.#next.get(state * this.#stride + token) ?? 0;
      // Each phrase end is reported once per text: a seen state's whole fail chain was seen with it.
      for (let s = this.#ends[state] !== undefined ? state : this.#output[state]!; s >= 0 && !seen.has(s); ) {
        seen.add(s);
        this.steps++;
        for (const i of this.#ends[s]!) found.add(i);
        s = this.#output[s]!;
      }
    };
    this.#tokens(text, false, step);
    return found;
  }

  #childLists = new Map<number, [number, number][]>();
  #children(state: number): [number, number][] {
    let list = this.#childLists.get(state);
    if (list === undefined) {
      list = [];
      this.#childLists.set(state, list);
    }
    return list;
  }

  /** Fail and output links, breadth first. */
  #link(): void {
    const queue: number[] = [];
    for (const [, child] of this.#children(0)) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [token, child] of this.#children(state)) {
        let f = this.#fail[state]!;
        while (f !== 0 && !this.#next.has(f * this.#stride + token)) f = this.#fail[f]!;
        const target = this.#next.get(f * this.#stride + token);
        this.#fail[child] = target !== undefined && target !== child ? target : 0;
        const fc = this.#fail[child]!;
        this.#output[child] = this.#ends[fc] !== undefined ? fc : this.#output[fc]!;
        queue.push(child);
      }
    }
    this.#childLists.clear();
  }

  /** A phrase's tokens, interning new ones. */
  #encode(phrase: string, intern: boolean): number[] {
    const out: number[] = [];
    this.#tokens(phrase, intern, (t) => out.push(t));
    return out;
  }

  /** Feeds the tokens of `text` to `emit`; unknown tokens are -1 (they match no phrase). */
  #tokens(text: string, intern: boolean, emit: (token: number) => void): void {
    const any = this.#options.edges === "any";
    const id = (key: string): number => {
      let t = this.#ids.get(key);
      if (t === undefined && intern) {
        t = this.#ids.size + FIRST_TOKEN;
        this.#ids.set(key, t);
      }
      return t ?? -1;
    };
    if (any) emit(OPEN);
    let i = 0;
    while (i < text.length) {
      if (this.#options.isWord(text.charCodeAt(i))) {
        const start = i;
        while (i < text.length && this.#options.isWord(text.charCodeAt(i))) i++;
        emit(id(text.slice(start, i)));
      } else {
        if (any) emit(CLOSE);
        emit(id(text[i]!));
        if (any) emit(OPEN);
        i++;
      }
    }
    if (any) emit(CLOSE);
  }
}
