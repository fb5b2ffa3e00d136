import { api, type RouteSpec } from "@cvpipe/core/topology";

export interface MatchedRoute {
  readonly route: RouteSpec;
  readonly pathParameters: Record<string, string>;
}

/** Each route's path as a pattern with its parameter names, compiled once. */
const compiled = api.routes.map((route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { route, names, pattern: new RegExp(`^${pattern}$`) };
});

/** The topology's route for a request, with its path parameters decoded, as API Gateway matches it. */
export const matchRoute = (method: string, path: string): MatchedRoute | undefined => {
  for (const { route, names, pattern } of compiled) {
    if (route.method !== method) continue;
    const m = pattern.exec(path);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    for (const [i, n] of names.entries()) {
      // A malformed %-escape is passed on as sent rather than failing the request.
      pathParameters[n] = safeDecode(m[i + 1] ?? "");
    }
    return { route, pathParameters };
  }
  return undefined;
};

const safeDecode = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/** Whether any route, whatever its method, has this path (what a CORS preflight asks about). */
export const matchesAnyRoute = (path: string): boolean => compiled.some(({ pattern }) => pattern.test(path));
