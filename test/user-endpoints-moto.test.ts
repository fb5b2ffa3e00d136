/**
 * Endpoints the user chooses (DESIGN §8), SQS and S3 at moto: with both
 * configured the stack starts no fauxqs and provisions its queues and bucket on
 * moto; with only SQS configured fauxqs still starts, for S3. A job flows either
 * way. Skipped (test.skip) where moto_server is not installed.
 */
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { buckets, queues } from "@cvpipe/core/topology";
import { test as uvuTest } from "uvu";
import * as assert from "uvu/assert";
import { fixture } from "./support/fixtures.ts";
import { hasMotoServer, type Moto, startMoto } from "./support/moto.ts";
import { onMoto, testSettings, unlessMoto } from "./support/stack.ts";
import { readStackInfo } from "./support/stack-info.ts";
import { bannerLine, listening, type StackProcess, spawnStack, waitReady } from "./support/stack-process.ts";

const body = fixture("http/post-job.valid.json");
const test = unlessMoto(
  "tests which services the embedded stack emulates when SQS/S3 are at a moto of the user's; on moto none is emulated",
  uvuTest,
);
const moto: Moto | undefined = !onMoto && hasMotoServer() ? await startMoto() : undefined;
const it = moto || onMoto ? test : test.skip;
test.after(async () => {
  await moto?.close();
});

const jobFlows = async (stack: StackProcess, user: string): Promise<void> => {
  const api = stack.api();
  const res = await api.request("POST", "/v1/jobs", { body, user });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const job = await api.waitForJob(res.body.data.jobId, { user, timeoutMs: 30_000 });
  assert.is(job.status, "SUCCEEDED", JSON.stringify(job));
  assert.is(job.result.resume.basics.name, "Dana Okafor");
};

it("AWS_ENDPOINT_URL_SQS and _S3 at moto: no fauxqs, queues and bucket provisioned there, a job flows", async () => {
  const m = moto!;
  const settings = await testSettings();
  const stack = spawnStack(settings, { AWS_ENDPOINT_URL_SQS: m.endpoint, AWS_ENDPOINT_URL_S3: m.endpoint });
  const sqs = new SQSClient(m.clientConfig);
  const s3 = new S3Client({ ...m.clientConfig, forcePathStyle: true });
  try {
    const output = await waitReady(stack);
    assert.match(bannerLine(output, "SQS "), new RegExp(`user-configured \\(AWS_ENDPOINT_URL_SQS\\) ${m.endpoint}`));
    assert.match(bannerLine(output, "S3 "), new RegExp(`user-configured \\(AWS_ENDPOINT_URL_S3\\) ${m.endpoint}`));
    assert.match(bannerLine(output, "DynamoDB "), /emulated \(dynalite\)/);
    const info = readStackInfo(settings.dataDir);
    assert.is(info.services.sqs.source, "configured");
    assert.is(info.services.s3.source, "configured");
    assert.not.ok(await listening(settings.sqsPort), "no fauxqs: both of its services are the user's");
    assert.ok(await listening(settings.dynamoDbPort), "dynalite runs");

    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
    for (const q of Object.values(queues)) {
      assert.ok(
        QueueUrls.some((u) => u.endsWith(`/${q.name}`)),
        `queue ${q.name} on moto`,
      );
      assert.ok(
        QueueUrls.some((u) => u.endsWith(`/${q.dlqName}`)),
        `queue ${q.dlqName} on moto`,
      );
    }
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    assert.ok(
      Buckets.some((b) => b.Name === buckets.payloads.name),
      "bucket on moto",
    );
    await jobFlows(stack, "moto-both");
  } finally {
    sqs.destroy();
    s3.destroy();
    assert.is(await stack.stop(), 0, stack.output());
  }
});

it("only AWS_ENDPOINT_URL_SQS at moto: fauxqs still starts, for S3; provisioning again on moto is fine", async () => {
  const m = moto!;
  const settings = await testSettings();
  const stack = spawnStack(settings, { AWS_ENDPOINT_URL_SQS: m.endpoint });
  try {
    const output = await waitReady(stack);
    assert.match(bannerLine(output, "SQS "), /user-configured \(AWS_ENDPOINT_URL_SQS\)/);
    assert.match(bannerLine(output, "S3 "), new RegExp(`emulated \\(fauxqs\\) http://127.0.0.1:${settings.sqsPort}`));
    const info = readStackInfo(settings.dataDir);
    assert.is(info.services.s3.source, "emulated");
    assert.ok(await listening(settings.sqsPort), "fauxqs runs for S3");
    assert.ok(info.queues.tailoringJobs.url.startsWith(m.endpoint), info.queues.tailoringJobs.url);
    await jobFlows(stack, "moto-sqs");
  } finally {
    assert.is(await stack.stop(), 0, stack.output());
  }
});

test.run();
