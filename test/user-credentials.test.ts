/**
 * CVPIPE_USE_AWS=bedrock: the stack leaves the user's AWS_PROFILE and keys
 * alone, so the Bedrock client resolves the user's credentials and AWS's own
 * endpoint, while the emulated services' clients get the stack's per-start keys
 * (clients.ts, CVPIPE_LOCAL_CREDENTIALS_<SERVICE>) and loopback endpoints.
 * Nothing here calls AWS: the assertions read the clients' resolved config
 * (the profile's keys come from a credentials file written here), and the one
 * job runs on the local engine.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createBedrockRuntimeClient,
  createDynamoDbClient,
  createS3Client,
  createSesClient,
  createSqsClient,
} from "@cvpipe/aws/clients";
import { test as uvuTest } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, testSettings, unlessMoto } from "./support/stack.ts";
import { listening } from "./support/stack-process.ts";

const test = unlessMoto(
  "tests the keys and endpoints the embedded stack gives the services it emulates; on moto none is emulated",
  uvuTest,
);
process.env["POWERTOOLS_LOG_LEVEL"] = "SILENT";
const body = fixture("http/post-job.valid.json");
assert.is(body.options.engine, "local", "the job must not reach real Bedrock");

const awsDir = mkdtempSync(join(tmpdir(), "cvpipe-aws-config-"));
const credentialsFile = join(awsDir, "credentials");
const configFile = join(awsDir, "config");
writeFileSync(
  credentialsFile,
  "[cvpipe-user]\naws_access_key_id = AKIACVPIPEPROFILE001\naws_secret_access_key = profile-secret\n",
);
// A region other than the stack's default: Bedrock must go where the profile says.
writeFileSync(configFile, "[profile cvpipe-user]\nregion = eu-west-1\n");
uvuTest.after(() => rmSync(awsDir, { recursive: true, force: true }));

const CREDENTIAL_VARS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"];
const setUserEnv = (vars: Record<string, string>): void => {
  for (const name of [...CREDENTIAL_VARS, "CVPIPE_USE_AWS", "BEDROCK_MODEL_ID", "AWS_REGION"]) delete process.env[name];
  Object.assign(process.env, vars);
};

const bedrockTarget = async () => {
  const client = createBedrockRuntimeClient();
  const region = await client.config.region();
  const { url } = client.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false });
  const credentials = await client.config.credentials();
  client.destroy();
  return { custom: client.config.isCustomEndpoint, host: url.hostname, credentials };
};

const emulatedTargets = async () => {
  const out: { service: string; keyId: string; host: string | undefined }[] = [];
  for (const [service, client] of [
    ["sqs", createSqsClient()],
    ["s3", createS3Client()],
    ["dynamodb", createDynamoDbClient()],
    ["ses", createSesClient()],
  ] as const) {
    const credentials = await client.config.credentials();
    const endpoint = await client.config.endpoint?.();
    out.push({ service, keyId: credentials.accessKeyId, host: endpoint?.hostname });
    client.destroy();
  }
  return out;
};

test("CVPIPE_USE_AWS=bedrock with AWS_PROFILE: the profile is left alone and Bedrock would use it, at AWS", async () => {
  setUserEnv({
    AWS_PROFILE: "cvpipe-user",
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_CONFIG_FILE: configFile,
    CVPIPE_USE_AWS: "bedrock",
    BEDROCK_MODEL_ID: "anthropic.claude-3-haiku-20240307-v1:0",
  });
  const settings = await testSettings();
  const stack = await startTestStack({ settings });
  try {
    assert.is(stack.info.services["bedrock-runtime"].source, "aws");
    assert.is(stack.info.endpoints.bedrock, "");
    assert.ok(
      stack.lines.includes(
        "bedrock-runtime: real AWS (CVPIPE_USE_AWS) SDK default endpoint, your credentials, no emulator",
      ),
      stack.lines.join("\n"),
    );
    assert.not.ok(await listening(settings.bedrockPort), "no Bedrock stand-in");
    assert.is(process.env["AWS_PROFILE"], "cvpipe-user");
    assert.is(process.env["AWS_ACCESS_KEY_ID"], undefined, "no keys written over the profile");
    assert.is(process.env["AWS_SECRET_ACCESS_KEY"], undefined);
    assert.is(process.env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"], undefined);

    const bedrock = await bedrockTarget();
    assert.is(bedrock.custom, false);
    assert.is(bedrock.host, "bedrock-runtime.eu-west-1.amazonaws.com", "the profile's region");
    assert.is(bedrock.credentials.accessKeyId, "AKIACVPIPEPROFILE001", "the profile's keys");

    for (const t of await emulatedTargets()) {
      assert.ok(t.keyId.startsWith("LOCAL"), `${t.service}: the stack's keys (${t.keyId})`);
      assert.is(t.host, "127.0.0.1", `${t.service}: the emulator`);
    }
    // The emulated services work without the global keys: a job flows.
    const res = await stack.api.request("POST", "/v1/jobs", { body });
    assert.is(res.status, 202, JSON.stringify(res.body));
    assert.is((await stack.api.waitForJob(res.body.data.jobId, { timeoutMs: 30_000 })).status, "SUCCEEDED");
  } finally {
    await stack.close();
  }
  assert.is(process.env["AWS_PROFILE"], "cvpipe-user");
  assert.is(process.env["AWS_REGION"], undefined, "the region is put back as it was (unset)");
  assert.is(
    process.env["CVPIPE_LOCAL_CREDENTIALS_SQS"],
    undefined,
    "the stack's own variables are gone after the stop",
  );
});

test("CVPIPE_USE_AWS=bedrock with keys in the environment: the keys are left alone and Bedrock would use them", async () => {
  setUserEnv({
    AWS_ACCESS_KEY_ID: "AKIACVPIPEENVKEY0001",
    AWS_SECRET_ACCESS_KEY: "env-secret",
    AWS_SESSION_TOKEN: "env-session",
    CVPIPE_USE_AWS: "bedrock-runtime",
    BEDROCK_MODEL_ID: "anthropic.claude-3-haiku-20240307-v1:0",
  });
  // A second stack in this process: its handlers keep the first one's clients, so no pollers and no requests.
  const stack = await startTestStack({ pollers: false });
  try {
    assert.is(process.env["AWS_ACCESS_KEY_ID"], "AKIACVPIPEENVKEY0001");
    assert.is(process.env["AWS_SECRET_ACCESS_KEY"], "env-secret");
    const bedrock = await bedrockTarget();
    assert.is(bedrock.host, "bedrock-runtime.us-east-1.amazonaws.com");
    assert.equal(
      [bedrock.credentials.accessKeyId, bedrock.credentials.secretAccessKey, bedrock.credentials.sessionToken],
      ["AKIACVPIPEENVKEY0001", "env-secret", "env-session"],
    );
    for (const t of await emulatedTargets()) {
      assert.ok(t.keyId.startsWith("LOCAL"), `${t.service}: the stack's keys (${t.keyId})`);
      assert.is(t.host, "127.0.0.1");
    }
  } finally {
    await stack.close();
  }
  assert.is(process.env["AWS_ACCESS_KEY_ID"], "AKIACVPIPEENVKEY0001");
});

test("nothing real: the global keys are the stack's per-start keys, as before, and the user's come back on stop", async () => {
  setUserEnv({ AWS_ACCESS_KEY_ID: "AKIACVPIPEENVKEY0001", AWS_SECRET_ACCESS_KEY: "env-secret" });
  const stack = await startTestStack({ pollers: false });
  try {
    for (const s of Object.values(stack.info.services)) assert.is(s.source, "emulated");
    assert.ok(process.env["AWS_ACCESS_KEY_ID"]?.startsWith("LOCAL"));
    const bedrock = createBedrockRuntimeClient();
    assert.is((await bedrock.config.endpoint?.())?.hostname, "127.0.0.1", "the stand-in");
    assert.ok((await bedrock.config.credentials()).accessKeyId.startsWith("LOCAL"));
    bedrock.destroy();
  } finally {
    await stack.close();
  }
  assert.is(process.env["AWS_ACCESS_KEY_ID"], "AKIACVPIPEENVKEY0001");
});

test.run();
