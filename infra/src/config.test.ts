import { EMAIL_ACCEPTED, EMAIL_REFUSED } from "@cvpipe/core/testing/email-cases";
import { App } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cdkJsonContext } from "../test/build-app.ts";
import { ConfigError, readConfig } from "./config.ts";

const read = (context: Record<string, unknown>) => readConfig(new App({ context }).node);
const defaults = cdkJsonContext();

const problemsOf = (context: Record<string, unknown>): string => {
  try {
    read(context);
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
};

test("cdk.json's defaults are a valid configuration", () => {
  const config = read(defaults);
  assert.is(config.stage, "dev");
  assert.equal(config.reportRecipients, ["cvpipe-reports@example.com"]);
  assert.is(config.sesIdentity, "cvpipe@example.com");
  assert.equal(config.jwtAudience, ["cvpipe-producers"]);
  assert.is(config.logRetention, RetentionDays.ONE_MONTH);
  assert.is(config.skipBundling, false);
  assert.is(config.bedrockGuardrailArn, undefined);
});

test("-c values arrive as strings: lists split on commas, booleans and numbers parse", () => {
  const config = read({
    ...defaults,
    reportRecipients: "a@x.org, b@x.org",
    jwtAudience: "one,two",
    skipBundling: "true",
    enablePiiRedaction: "false",
    logRetentionDays: "90",
    bannedClaims: '["guaranteed placement"]',
  });
  assert.equal(config.reportRecipients, ["a@x.org", "b@x.org"]);
  assert.equal(config.jwtAudience, ["one", "two"]);
  assert.is(config.skipBundling, true);
  assert.is(config.enablePiiRedaction, false);
  assert.is(config.logRetention, RetentionDays.THREE_MONTHS);
  assert.equal(config.bannedClaims, ["guaranteed placement"]);
});

test("every missing required key is reported at once, by name", () => {
  const message = problemsOf({});
  for (const key of [
    "stage",
    "alarmEmail",
    "reportRecipients",
    "reportSender",
    "bedrockModelId",
    "jwtIssuer",
    "jwtAudience",
  ]) {
    assert.match(message, `${key}: is required`);
  }
  assert.match(message, "-c key=value");
});

test("malformed values name the key and the value", () => {
  assert.match(problemsOf({ ...defaults, stage: "Prod_1" }), 'stage: "Prod_1"');
  assert.match(problemsOf({ ...defaults, alarmEmail: "ops" }), 'alarmEmail: "ops" is not an email address');
  assert.match(problemsOf({ ...defaults, reportRecipients: "a@x.org,nope" }), 'reportRecipients: "nope"');
  assert.match(problemsOf({ ...defaults, jwtIssuer: "http://idp.local" }), "jwtIssuer");
  assert.match(problemsOf({ ...defaults, logRetentionDays: 31 }), "logRetentionDays: 31 is not one of");
  assert.match(problemsOf({ ...defaults, skipBundling: "yes" }), "skipBundling: must be true or false");
  assert.match(problemsOf({ ...defaults, defaultEngine: "gpt" }), "defaultEngine");
  assert.match(problemsOf({ ...defaults, bannedClaims: "[1]" }), "bannedClaims");
  assert.match(problemsOf({ ...defaults, bedrockGuardrailArn: "guardrail-1" }), "bedrockGuardrailArn");
});

test("the SES identity must authorise the sender", () => {
  assert.is(read({ ...defaults, sesIdentity: "example.com" }).sesIdentity, "example.com");
  assert.match(problemsOf({ ...defaults, sesIdentity: "other.org" }), "is not an address of domain other.org");
  assert.match(problemsOf({ ...defaults, sesIdentity: "someone@example.com" }), "does not authorise");
});

test("report addresses follow core's address rule, the one the reporter's cold start checks", () => {
  for (const address of EMAIL_ACCEPTED) {
    const config = read({ ...defaults, reportSender: address, sesIdentity: address, reportRecipients: address });
    assert.is(config.reportSender, address);
    assert.equal(config.reportRecipients, [address]);
  }
  for (const address of EMAIL_REFUSED) {
    assert.match(
      problemsOf({ ...defaults, reportSender: address }),
      `reportSender: "${address}" is not an email address`,
    );
    assert.match(
      problemsOf({ ...defaults, reportRecipients: [address] }),
      `reportRecipients: "${address}" is not an email address`,
    );
  }
});

test("corsOrigins: none by default; a list of origins; a value that is no origin is named", () => {
  assert.equal(read(defaults).corsOrigins, []);
  assert.equal(read({ ...defaults, corsOrigins: "https://app.example.com, http://localhost:5173" }).corsOrigins, [
    "https://app.example.com",
    "http://localhost:5173",
  ]);
  const problems = problemsOf({ ...defaults, corsOrigins: "app.example.com,https://x.org/path" });
  assert.match(problems, /corsOrigins: "app\.example\.com" is not an origin/);
  assert.match(problems, /corsOrigins: "https:\/\/x\.org\/path" is not an origin/);
});

test.run();
