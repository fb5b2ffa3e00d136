/**
 * The CV library: a person's master CV uploaded once, versioned, and tailored by reference
 * (`POST /v1/jobs` with `cvRef`). Every read and write is scoped to the caller (tenant and user
 * from the JWT): another user's CV is the same 404 as a missing one.
 *
 * Order of writes: a version's body goes to the bucket before its metadata names it, so a CV the
 * API shows always has its body; a crash in between leaves an object nothing names (no reader finds
 * it). A delete marks the CV deleted first (from then on it reads as gone), removes the bodies, then
 * the record; a delete that died half-way is finished by the next DELETE of the same id.
 */
import { canonicalJson, derivedId, type IdSecret, sha256Hex } from "@cvpipe/core/contracts/canonical-json";
import { zodIssues } from "@cvpipe/core/contracts/field-issues";
import { CV_ID } from "@cvpipe/core/contracts/job-constants";
import { CvField, type CvRef } from "@cvpipe/core/contracts/job-request";
import * as z from "@cvpipe/core/contracts/zod";
import {
  CvNotFoundError,
  DependencyError,
  type FieldIssue,
  InvalidInputError,
  ValidationError,
} from "@cvpipe/core/errors";
import type { Caller } from "@cvpipe/core/jobs/caller";
import { parseListLimit } from "@cvpipe/core/jobs/list-limit";
import { keyPart } from "@cvpipe/core/keys";
import { BlobNotFoundError, type BlobStore } from "@cvpipe/core/ports/blob-store";
import type { Clock } from "@cvpipe/core/ports/clock";
import type { CvFormat, CvRecord, CvStore, CvVersion } from "@cvpipe/core/ports/cv-store";
import { normalizeCv } from "@cvpipe/core/resume/normalize-cv";
import { cvBodyPrefix } from "./cv-body-keys.ts";
import { cvIssues, cvWarnings, warned } from "./cv-input.ts";
import { checkIdempotencyKey, idempotencyKeyReused } from "./idempotency-key.ts";
import { openCursor, sealCursor } from "./list-cursor.ts";

/** Rounds a PUT tries for the next version number while other PUTs to the same CV take them. */
const MAX_VERSION_ROUNDS = 25;

/** Versions one CV may have: its record (all versions listed) stays far below DynamoDB's 400 KB item. */
export const MAX_CV_VERSIONS = 500;

export interface CvReadDeps {
  readonly cvs: CvStore;
  /** The CV library's bucket (topology `buckets.cvs`). */
  readonly cvBlobs: BlobStore;
}

export interface CvLibraryDeps extends CvReadDeps {
  readonly clock: Clock;
  readonly newId: () => string;
  /** Keys the ids derived from an Idempotency-Key and seals list cursors. */
  readonly idSecret: IdSecret;
}

/** `POST /v1/cvs` and `PUT /v1/cvs/{cvId}` bodies. */
export const CvUpload = z.strictObject({ cv: CvField });

export interface StoredCv {
  readonly cvId: string;
  readonly version: number;
  /** false when an earlier request with the same Idempotency-Key stored this version. */
  readonly created: boolean;
  /** What the stored CV is warned of (`cvWarnings`: likely typos of JSON Resume keys); absent when none. */
  readonly warnings?: readonly FieldIssue[];
}

/** The upload's CV, validated exactly as `POST /v1/jobs` validates one; its format. */
const parseUpload = (
  body: unknown,
): { cv: string | Record<string, unknown>; format: CvFormat; warnings: readonly FieldIssue[] } => {
  const parsed = CvUpload.safeParse(body);
  const issues = [
    ...(parsed.success ? [] : zodIssues("body", parsed.error)),
    ...cvIssues((body as { cv?: unknown } | null)?.cv, "body.cv"),
  ];
  if (issues.length > 0 || !parsed.success) throw new ValidationError(issues);
  normalizeCv(parsed.data.cv, "body.cv");
  return {
    cv: parsed.data.cv,
    format: typeof parsed.data.cv === "string" ? "text" : "json-resume",
    warnings: cvWarnings(parsed.data.cv, "body.cv"),
  };
};

/** An upload or a new version as both read it: the key's form checked, the body parsed, its hash for repeats. */
const readUpload = (body: unknown, idempotencyKey: string | undefined) => {
  checkIdempotencyKey(idempotencyKey);
  const upload = parseUpload(body);
  return { ...upload, requestHash: sha256Hex(canonicalJson({ cv: upload.cv })) };
};

const live = (record: CvRecord | undefined): record is CvRecord => record !== undefined && !record.deletedAt;

/**
 * Writes the body of `version` of `cvId` to an object of this attempt's own: the key carries a new
 * id as well as the number, so writers racing for one number (the same body included: a client's
 * quick retry) write distinct objects, and the one whose metadata write loses removes only its own.
 */
const putBody = (
  deps: CvLibraryDeps,
  caller: Caller,
  cvId: string,
  version: number,
  cv: string | Record<string, unknown>,
) =>
  deps.cvBlobs.put(
    `${cvBodyPrefix(caller, cvId)}${keyPart(`v${version}-${deps.newId().replaceAll("-", "").slice(-12)}.json`)}`,
    JSON.stringify(cv),
    "application/json",
    { tenantId: caller.tenantId },
  );

/** `POST /v1/cvs`: a new CV, version 1. The same Idempotency-Key and body return the first upload. */
export const uploadCv = async (
  deps: CvLibraryDeps,
  caller: Caller,
  body: unknown,
  idempotencyKey: string | undefined,
): Promise<StoredCv> => {
  const { cv, format, warnings, requestHash } = readUpload(body, idempotencyKey);
  const cvId = idempotencyKey
    ? derivedId(deps.idSecret, "cv", caller.tenantId, caller.userId, idempotencyKey)
    : deps.newId();
  const existing = idempotencyKey ? await deps.cvs.get(caller, cvId) : undefined;
  if (existing) return repeatOf(existing, requestHash, 1, warnings);
  const now = deps.clock.now().toISOString();
  const blob = await putBody(deps, caller, cvId, 1, cv);
  const version: CvVersion = {
    version: 1,
    createdAt: now,
    format,
    bytes: blob.bytes,
    blob,
    requestHash,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
  const outcome = await deps.cvs.create({
    tenantId: caller.tenantId,
    userId: caller.userId,
    cvId,
    createdAt: now,
    updatedAt: now,
    versions: [version],
  });
  if (!outcome.created) {
    // Another request with this key created the CV first: this body is named by nothing, so it goes.
    await deps.cvBlobs.remove(blob).catch(() => {});
    return repeatOf(outcome.existing, requestHash, 1, warnings);
  }
  return { cvId, version: 1, created: true, ...warned(warnings) };
};

/** A repeated Idempotency-Key: the version it stored, when the body is the same and the CV still there. */
const repeatOf = (
  record: CvRecord,
  requestHash: string,
  version: number,
  warnings: readonly FieldIssue[],
): StoredCv => {
  if (!live(record)) throw new CvNotFoundError("this CV was deleted");
  const stored = record.versions.find((v) => v.version === version);
  if (!stored || stored.requestHash !== requestHash) throw idempotencyKeyReused({ cvId: record.cvId });
  return { cvId: record.cvId, version, created: false, ...warned(warnings) };
};

/** `PUT /v1/cvs/{cvId}`: a new version of the caller's CV; earlier versions stay readable. */
export const addCvVersion = async (
  deps: CvLibraryDeps,
  caller: Caller,
  cvId: string,
  body: unknown,
  idempotencyKey: string | undefined,
): Promise<StoredCv> => {
  const { cv, format, warnings, requestHash } = readUpload(body, idempotencyKey);
  // A concurrent PUT that took the next number makes this one take the one after: each round one of
  // the racing writers wins, so MAX_VERSION_ROUNDS writers at once all get a number.
  for (let round = 0; round < MAX_VERSION_ROUNDS; round++) {
    const record = await ownCv(deps, caller, cvId);
    const already = idempotencyKey ? record.versions.find((v) => v.idempotencyKey === idempotencyKey) : undefined;
    if (already) return repeatOf(record, requestHash, already.version, warnings);
    const latest = record.versions.at(-1)!.version;
    if (record.versions.length >= MAX_CV_VERSIONS) {
      throw new InvalidInputError([
        {
          input: "cvId",
          rule: "maxVersions",
          message: `this CV has ${MAX_CV_VERSIONS} versions, the most one CV keeps: upload a new CV (POST /v1/cvs)`,
        },
      ]);
    }
    const next = latest + 1;
    const blob = await putBody(deps, caller, cvId, next, cv);
    const version: CvVersion = {
      version: next,
      createdAt: deps.clock.now().toISOString(),
      format,
      bytes: blob.bytes,
      blob,
      requestHash,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
    if (await deps.cvs.addVersion(caller, cvId, version, latest)) {
      return { cvId, version: next, created: true, ...warned(warnings) };
    }
    // Lost the number to another writer (or to a delete): this body is named by nothing, so it goes.
    await deps.cvBlobs.remove(blob).catch(() => {});
  }
  // 503, retryable: the client sends it again (with its Idempotency-Key).
  throw new DependencyError(
    `the CV kept changing under this request (${MAX_VERSION_ROUNDS} writers at once); send it again`,
  );
};

/** The caller's live CV, or CvNotFoundError (unknown, deleted, another user's, not a cvId). */
const ownCv = async (deps: CvReadDeps, caller: Caller, cvId: string): Promise<CvRecord> => {
  if (!CV_ID.test(cvId)) throw new CvNotFoundError();
  const record = await deps.cvs.get(caller, cvId);
  if (!live(record)) throw new CvNotFoundError();
  return record;
};

/**
 * A version's body as stored. A delete can land between reading the record and reading the body
 * (the record was live, the object is gone): then the CV is gone for this request too. A body
 * missing under a record still live is a fault of the store, and stays one.
 */
const readVersion = async (
  deps: CvReadDeps,
  caller: Caller,
  record: CvRecord,
  version: CvVersion,
): Promise<string | Record<string, unknown>> => {
  let body: string;
  try {
    body = await deps.cvBlobs.get(version.blob);
  } catch (error) {
    if (error instanceof BlobNotFoundError && !live(await deps.cvs.get(caller, record.cvId))) {
      throw new CvNotFoundError("this CV was deleted");
    }
    throw error;
  }
  return JSON.parse(body) as string | Record<string, unknown>;
};

/** A `cvRef` of `POST /v1/jobs`: the CV and the exact version it names (the latest when none). */
export const resolveCvRef = async (
  deps: CvReadDeps,
  caller: Caller,
  ref: CvRef,
): Promise<{ cv: string | Record<string, unknown>; cvId: string; version: number }> => {
  const record = await ownCv(deps, caller, ref.cvId);
  const version =
    ref.version === undefined ? record.versions.at(-1) : record.versions.find((v) => v.version === ref.version);
  if (!version) throw new CvNotFoundError(`this CV has no version ${ref.version}`);
  return { cv: await readVersion(deps, caller, record, version), cvId: record.cvId, version: version.version };
};

/** A version in a listing or answer: what a producer needs, no storage names. */
const versionView = (v: CvVersion) => ({
  version: v.version,
  createdAt: v.createdAt,
  format: v.format,
  bytes: v.bytes,
});

const summary = (record: CvRecord) => {
  const latest = record.versions.at(-1)!;
  return {
    cvId: record.cvId,
    latestVersion: latest.version,
    format: latest.format,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
};

/** `GET /v1/cvs/{cvId}[?version=N]`: the CV (the latest version, or N) with every version's facts. */
export const getCv = async (deps: CvReadDeps, caller: Caller, cvId: string, versionParam: string | undefined) => {
  const record = await ownCv(deps, caller, cvId);
  let wanted = record.versions.at(-1)!;
  if (versionParam !== undefined) {
    const n = /^[1-9][0-9]{0,6}$/.test(versionParam) ? Number(versionParam) : Number.NaN;
    if (Number.isNaN(n)) {
      throw new InvalidInputError([
        { input: "version", rule: "integer", message: "must be a version number (1, 2, …)" },
      ]);
    }
    const found = record.versions.find((v) => v.version === n);
    if (!found) throw new CvNotFoundError(`this CV has no version ${n}`);
    wanted = found;
  }
  return {
    ...summary(record),
    version: wanted.version,
    cv: await readVersion(deps, caller, record, wanted),
    versions: record.versions.map(versionView),
  };
};

/** `GET /v1/cvs`: a page of the caller's CVs (no bodies), with a sealed cursor to the next. */
export const listCvs = async (
  deps: CvLibraryDeps,
  caller: Caller,
  query: { readonly limit?: string | undefined; readonly cursor?: string | undefined },
) => {
  const limit = parseListLimit(query.limit);
  const cursor = openCursor(deps.idSecret, caller, query.cursor);
  const page = await deps.cvs.list(caller, limit, cursor);
  return {
    items: page.items.map(summary),
    ...(page.cursor ? { cursor: sealCursor(deps.idSecret, caller, page.cursor) } : {}),
  };
};

/**
 * `DELETE /v1/cvs/{cvId}`: the CV and every version's body. Jobs already submitted keep the copy
 * they were given. A delete that died half-way (the CV marked, bodies left) is finished here.
 */
export const deleteCv = async (deps: CvLibraryDeps, caller: Caller, cvId: string): Promise<void> => {
  if (!CV_ID.test(cvId)) throw new CvNotFoundError();
  const marked = await deps.cvs.markDeleted(caller, cvId, deps.clock.now().toISOString());
  if (!marked) throw new CvNotFoundError();
  for (const version of marked.versions) await deps.cvBlobs.remove(version.blob);
  await deps.cvs.remove(caller, cvId);
};
