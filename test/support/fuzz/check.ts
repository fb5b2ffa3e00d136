/**
 * What every fuzz answer must be, by the document alone: no 5xx; a status the
 * document lists for the operation the request landed on (or API Gateway's own
 * 404 when it landed on none); for an envelope error, a `code` the document
 * lists for that status; a body valid by the documented schema; never a 2xx
 * for a case that is invalid by construction; and the statuses a case decides
 * (a refused token's 401, another user's id's 404).
 */
import type { ApiModel } from "./api-model.ts";
import type { FuzzCase } from "./cases.ts";
import type { Answer } from "./send.ts";

const GATEWAY_NOT_FOUND = '{"message":"Not Found"}';

/**
 * The problems with an answer to a case sent on `path` (the case's path with its ids filled in); [] when none.
 * `ownerIds`: ids of the owner's resources, which no answer to anyone else may carry (unless the request did).
 */
export const checkAnswer = (
  model: ApiModel,
  c: FuzzCase,
  path: string,
  a: Answer,
  ownerIds: readonly string[] = [],
): string[] => {
  const problems: string[] = [];
  if (a.error) return [`no answer: ${a.error}`];
  const asOwner = c.auth !== undefined && "valid" in c.auth && c.auth.valid === "owner";
  if (!asOwner) {
    const sent = `${path} ${typeof c.body === "string" ? c.body : ""}`.toLowerCase();
    const leaked = ownerIds.filter(
      (id) => a.text.toLowerCase().includes(id.toLowerCase()) && !sent.includes(id.toLowerCase()),
    );
    if (leaked.length > 0) problems.push(`the answer carries the owner's id ${leaked[0]} to someone else`);
  }
  if (a.status >= 500) problems.push(`${a.status}: a server error from request content`);
  const landed = model.land(c.method, path);
  if (!landed) {
    if (a.status !== 404 || (c.method !== "HEAD" && a.text !== GATEWAY_NOT_FOUND)) {
      problems.push(`lands on no documented route: want API Gateway's 404 ${GATEWAY_NOT_FOUND}, got ${a.status}`);
    }
    return problems;
  }
  const op = landed.op;
  const decode = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  };
  const theirs = Object.values(landed.pathParams)
    .map(decode)
    .filter((v) => ownerIds.includes(v));
  if (!asOwner && theirs.length > 0 && a.status < 300) {
    problems.push(`${a.status} for the owner's ${theirs[0]}, asked by someone else (must be a 404 like a missing one)`);
  }
  if (c.expect && op.key === c.op && !c.expect.includes(a.status)) {
    problems.push(`status ${a.status}; this case must get ${c.expect.join(" or ")}`);
  }
  if (a.status < 400 && c.refusedBy && op.method !== "GET" && op.method !== "HEAD") {
    problems.push(`accepted (${a.status}) though invalid by construction (${c.refusedBy})`);
  }
  const documented = model.response(op, a.status);
  if (!documented) {
    problems.push(
      `status ${a.status} is not documented for ${op.key} (documented: ${[...op.responses.keys()].join(", ")})`,
    );
  }
  let body: any;
  try {
    body = a.text === "" ? undefined : JSON.parse(a.text);
  } catch {
    problems.push(`answer is not JSON: ${a.text.slice(0, 80)}`);
  }
  if (body && typeof body === "object" && typeof body.success === "boolean") {
    if (body.success !== a.status < 400) problems.push(`envelope success=${body.success} with status ${a.status}`);
    if (typeof body.code !== "string") problems.push("envelope without a code");
    else if (a.status >= 400 && documented && !documented.codes.has(body.code)) {
      problems.push(
        `code ${body.code} is not listed for ${op.key} ${documented.status} (listed: ${[...documented.codes].join(", ") || "none"})`,
      );
    }
  } else if (a.status >= 400 && body !== undefined && typeof body?.message !== "string") {
    problems.push("an error that is neither the envelope nor API Gateway's {message}");
  }
  if (documented?.schema && body !== undefined) {
    const validate = model.validator(documented.schema);
    if (!validate(body)) {
      const e = validate.errors?.[0];
      problems.push(
        `answer does not match the documented ${documented.status} schema: ${e?.instancePath || "/"} ${e?.message}`,
      );
    }
  }
  return problems;
};
