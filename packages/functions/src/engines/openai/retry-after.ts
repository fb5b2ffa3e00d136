/**
 * How long a server's `Retry-After` asks to wait (RFC 9110 §10.2.3): delay
 * seconds (`"2"`) or an HTTP date, measured against `nowMs` (the caller's
 * clock, so tests need no real one). Undefined for no header or one that is
 * neither form; a date already past is 0. Never more than `capMs`: a server
 * asking for minutes would hold a Lambda invocation beyond its timeout, and the
 * queue's visibility timeout is the better wait for that.
 */
export const retryAfterMs = (value: string | null | undefined, nowMs: number, capMs: number): number | undefined => {
  const raw = value?.trim();
  if (!raw) return undefined;
  let ms: number;
  if (/^\d{1,10}$/.test(raw)) {
    ms = Number(raw) * 1000;
  } else {
    // Every HTTP date form (IMF-fixdate, RFC 850, asctime) starts with the day's name; Date.parse alone reads "1.5" as a date.
    const at = /^[A-Za-z]{3,9},? /.test(raw) ? Date.parse(raw) : Number.NaN;
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - nowMs);
  }
  return Math.min(ms, capMs);
};
