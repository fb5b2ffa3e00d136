import { api, type RouteSpec } from "@cvpipe/core/topology";

export interface MatchedRoute {
  readonly route: RouteSpec;
  readonly pathParameters: Record<string, string>;
}

/** The topology's route for a request, with its path parameters decoded, as API Gateway matches it. */
export const matchRoute = (method: string, path: string): MatchedRoute | undefined => {
  for (const route of api.routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    const m = new RegExp(`^${pattern}$`).exec(path);
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
