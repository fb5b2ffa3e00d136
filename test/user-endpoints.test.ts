import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { type DynamoEmulator, startDynalite } from "@cvpipe/aws/analytics/testing/emulators";
import { tables } from "@cvpipe/core/topology";
import { test as uvuTest } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { startTestStack, type TestStack, testSettings, unlessMoto } from "./support/stack.ts";
import { bannerLine, listening, spawnStack, waitReady } from "./support/stack-process.ts";

const test = unlessMoto(
  "tests which services the embedded stack emulates when some have endpoints of the user's; on moto none is emulated",
  uvuTest,
);
process.env["POWERTOOLS_LOG_LEVEL"] = "SILENT";
const body = fixture("http/post-job.valid.json");

const withEnv = async <T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> => {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
};

const jobFlows = async (stack: TestStack): Promise<string> => {
  const res = await stack.api.request("POST", "/v1/jobs", { body });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const job = await stack.api.waitForJob(res.body.data.jobId, { timeoutMs: 30_000 });
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job));
  assert.is(job.result.resume.basics.name, "Dana Okafor");
  return job.jobId ?? res.body.data.jobId;
};

let dynamo: DynamoEmulator;
test.before(async () => {
  dynamo = await startDynalite();
});
test.after(async () => {
  await dynamo.close();
});

test("AWS_ENDPOINT_URL_DYNAMODB: no dynalite of the stack's own, its tables provisioned there, a job flows", async () => {
  const settings = await testSettings();
  await withEnv({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint }, async () => {
    const stack = await startTestStack({ settings });
    try {
      assert.is(stack.info.services.dynamodb.source, "configured");
      assert.is(stack.info.endpoints.dynamodb, dynamo.endpoint);
      assert.is(process.env["AWS_ENDPOINT_URL_DYNAMODB"], dynamo.endpoint, "the user's endpoint is left as it was");
      assert.not.ok(await listening(settings.dynamoDbPort), "the stack started no DynamoDB emulator");
      for (const s of ["sqs", "s3", "ses", "bedrock-runtime"] as const)
        assert.is(stack.info.services[s].source, "emulated");
      assert.ok(await listening(settings.sqsPort), "fauxqs runs for SQS and S3");

      const { TableNames = [] } = await dynamo.client.send(new ListTablesCommand({}));
      for (const t of Object.values(tables))
        assert.ok(TableNames.includes(t.name), `table ${t.name} on the user's dynalite`);

      const jobId = await jobFlows(stack);
      const items = await dynamo.documentClient.send(new ScanCommand({ TableName: tables.jobs.name }));
      assert.ok(
        (items.Items ?? []).some((i) => JSON.stringify(i).includes(jobId)),
        "the job's record is in the user's dynalite",
      );
      assert.ok(
        stack.lines.some((l) =>
          l.startsWith(`dynamodb: user-configured (AWS_ENDPOINT_URL_DYNAMODB) ${dynamo.endpoint}, no emulator`),
        ),
        stack.lines.join("\n"),
      );
      assert.ok(stack.lines.some((l) => l.startsWith("sqs: emulated (fauxqs) http://127.0.0.1:")));
    } finally {
      await stack.close();
    }
    assert.is(process.env["AWS_ENDPOINT_URL_DYNAMODB"], dynamo.endpoint, "still the user's after the stop");
  });
});

test("the start-up banner says which service is emulated and which is user-configured; a restart provisions again there", async () => {
  const settings = await testSettings();
  const stack = spawnStack(settings, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
  try {
    const output = await waitReady(stack);
    assert.match(
      bannerLine(output, "DynamoDB "),
      new RegExp(`user-configured \\(AWS_ENDPOINT_URL_DYNAMODB\\) ${dynamo.endpoint}, no emulator`),
    );
    assert.match(bannerLine(output, "SQS "), new RegExp(`emulated \\(fauxqs\\) http://127.0.0.1:${settings.sqsPort}`));
    assert.match(bannerLine(output, "S3 "), new RegExp(`emulated \\(fauxqs\\) http://127.0.0.1:${settings.sqsPort}`));
    assert.match(bannerLine(output, "SES "), /emulated \(aws-ses-v2-local\)/);
    assert.match(bannerLine(output, "Bedrock Runtime "), /emulated \(cvpipe Bedrock stand-in\)/);
    assert.not.ok(await listening(settings.dynamoDbPort), "no dynalite of the stack's own");
    // The tables exist from the first test: provisioning found them, and a job runs on the user's dynalite.
    const api = stack.api();
    const res = await api.request("POST", "/v1/jobs", { body, user: "banner" });
    assert.is(res.status, 202);
    const job = await api.waitForJob(res.body.data.jobId, { user: "banner", timeoutMs: 30_000 });
    assert.is(job.status, "SUCCEEDED");
    const items = await dynamo.documentClient.send(new ScanCommand({ TableName: tables.jobs.name }));
    assert.ok((items.Items ?? []).some((i) => JSON.stringify(i).includes(res.body.data.jobId)));
  } finally {
    // Its output names why, when a stop fails (seen once in CI: exit 1, with nothing to say what failed).
    assert.is(await stack.stop(), 0, `the stack's stop failed:\n${stack.output().slice(-3000)}`);
  }
});

test("a refused configuration starts nothing and says what to change", async () => {
  const settings = await testSettings();
  const stack = spawnStack(settings, { CVPIPE_USE_AWS: "sqs,bedrock", BEDROCK_MODEL_ID: "m" });
  // It must exit by itself; one that comes up instead is stopped and the test fails.
  const started = waitReady(stack).then(
    () => "started",
    () => "exited",
  );
  if ((await started) === "started") {
    await stack.stop();
    assert.unreachable(`the stack started:\n${stack.output()}`);
  }
  assert.is(await stack.exited, 2, stack.output());
  assert.match(stack.output(), /could not start: real AWS for sqs needs CVPIPE_LOCAL_STAGE/);
  assert.not.ok(await listening(settings.sqsPort));
  assert.not.ok(await listening(settings.apiPort));
});

test.run();
