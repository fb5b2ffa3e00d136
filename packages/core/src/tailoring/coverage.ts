/**
 * A piece of CV text the engine may leave out (a highlight, a skill, a run of
 * summary sentences), with what it carries of the posting.
 */
export interface Piece {
  readonly text: string;
  /** Relevance to the posting (BM25). */
  readonly score: number;
  /** Older entries give way first when scores tie. */
  readonly age: number;
  /** The wanted term keys it carries, each once. */
  readonly wanted: readonly string[];
  kept: boolean;
}

/** Pieces that share a budget (one entry's highlights, the skills), best first. */
export interface PieceGroup {
  readonly pieces: Piece[];
  budget: number;
}

/**
 * How many kept texts carry each term the posting asks for. Trimming never
 * takes away the last one: the tailored CV must show everything of the
 * posting's that the source CV shows (the match report reads the whole CV,
 * so a cut that loses the only mention of a requirement lowers the score and
 * hides evidence a reader looks for).
 */
export class Coverage {
  readonly #count = new Map<string, number>();
  readonly wanted: ReadonlySet<string>;

  constructor(wanted: ReadonlySet<string>) {
    this.wanted = wanted;
  }

  /** Counts text that stays whatever the engine trims (positions, education, group names). */
  addFixed(keys: Iterable<string>): void {
    for (const k of keys) if (this.wanted.has(k)) this.#count.set(k, (this.#count.get(k) ?? 0) + 1);
  }

  covers(key: string): boolean {
    return (this.#count.get(key) ?? 0) > 0;
  }

  keep(piece: Piece): void {
    if (piece.kept) return;
    piece.kept = true;
    for (const k of piece.wanted) this.#count.set(k, (this.#count.get(k) ?? 0) + 1);
  }

  /** Whether leaving `piece` out keeps every term it carries covered by other text. */
  canDrop(piece: Piece): boolean {
    return piece.wanted.every((k) => (this.#count.get(k) ?? 0) > 1);
  }

  drop(piece: Piece): void {
    if (!piece.kept) return;
    piece.kept = false;
    for (const k of piece.wanted) this.#count.set(k, (this.#count.get(k) ?? 0) - 1);
  }
}

/**
 * Brings back, for each of `needed` (terms the source CV shows) that no kept
 * text carries, the most relevant left-out piece that carries it; then holds
 * each group to its budget again by leaving out its least relevant pieces
 * that are not the last carrier of a term. A group whose every piece is such
 * a carrier goes over its budget: the evidence wins over the count.
 */
export const restoreCoverage = (coverage: Coverage, groups: readonly PieceGroup[], needed: Iterable<string>): void => {
  const left = groups.flatMap((g) => g.pieces.filter((p) => !p.kept && p.wanted.length > 0));
  if (left.length === 0) return;
  for (const key of needed) {
    if (coverage.covers(key)) continue;
    let best: Piece | undefined;
    for (const p of left)
      if (!p.kept && p.wanted.includes(key) && (best === undefined || p.score > best.score)) best = p;
    if (best !== undefined) coverage.keep(best);
  }
  for (const g of groups) {
    let kept = g.pieces.reduce((n, p) => n + Number(p.kept), 0);
    for (let i = g.pieces.length - 1; i >= 0 && kept > g.budget; i--) {
      const p = g.pieces[i]!;
      if (p.kept && coverage.canDrop(p)) {
        coverage.drop(p);
        kept--;
      }
    }
  }
};
