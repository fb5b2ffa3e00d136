/**
 * Every answer an integration test receives, checked against the OpenAPI
 * document: the schema of its operation and status in the closed document
 * (`openApiDocument({ closed: true })`: every object closed, so a field the
 * code sends and the document does not name fails), so the document cannot
 * drift from what the API answers. The route is matched as the gateway matches
 * it (the topology's routes); a request no route takes (the fuzz tests send
 * those) gets the gateway's own 404 and is not an operation of the document.
 */
import { openApiDocument } from "@cvpipe/functions/http/openapi";
import { matchRoute } from "@cvpipe/local/gateway";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const DOCUMENT_ID = "urn:cvpipe:openapi";

interface DocumentedResponse {
  readonly content?: Record<string, { readonly schema: unknown }>;
}
type Paths = Record<string, Record<string, { readonly responses: Record<string, DocumentedResponse> }>>;

/** Compiled once per process, on first use. */
let compiled: { readonly ajv: Ajv2020; readonly paths: Paths } | undefined;
const validators = new Map<string, ValidateFunction>();

const contract = () => {
  if (!compiled) {
    const document = openApiDocument({ closed: true });
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // The whole document as one schema resource, so `#/components/schemas/…` refs resolve inside it.
    ajv.addSchema({ $id: DOCUMENT_ID, components: document.components, paths: document.paths });
    compiled = { ajv, paths: document.paths as unknown as Paths };
  }
  return compiled;
};

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/**
 * How many answers were checked against the document, how many were not an operation's, and how
 * many the API never wrote (see `checkedFetch`).
 */
export const answerStats = { validated: 0, undocumentedRoute: 0, notTheApis: 0 };

export class AnswerContractError extends Error {
  override name = "AnswerContractError";
}

/**
 * Throws unless the answer is what the document says the operation answers
 * with this status. `url` is the request's full URL as sent (fetch's
 * normalisation included), `body` the text received.
 */
export const checkAnswer = (method: string, url: string, status: number, headers: Headers, body: string): void => {
  const upper = method.toUpperCase();
  const { pathname } = new URL(url);
  const matched = matchRoute(upper, pathname);
  if (!matched) {
    answerStats.undocumentedRoute++;
    return;
  }
  const where = `${upper} ${pathname} (${matched.route.path}) ${status}`;
  const { ajv, paths } = contract();
  const responses = paths[matched.route.path]?.[upper.toLowerCase()]?.responses;
  if (!responses) throw new AnswerContractError(`${where}: the document has no such operation`);
  const response = responses[String(status)];
  if (!response) {
    throw new AnswerContractError(
      `${where}: status not documented (documented: ${Object.keys(responses).join(", ")}); body ${body.slice(0, 500)}`,
    );
  }
  const media = response.content?.["application/json"];
  if (!media) {
    if (body !== "")
      throw new AnswerContractError(`${where}: documented without a body, answered ${body.slice(0, 500)}`);
    answerStats.validated++;
    return;
  }
  const type = headers.get("content-type") ?? "";
  if (!type.startsWith("application/json")) {
    throw new AnswerContractError(`${where}: documented as application/json, answered ${JSON.stringify(type)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AnswerContractError(`${where}: not JSON: ${body.slice(0, 500)}`);
  }
  const ref = `${DOCUMENT_ID}#/${pointer("paths", matched.route.path, upper.toLowerCase(), "responses", String(status), "content", "application/json", "schema")}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.getSchema(ref);
    if (!validate) throw new AnswerContractError(`${where}: no schema at ${ref}`);
    validators.set(ref, validate);
  }
  if (!validate(parsed)) {
    throw new AnswerContractError(
      `${where}: the answer is not what the document says: ${JSON.stringify(validate.errors?.slice(0, 10))}; body ${body.slice(0, 1000)}`,
    );
  }
  answerStats.validated++;
};

/**
 * `fetch` for tests that send raw requests (headers, bodies and tokens ApiClient would not send),
 * with each answer checked as ApiClient checks its own. An answer without `x-request-id` was never
 * written by the gateway: Node's HTTP parser refusing the request itself (431 for headers over its
 * limit, 400 for a malformed request line); on AWS API Gateway's front end answers those. They are
 * counted apart, not checked against the API's document.
 */
export const checkedFetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
  const res = await fetch(url, init);
  if (res.headers.has("x-request-id")) {
    checkAnswer(init.method ?? "GET", res.url || url, res.status, res.headers, await res.clone().text());
  } else answerStats.notTheApis++;
  return res;
};

// `CVPIPE_ANSWER_STATS=1`: how many answers this test file's requests had checked.
if (process.env["CVPIPE_ANSWER_STATS"]) {
  process.on("exit", () => {
    process.stderr.write(
      `answers validated against the document: ${answerStats.validated}; on no route: ${answerStats.undocumentedRoute}; not the API's: ${answerStats.notTheApis}\n`,
    );
  });
}
