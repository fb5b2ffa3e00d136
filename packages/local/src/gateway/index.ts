/**
 * A local stand-in for API Gateway HTTP API: matches the topology's routes,
 * verifies the JWT like the JWT authorizer, and invokes the ingress handler with
 * a payload-format-2.0 event shaped as AWS documents it.
 */
export { type Authorization, authorize } from "./authorizer.ts";
export { toApiEvent } from "./http-api-event.ts";
export { type MatchedRoute, matchRoute } from "./route-match.ts";
export { type ApiHandler, type GatewayOptions, startGateway } from "./server.ts";
