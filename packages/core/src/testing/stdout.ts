/** What the code under test writes to stdout while `fn` runs (the logger and EMF lines go there). */
export const captureStdout = async (fn: () => Promise<unknown>): Promise<string> => {
  const write = process.stdout.write.bind(process.stdout);
  let out = "";
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
  return out;
};

/** What the code under test passes to console.error while `fn` runs, one line per call (the arguments joined). */
export const captureConsoleErrors = async (fn: () => Promise<unknown>): Promise<string[]> => {
  const error = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    await fn();
  } finally {
    console.error = error;
  }
  return lines;
};

/** A scripted model reply whose text throws when read: the stand-in fails while answering (its 500 path). */
export const replyThatThrows = (): { readonly text: string } => ({
  get text(): string {
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  },
});
