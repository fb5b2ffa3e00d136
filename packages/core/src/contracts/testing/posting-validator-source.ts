/**
 * Generates contracts/posting-validator.ts: the official JSON Resume job schema
 * (@jsonresume/schema's job-schema.json) compiled by ajv to standalone code,
 * exactly as the resume schema is (resume/testing/resume-validator-source.ts),
 * so a deployed function validates postings without ajv's compiler.
 *
 *   node packages/core/src/contracts/testing/posting-validator-source.ts --write
 *
 * posting-validator.test.ts checks that the committed file is what this
 * generates today and that it answers as ajv.compile does.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import schema from "@jsonresume/schema/job-schema.json" with { type: "json" };
import type { ValidateFunction } from "ajv";
import { resumeAjv, standaloneValidatorSource, versionOf } from "../../resume/testing/resume-validator-source.ts";

/** Where the generated validator lives. */
export const POSTING_VALIDATOR_FILE = join(import.meta.dirname, "..", "posting-validator.ts");

/** The job schema the validator is compiled from (the package's copy: it ships with the code). */
export const JOB_SCHEMA: object = schema;

/** The job schema compiled at run time, with the options of the generated validator. */
export const compileJobSchema = (): ValidateFunction => resumeAjv().compile(schema);

/** The text of contracts/posting-validator.ts, as generated now. */
export const postingValidatorSource = (): string =>
  standaloneValidatorSource(
    schema,
    "packages/core/src/contracts/testing/posting-validator-source.ts",
    `The JSON Resume job schema (@jsonresume/schema ${versionOf("@jsonresume/schema")} job-schema.json)`,
  );

if (process.argv[1] === import.meta.filename && process.argv.includes("--write")) {
  writeFileSync(POSTING_VALIDATOR_FILE, postingValidatorSource());
  console.log(`wrote ${POSTING_VALIDATOR_FILE}`);
}
