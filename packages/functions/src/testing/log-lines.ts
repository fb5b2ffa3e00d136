export type LogLine = Record<string, unknown>;

/** The JSON lines in `text` (anything else — a stack's plain log lines — is left out). */
const jsonLines = (text: string): LogLine[] =>
  text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LogLine];
      } catch {
        return [];
      }
    });

/**
 * The JSON lines the functions write while `fn` runs: Powertools Logger (INFO
 * and below on stdout, WARN and ERROR on stderr, as Lambda ships both) and
 * EMF metric documents (stdout), in the order written. `fn` can read the
 * lines so far (to wait for one).
 */
export const captureLogLines = async (fn: (linesSoFar: () => LogLine[]) => Promise<unknown>): Promise<LogLine[]> => {
  const streams = [process.stdout, process.stderr] as const;
  const writes = streams.map((s) => s.write.bind(s));
  let text = "";
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return true;
    }) as typeof stream.write;
  }
  try {
    await fn(() => jsonLines(text));
  } finally {
    streams.forEach((s, i) => {
      s.write = writes[i] as typeof s.write;
    });
  }
  return jsonLines(text);
};
