import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level: equal values give equal strings. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );

export const sha256Hex = (text: string): string => createHash("sha256").update(text).digest("hex");

/** A stable UUID-shaped id (version nibble 8: custom) derived from the given parts. */
export const derivedId = (...parts: readonly string[]): string => {
  const h = sha256Hex(parts.join("\u0000"));
  const variant = ((Number.parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
