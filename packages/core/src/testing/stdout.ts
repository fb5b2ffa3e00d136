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
