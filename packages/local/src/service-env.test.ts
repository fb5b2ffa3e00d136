/**
 * What the stack sets for each service: real AWS for SQS, S3 and DynamoDB
 * (CVPIPE_USE_AWS with CVPIPE_LOCAL_STAGE) leaves their endpoints and
 * credentials to the SDK — AWS's endpoint in the profile's region, the
 * profile's keys — while emulated services keep their loopback endpoints and
 * per-start keys. Nothing here calls AWS: the assertions read the clients'
 * resolved configuration (the profile's keys come from a file written here).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDynamoDbClient, createS3Client, createSesClient, createSqsClient } from "@cvpipe/aws/clients";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "./service-env.ts";
import { type LocalService, planServices } from "./services.ts";
import { FIXED_SETTINGS } from "./testing/fixed-settings.ts";

const settings = FIXED_SETTINGS;
const keys = { id: "LOCALTESTKEY", secret: "local-secret" };
const emulatorAt = (service: LocalService): string => `http://127.0.0.1:${service === "ses" ? 8005 : 4566}`;

test("nothing configured: every service at its emulator with the per-start keys, which are also the global ones", () => {
  const env = serviceEnv(planServices(settings, {}), emulatorAt, keys, {});
  assert.is(env["AWS_ACCESS_KEY_ID"], "LOCALTESTKEY");
  assert.is(env["AWS_ENDPOINT_URL_SQS"], "http://127.0.0.1:4566");
  assert.is(env["AWS_ENDPOINT_URL_DYNAMODB"], "http://127.0.0.1:4566");
  assert.is(env["CVPIPE_LOCAL_CREDENTIALS_S3"], "LOCALTESTKEY:local-secret");
});

test("CVPIPE_USE_AWS=sqs,s3,dynamodb with a profile: those go to AWS with the profile's keys, the rest stays emulated", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cvpipe-service-env-"));
  const user = {
    CVPIPE_USE_AWS: "sqs,s3,dynamodb",
    CVPIPE_LOCAL_STAGE: "alice",
    AWS_PROFILE: "cvpipe-user",
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    AWS_CONFIG_FILE: join(dir, "config"),
  };
  writeFileSync(
    user.AWS_SHARED_CREDENTIALS_FILE,
    "[cvpipe-user]\naws_access_key_id = AKIACVPIPEPROFILE002\naws_secret_access_key = p\n",
  );
  writeFileSync(user.AWS_CONFIG_FILE, "[profile cvpipe-user]\nregion = eu-west-1\n");
  const set = serviceEnv(planServices(settings, user), emulatorAt, keys, user);
  for (const name of [
    "AWS_ENDPOINT_URL_SQS",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ACCESS_KEY_ID",
  ]) {
    assert.not.ok(set[name], `${name} is not set: ${set[name]}`);
  }
  assert.is(set["AWS_ENDPOINT_URL_SES"], "http://127.0.0.1:8005");
  assert.is(set["CVPIPE_LOCAL_CREDENTIALS_SES"], "LOCALTESTKEY:local-secret");

  // The clients the functions build from that environment (the profile is read from process.env by the SDK).
  const saved = { ...process.env };
  const env: Record<string, string> = { ...user, AWS_REGION: "eu-west-1" };
  for (const [name, value] of Object.entries(set)) if (value !== undefined) env[name] = value;
  for (const name of Object.keys(process.env)) if (/^AWS_|^CVPIPE_/.test(name)) delete process.env[name];
  Object.assign(process.env, env);
  try {
    for (const [service, client] of [
      ["sqs", createSqsClient(env)],
      ["s3", createS3Client(env)],
      ["dynamodb", createDynamoDbClient(env)],
    ] as const) {
      assert.is(client.config.isCustomEndpoint, false, `${service}: no endpoint of the stack's`);
      const credentials = await client.config.credentials();
      assert.is(credentials.accessKeyId, "AKIACVPIPEPROFILE002", `${service}: the profile's keys`);
      client.destroy();
    }
    const ses = createSesClient(env);
    assert.is((await ses.config.credentials()).accessKeyId, "LOCALTESTKEY", "SES: the stack's keys");
    assert.is((await ses.config.endpoint?.())?.hostname, "127.0.0.1");
    ses.destroy();
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
