/**
 * CORS for browser producers (a careers site calling the API from its pages): the origins are a
 * deployment's choice (CDK context `corsOrigins`; `CVPIPE_CORS_ORIGINS` on the embedded stack), the
 * rest is fixed here so API Gateway's CORS settings and the local gateway's imitation of them agree.
 * No origin configured: no CORS headers at all, and a preflight is the 404 of a route that is not there.
 */
export const CORS = {
  allowMethods: ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
  allowHeaders: ["authorization", "content-type", "idempotency-key", "prefer", "x-correlation-id", "x-request-id"],
  exposeHeaders: ["location", "preference-applied", "x-correlation-id", "x-request-id", "www-authenticate"],
  maxAgeSeconds: 600,
} as const;

/** `*`, or an origin as browsers send it: scheme, host, optional port; nothing after. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]{1,253}(?::[0-9]{1,5})?$/;

/**
 * A comma-separated list (or an array) of origins: the origins and a problem per entry that is
 * not one (`https://app.example.com` is; `app.example.com`, `https://x.com/path` are not).
 */
export const parseCorsOrigins = (raw: unknown): { origins: string[]; problems: string[] } => {
  if (raw === undefined || raw === null || raw === "") return { origins: [], problems: [] };
  const items = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(",") : undefined;
  if (!items)
    return { origins: [], problems: [`must be a comma-separated list of origins, got ${JSON.stringify(raw)}`] };
  const origins: string[] = [];
  const problems: string[] = [];
  for (const item of items) {
    const origin = typeof item === "string" ? item.trim().toLowerCase() : "";
    if (origin === "") continue;
    if (origin === "*" || ORIGIN.test(origin)) origins.push(origin);
    else
      problems.push(
        `${JSON.stringify(item)} is not an origin (scheme://host[:port], e.g. https://app.example.com, or *)`,
      );
  }
  return { origins, problems };
};

/** The Access-Control-Allow-Origin value for a request's Origin, or undefined when it is not allowed. */
export const allowedOrigin = (origins: readonly string[], origin: string | undefined): string | undefined => {
  if (origin === undefined || origins.length === 0) return undefined;
  if (origins.includes("*")) return "*";
  return origins.includes(origin.toLowerCase()) ? origin : undefined;
};
