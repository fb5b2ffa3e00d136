import { createRequire } from "node:module";
import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FieldIssue } from "../errors.ts";
import type { Resume } from "./resume.ts";

// The official JSON Resume schema, from the schema project's own package.
const require = createRequire(import.meta.url);
const schema = require("@jsonresume/schema/schema.json") as object;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** `/work/2/startDate` → `work[2].startDate` under `root`. */
const pointerToPath = (root: string, pointer: string): string => {
  let out = root;
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out || "(root)";
};

const toIssue = (root: string, e: ErrorObject): FieldIssue => {
  const missing = e.keyword === "required" ? `.${String(e.params["missingProperty"])}` : "";
  return {
    path: pointerToPath(root, e.instancePath) + missing,
    rule: e.keyword === "format" ? `format:${String(e.params["format"])}` : e.keyword,
    message: e.message ?? e.keyword,
  };
};

/** Checks a value against the official JSON Resume schema; returns [] when valid. */
export const resumeIssues = (value: unknown, root = "cv"): FieldIssue[] => {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => toIssue(root, e));
};

export const isResume = (value: unknown): value is Resume => resumeIssues(value).length === 0;
