/**
 * How every command prints: `--json` is one JSON document on stdout (its fields documented in
 * docs/cli.md, stable: renamed or removed only with a note there), otherwise a plain table.
 */

/** Columns padded to their widest cell: `right` columns (numbers) to the right; a last text column unpadded. */
export const formatTable = (rows: readonly (readonly string[])[], right: (column: number) => boolean = () => false) => {
  if (rows.length === 0) return "";
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (right(i) ? c.padStart(widths[i] ?? 0) : i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join("  "),
    )
    .join("\n");
};

/** `label  value` lines, aligned; pairs without a value are left out. */
export const formatFields = (pairs: readonly (readonly [string, string | undefined])[]): string =>
  formatTable(pairs.filter((p): p is readonly [string, string] => p[1] !== undefined).map(([k, v]) => [k, v]));

/** The command's answer: JSON for --json, the human text otherwise. */
export const emit = (json: boolean, data: unknown, human: () => string): void => {
  console.log(json ? JSON.stringify(data, null, 2) : human());
};
