import { ConfigError } from "@cvpipe/core/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isAwsEndpoint, planServices } from "./services.ts";
import { FIXED_SETTINGS } from "./testing/fixed-settings.ts";

const settings = FIXED_SETTINGS;

const refused = (env: Record<string, string>, pattern: RegExp): void => {
  try {
    planServices(settings, env);
  } catch (error) {
    assert.instance(error, ConfigError);
    assert.match((error as Error).message, pattern);
    return;
  }
  assert.unreachable(`accepted ${JSON.stringify(env)}`);
};

test("nothing configured: every service emulated", () => {
  const plan = planServices(settings, { AWS_ENDPOINT_URL: "http://127.0.0.1:9999", AWS_PROFILE: "x" });
  for (const source of Object.values(plan)) assert.equal(source, { kind: "emulated" });
});

test("AWS_ENDPOINT_URL_<SERVICE> configures that service only", () => {
  const plan = planServices(settings, { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:5555" });
  assert.equal(plan.dynamodb, {
    kind: "configured",
    endpoint: "http://127.0.0.1:5555",
    variable: "AWS_ENDPOINT_URL_DYNAMODB",
  });
  assert.is(plan.sqs.kind, "emulated");
  assert.is(plan.s3.kind, "emulated");
});

test("an endpoint at the stack's own port for that service is the stack's address, not the user's", () => {
  const plan = planServices(settings, {
    AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:4566",
    AWS_ENDPOINT_URL_S3: "http://localhost:4566/",
    AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:4566",
  });
  assert.is(plan.sqs.kind, "emulated");
  assert.is(plan.s3.kind, "emulated");
  assert.is(plan.dynamodb.kind, "configured", "4566 is the stack's SQS port, not its DynamoDB port");
});

test("CVPIPE_USE_AWS: bedrock (alias) and ses are real AWS when their settings are given", () => {
  const plan = planServices(settings, {
    CVPIPE_USE_AWS: " Bedrock, ses ",
    BEDROCK_MODEL_ID: "anthropic.claude-3-haiku-20240307-v1:0",
    REPORT_SENDER: "me@example.org",
    REPORT_RECIPIENTS: "team@example.org",
  });
  assert.equal(plan["bedrock-runtime"], { kind: "aws", variable: "CVPIPE_USE_AWS" });
  assert.equal(plan.ses, { kind: "aws", variable: "CVPIPE_USE_AWS" });
  assert.is(plan.sqs.kind, "emulated");
});

test("an AWS endpoint URL counts as real AWS", () => {
  assert.ok(isAwsEndpoint("https://bedrock-runtime.us-east-1.amazonaws.com"));
  assert.ok(isAwsEndpoint("https://sqs.cn-north-1.amazonaws.com.cn"));
  assert.ok(isAwsEndpoint("https://dynamodb.us-east-1.api.aws"));
  assert.not.ok(isAwsEndpoint("http://127.0.0.1:5000"));
  assert.not.ok(isAwsEndpoint("https://amazonaws.com.example.org"));
  const plan = planServices(settings, {
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: "https://bedrock-runtime.eu-west-1.amazonaws.com",
    BEDROCK_MODEL_ID: "m",
  });
  assert.is(plan["bedrock-runtime"].kind, "aws");
  refused(
    { AWS_ENDPOINT_URL_DYNAMODB: "https://dynamodb.us-east-1.amazonaws.com" },
    /real AWS for dynamodb needs CVPIPE_LOCAL_STAGE/,
  );
});

test("real AWS for queues, tables or buckets needs a stage of the user's own, and then every service may be real", () => {
  refused({ CVPIPE_USE_AWS: "sqs" }, /real AWS for sqs needs CVPIPE_LOCAL_STAGE.*AWS_ENDPOINT_URL_SQS/);
  refused({ CVPIPE_USE_AWS: "s3,dynamodb" }, /real AWS for s3, dynamodb needs CVPIPE_LOCAL_STAGE/);
  refused({ CVPIPE_USE_AWS: "sqs", CVPIPE_LOCAL_STAGE: "Dev_1" }, /CVPIPE_LOCAL_STAGE: "Dev_1" must match/);
  refused({ CVPIPE_LOCAL_STAGE: "a-stage-name-too-long" }, /must match/);
  refused({ CVPIPE_USE_AWS: "dynamodb", CVPIPE_LOCAL_STAGE: "" }, /needs CVPIPE_LOCAL_STAGE/);
  const plan = planServices(settings, {
    CVPIPE_USE_AWS: "sqs,s3,dynamodb,ses,bedrock",
    CVPIPE_LOCAL_STAGE: "alice",
    BEDROCK_MODEL_ID: "m",
    REPORT_SENDER: "a@example.org",
    REPORT_RECIPIENTS: "b@example.org",
  });
  for (const service of ["sqs", "s3", "dynamodb", "ses", "bedrock-runtime"] as const) {
    assert.equal(plan[service], { kind: "aws", variable: "CVPIPE_USE_AWS" }, service);
  }
});

test("refusals: unknown names, both ways at once, a global endpoint, missing sender or model", () => {
  refused({ CVPIPE_USE_AWS: "bedrock,lambda" }, /unknown service "lambda"/);
  refused(
    { CVPIPE_USE_AWS: "ses", AWS_ENDPOINT_URL_SES: "http://127.0.0.1:1", REPORT_SENDER: "a", REPORT_RECIPIENTS: "b" },
    /keep one/,
  );
  refused({ CVPIPE_USE_AWS: "bedrock", BEDROCK_MODEL_ID: "m", AWS_ENDPOINT_URL: "http://127.0.0.1:1" }, /unset it/);
  refused({ CVPIPE_USE_AWS: "ses", REPORT_RECIPIENTS: "b" }, /REPORT_SENDER set/);
  refused({ CVPIPE_USE_AWS: "bedrock" }, /BEDROCK_MODEL_ID/);
});

test.run();
