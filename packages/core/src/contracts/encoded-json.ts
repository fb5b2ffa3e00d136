/**
 * A value sent JSON-encoded a second time: `"cv": "{\"basics\": ...}"` where the object was meant.
 * Only a string that starts and ends as JSON of that kind is parsed (once: linear in its length).
 */
export const encodedJsonKind = (text: string): "object" | "array" | undefined => {
  const t = text.trim();
  const kind =
    t.startsWith("{") && t.endsWith("}") ? "object" : t.startsWith("[") && t.endsWith("]") ? "array" : undefined;
  if (kind === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(t);
    return parsed !== null && typeof parsed === "object" && Array.isArray(parsed) === (kind === "array")
      ? kind
      : undefined;
  } catch {
    return undefined;
  }
};
