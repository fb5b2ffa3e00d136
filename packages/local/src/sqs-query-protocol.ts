/**
 * SQS's query protocol (form-encoded `Action=…` requests, XML answers) in front of fauxqs, which
 * speaks only SQS's JSON protocol. AWS still serves both, and the tools an operator has at hand do
 * not all speak JSON: the aws CLI before 2.13 (Debian 12 ships 2.9.19), boto3 before 1.28.82, the
 * JavaScript SDK before 3.446. Without this, `aws sqs list-queues` against the embedded stack
 * answered "Unknown action: ListQueues".
 *
 * The request's parameters are decoded into the JSON protocol's input (the names are the SQS
 * model's query names: flattened lists `AttributeName.1`, entry lists `SendMessageBatchRequestEntry.1.Id`,
 * maps `Attribute.1.Name`/`.Value`), fauxqs's own JSON handler runs, and its output (or error) is
 * written back as the query protocol's XML. Our fauxqs patch calls `answerSqsQuery` for a
 * form-encoded request whose Action is one of its SQS actions.
 */
import { randomUUID } from "node:crypto";

const XMLNS = "http://queue.amazonaws.com/doc/2012-11-05/";

/** Query list names → the JSON protocol's member names. */
const LISTS: Record<string, string> = {
  AttributeName: "AttributeNames",
  MessageAttributeName: "MessageAttributeNames",
  MessageSystemAttributeName: "MessageSystemAttributeNames",
  TagKey: "TagKeys",
  AWSAccountId: "AWSAccountIds",
  ActionName: "Actions",
  StringListValue: "StringListValues",
  BinaryListValue: "BinaryListValues",
  SendMessageBatchRequestEntry: "Entries",
  DeleteMessageBatchRequestEntry: "Entries",
  ChangeMessageVisibilityBatchRequestEntry: "Entries",
};
/** Query maps (entries of name and value) → the JSON member name and the entry's key field. */
const MAPS: Record<string, { json: string; key: string }> = {
  Attribute: { json: "Attributes", key: "Name" },
  MessageAttribute: { json: "MessageAttributes", key: "Name" },
  MessageSystemAttribute: { json: "MessageSystemAttributes", key: "Name" },
  Tag: { json: "Tags", key: "Key" },
};
const INTEGERS = new Set([
  "DelaySeconds",
  "MaxNumberOfMessages",
  "VisibilityTimeout",
  "WaitTimeSeconds",
  "MaxResults",
  "MaxNumberOfMessagesPerSecond",
]);

/** A request the query decoding refuses (SQS answers such requests with a 400 of this code). */
export class MalformedQueryError extends Error {
  readonly code = "MalformedQueryString";
}

type Tree = { [name: string]: Tree | string };

/** `A.1.B.2=v` → nested objects; numeric segments stay keys here and become list positions later. */
function nest(params: Record<string, string>): Tree {
  const root: Tree = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === "Action" || key === "Version") continue;
    const parts = key.split(".");
    if (parts.some((p) => p === "")) throw new MalformedQueryError(`parameter ${key}: empty name segment`);
    let node = root;
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1) {
        if (typeof node[part] === "object")
          throw new MalformedQueryError(`parameter ${key}: given as a value and as a structure`);
        node[part] = value;
        break;
      }
      const next = node[part] ?? {};
      if (typeof next === "string")
        throw new MalformedQueryError(`parameter ${key}: given as a value and as a structure`);
      node[part] = next;
      node = next;
    }
  }
  return root;
}

/** The members of `N.…` in list order (1-based positions as SQS numbers them). */
function members(name: string, node: Tree | string): Array<Tree | string> {
  if (node === "") return []; // an empty list is sent as `Name=`
  if (typeof node === "string")
    throw new MalformedQueryError(`parameter ${name}: a list needs ${name}.1, ${name}.2, …`);
  return Object.keys(node)
    .map((k) => {
      if (!/^[1-9][0-9]{0,3}$/.test(k))
        throw new MalformedQueryError(`parameter ${name}.${k}: list positions are 1, 2, …`);
      return Number(k);
    })
    .sort((a, b) => a - b)
    .map((k) => node[String(k)] as Tree | string);
}

function decode(name: string, node: Tree | string): unknown {
  if (typeof node === "string") {
    if (!INTEGERS.has(name)) return node;
    if (!/^-?[0-9]{1,10}$/.test(node))
      throw new MalformedQueryError(`parameter ${name}: ${JSON.stringify(node.slice(0, 40))} is not an integer`);
    return Number(node);
  }
  const out: Record<string, unknown> = {};
  for (const [child, value] of Object.entries(node)) {
    const list = LISTS[child];
    const map = MAPS[child];
    if (list) out[list] = members(child, value).map((m) => decode(child, m));
    else if (map) {
      const entries: Record<string, unknown> = {};
      for (const entry of members(child, value)) {
        if (typeof entry === "string" || typeof entry[map.key] !== "string") {
          throw new MalformedQueryError(`parameter ${child}: each entry needs ${child}.N.${map.key}`);
        }
        entries[entry[map.key] as string] = entry.Value === undefined ? undefined : decode("Value", entry.Value);
      }
      out[map.json] = entries;
    } else out[child] = decode(child, value);
  }
  return out;
}

/** The JSON protocol's input for a query request's parameters (Action and Version left out). */
export function queryToJsonInput(action: string, params: Record<string, string>): Record<string, unknown> {
  const input = decode(action, nest(params)) as Record<string, unknown>;
  // CreateQueue's tag map is the one member the JSON protocol spells in lower case.
  if (action === "CreateQueue" && input.Tags) {
    input.tags = input.Tags;
    delete input.Tags;
  }
  return input;
}

const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"'\r]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#xD;" })[c]!,
  );

/** JSON list members written as repeated elements (the query protocol's flattened lists). */
const FLAT_LISTS: Record<string, string> = {
  QueueUrls: "QueueUrl",
  queueUrls: "QueueUrl",
  Messages: "Message",
  Failed: "BatchResultErrorEntry",
  Results: "ListMessageMoveTasksResultEntry",
  StringListValues: "StringListValue",
  BinaryListValues: "BinaryListValue",
};
const FLAT_MAPS: Record<string, { element: string; key: string }> = {
  Attributes: { element: "Attribute", key: "Name" },
  MessageAttributes: { element: "MessageAttribute", key: "Name" },
  Tags: { element: "Tag", key: "Key" },
};

function encode(action: string, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return escapeXml(String(value));
  let xml = "";
  for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
    if (member === undefined || member === null) continue;
    const list = name === "Successful" ? `${action}ResultEntry` : FLAT_LISTS[name];
    const map = FLAT_MAPS[name];
    if (list && Array.isArray(member)) {
      for (const m of member) xml += `<${list}>${encode(action, m)}</${list}>`;
    } else if (map && typeof member === "object") {
      for (const [k, v] of Object.entries(member as Record<string, unknown>)) {
        xml += `<${map.element}><${map.key}>${escapeXml(k)}</${map.key}><Value>${encode(action, v)}</Value></${map.element}>`;
      }
    } else xml += `<${name}>${encode(action, member)}</${name}>`;
  }
  return xml;
}

/** The actions whose answer has no result element (their output shape is empty). */
const NO_RESULT = new Set([
  "AddPermission",
  "ChangeMessageVisibility",
  "DeleteMessage",
  "DeleteQueue",
  "PurgeQueue",
  "RemovePermission",
  "SetQueueAttributes",
  "TagQueue",
  "UntagQueue",
]);

/**
 * The query protocol's answer for a JSON output: `<ActionResponse><ActionResult>…</ActionResult>…`.
 * The result element is there even when empty (a receive that found nothing): the SDKs read it.
 */
export function jsonOutputToXml(action: string, output: unknown, requestId: string = randomUUID()): string {
  return (
    `<?xml version="1.0"?><${action}Response xmlns="${XMLNS}">` +
    (NO_RESULT.has(action) ? "" : `<${action}Result>${encode(action, output)}</${action}Result>`) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** The query protocol's error document; `queryError` is the JSON answer's x-amzn-query-error header (`Code;Sender`). */
export function errorToXml(
  error: { __type?: string; message?: string },
  queryError: string | undefined,
  requestId: string = randomUUID(),
): string {
  const [headerCode, fault] = queryError?.split(";") ?? [];
  const code = headerCode || (error.__type ?? "InternalError").split("#").pop()!;
  return (
    `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>${fault === "Receiver" ? "Receiver" : "Sender"}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(error.message ?? "")}</Message><Detail/></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/** What the answer needs of fastify's reply. */
export interface QueryReply {
  statusCode: number;
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
  removeHeader(name: string): unknown;
}

/**
 * Answers one query-protocol request: decodes it, runs `json` (fauxqs's JSON handler for the
 * action) on the decoded input, and returns the XML body, the status and content type set on `reply`.
 */
export async function answerSqsQuery(
  request: { body: Record<string, string> },
  reply: QueryReply,
  json: (input: Record<string, unknown>) => Promise<unknown>,
): Promise<string> {
  const action = request.body.Action ?? "";
  let input: Record<string, unknown>;
  try {
    input = queryToJsonInput(action, request.body);
  } catch (err) {
    if (!(err instanceof MalformedQueryError)) throw err;
    reply.status(400);
    reply.header("content-type", "text/xml");
    return errorToXml({ message: err.message }, `${err.code};Sender`);
  }
  const output = await json(input);
  const queryError = reply.getHeader("x-amzn-query-error");
  reply.removeHeader("x-amzn-query-error");
  reply.header("content-type", "text/xml");
  if (reply.statusCode >= 400) {
    return errorToXml(
      output as { __type?: string; message?: string },
      typeof queryError === "string" ? queryError : undefined,
    );
  }
  return jsonOutputToXml(action, output);
}
