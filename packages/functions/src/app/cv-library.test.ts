import { MemoryCvStore } from "@cvpipe/core/cvs/testing/memory-cv-store";
import { CvNotFoundError, CvpipeError, InvalidInputError } from "@cvpipe/core/errors";
import type { CvOwner, CvVersion } from "@cvpipe/core/ports/cv-store";
import { MemoryBlobs } from "@cvpipe/core/testing/memory-ports";
import { rejects } from "@cvpipe/core/testing/rejects";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixedDeps } from "../testing/app-deps.ts";
import {
  addCvVersion,
  type CvLibraryDeps,
  deleteCv,
  getCv,
  MAX_CV_VERSIONS,
  resolveCvRef,
  uploadCv,
} from "./cv-library.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const alice = { tenantId: "acme", userId: "alice" };
const cv = (label: string) => ({
  basics: { name: "Dana Okafor", label, summary: "Backend engineer building event-driven services." },
  work: [{ name: "Northwind", position: "Engineer", startDate: "2020-01", highlights: ["Built the billing service"] }],
  skills: [{ name: "Backend", keywords: ["Go", "AWS"] }],
});

const setup = () => {
  const cvs = new MemoryCvStore();
  const cvBlobs = new MemoryBlobs();
  const deps: CvLibraryDeps = { cvs, cvBlobs, ...fixedDeps(NOW, "0b6c6f2e-5d0a-4e55-9c3e-6a1f2b3c4d") };
  return { deps, cvs, cvBlobs };
};

/** The rejection of `run`, asserted to be a `type`. */
const rejectsWith = async (run: Promise<unknown>, type: new (...args: never[]) => Error): Promise<Error> => {
  const error = await rejects(() => run);
  assert.instance(error, type);
  return error as Error;
};

test("two PUTs racing for the same number: both stored, as 2 and 3, each with its own body", async () => {
  const { deps, cvs, cvBlobs } = setup();
  const { cvId } = await uploadCv(deps, alice, { cv: cv("One") }, undefined);
  // Both read version 1 before either writes: the store's append runs only after both bodies are put.
  const appends: Array<() => void> = [];
  const original = cvs.addVersion.bind(cvs);
  let held = 2;
  cvs.addVersion = (owner: CvOwner, id: string, version: CvVersion, after: number) =>
    held-- > 0
      ? new Promise<boolean>((resolve) => {
          appends.push(() => resolve(original(owner, id, version, after)));
          if (appends.length === 2) for (const go of appends) go();
        })
      : original(owner, id, version, after);
  const [a, b] = await Promise.all([
    addCvVersion(deps, alice, cvId, { cv: cv("Two") }, undefined),
    addCvVersion(deps, alice, cvId, { cv: cv("Three") }, undefined),
  ]);
  assert.equal([a.version, b.version].sort(), [2, 3]);
  const labelOf = async (version: number) =>
    ((await getCv(deps, alice, cvId, String(version))).cv as { basics: { label: string } }).basics.label;
  assert.is(await labelOf(a.version), "Two");
  assert.is(await labelOf(b.version), "Three");
  // The loser's first body (written for number 2, named by nothing) was removed: one object per version.
  assert.is(cvBlobs.objects.size, 3);
  // Each body is written under its tenant (the encryption context on AWS).
  assert.equal([...cvBlobs.owners.values()], [alice.tenantId, alice.tenantId, alice.tenantId]);
});

test("a reference resolves to the exact version; unknown, deleted, another user's and missing versions are CvNotFoundError", async () => {
  const { deps } = setup();
  const { cvId } = await uploadCv(deps, alice, { cv: cv("One") }, undefined);
  await addCvVersion(deps, alice, cvId, { cv: cv("Two") }, undefined);
  assert.is((await resolveCvRef(deps, alice, { cvId })).version, 2);
  const v1 = await resolveCvRef(deps, alice, { cvId, version: 1 });
  assert.is((v1.cv as { basics: { label: string } }).basics.label, "One");
  await rejectsWith(resolveCvRef(deps, alice, { cvId, version: 3 }), CvNotFoundError);
  await rejectsWith(resolveCvRef(deps, { tenantId: "acme", userId: "bob" }, { cvId }), CvNotFoundError);
  await rejectsWith(resolveCvRef(deps, { tenantId: "globex", userId: "alice" }, { cvId }), CvNotFoundError);
  await deleteCv(deps, alice, cvId);
  await rejectsWith(resolveCvRef(deps, alice, { cvId }), CvNotFoundError);
  await rejectsWith(deleteCv(deps, alice, "../../etc/passwd"), CvNotFoundError);
});

test("a delete between reading the CV's record and its body: CvNotFoundError, not an internal error", async () => {
  const { deps, cvBlobs } = setup();
  const { cvId } = await uploadCv(deps, alice, { cv: cv("One") }, undefined);
  // The delete runs while the read waits for the body: the record was live, the object is gone.
  const get = cvBlobs.get.bind(cvBlobs);
  cvBlobs.get = async (pointer) => {
    await deleteCv(deps, alice, cvId);
    return get(pointer);
  };
  await rejectsWith(resolveCvRef(deps, alice, { cvId }), CvNotFoundError);
  const { cvId: other } = await uploadCv(deps, alice, { cv: cv("Two") }, "another-key");
  cvBlobs.get = async (pointer) => {
    await deleteCv(deps, alice, other);
    return get(pointer);
  };
  await rejectsWith(getCv(deps, alice, other, undefined), CvNotFoundError);
});

test("a live CV whose body is missing is an internal fault, not a CV that was never there", async () => {
  const { deps, cvBlobs } = setup();
  const { cvId } = await uploadCv(deps, alice, { cv: cv("One") }, undefined);
  cvBlobs.objects.clear();
  const error = await rejects(() => resolveCvRef(deps, alice, { cvId }));
  assert.not.instance(error, CvNotFoundError);
});

test("a delete that stopped after marking is finished by the next one; a PUT meanwhile is refused", async () => {
  const { deps, cvs, cvBlobs } = setup();
  const { cvId } = await uploadCv(deps, alice, { cv: cv("One") }, undefined);
  await cvs.markDeleted(alice, cvId, NOW.toISOString());
  assert.is(cvBlobs.objects.size, 1);
  await rejectsWith(addCvVersion(deps, alice, cvId, { cv: cv("Two") }, undefined), CvNotFoundError);
  await rejectsWith(getCv(deps, alice, cvId, undefined), CvNotFoundError);
  await deleteCv(deps, alice, cvId);
  assert.is(cvBlobs.objects.size, 0);
  assert.is(await cvs.get(alice, cvId), undefined);
});

test("a CV keeps at most MAX_CV_VERSIONS versions, and says so by field", async () => {
  const { deps, cvs } = setup();
  const { cvId } = await uploadCv(deps, alice, { cv: cv("One") }, undefined);
  const record = (await cvs.get(alice, cvId))!;
  const many = Array.from({ length: MAX_CV_VERSIONS }, (_, i) => ({ ...record.versions[0]!, version: i + 1 }));
  cvs.records.set([...cvs.records.keys()][0]!, { ...record, versions: many });
  const error = await rejectsWith(
    addCvVersion(deps, alice, cvId, { cv: cv("Too many") }, undefined),
    InvalidInputError,
  );
  assert.equal(
    (error as InvalidInputError).issues.map((i) => [i.input, i.rule]),
    [["cvId", "maxVersions"]],
  );
});

test("Idempotency-Key: the same body returns the first upload; another body is IDEMPOTENCY_KEY_REUSED", async () => {
  const { deps, cvBlobs } = setup();
  const first = await uploadCv(deps, alice, { cv: cv("One") }, "k-1");
  const again = await uploadCv(deps, alice, { cv: cv("One") }, "k-1");
  assert.equal(again, { ...first, created: false });
  assert.is(cvBlobs.objects.size, 1, "a repeat writes nothing");
  const reused = await rejectsWith(uploadCv(deps, alice, { cv: cv("Other") }, "k-1"), CvpipeError);
  assert.is((reused as CvpipeError).code, "IDEMPOTENCY_KEY_REUSED");
  // The key is the caller's: bob's "k-1" is his own CV.
  const bob = await uploadCv(deps, { tenantId: "acme", userId: "bob" }, { cv: cv("One") }, "k-1");
  assert.is.not(bob.cvId, first.cvId);
});

test.run();
