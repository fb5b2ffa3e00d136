/**
 * Provisioning the topology's queues on the stack's own fauxqs: each queue and
 * DLQ carries the topology's FIFO throughput mode (high throughput), a second
 * start changes nothing, and a queue left by an older data directory with
 * another mode does not stop the start (fauxqs refuses to change the mode; the
 * log says so).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type QueueSpec, queues } from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Emulators, startEmulators } from "./emulators.ts";
import { provision } from "./provision.ts";

const specs = Object.values(queues) as QueueSpec[];
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const region = "us-east-1";

const withEmulators = async (run: (emulators: Emulators, clients: Clients) => Promise<void>): Promise<void> => {
  const dataDir = mkdtempSync(join(tmpdir(), "cvpipe-provision-"));
  const emulators = await startEmulators(
    { dataDir, apiPort: 0, sqsPort: 0, dynamoDbPort: 0, sesPort: 0, bedrockPort: 0, openaiPort: 0, region },
    { ses: false },
  );
  const clients = {
    sqs: new SQSClient({ region, credentials, endpoint: emulators.sqsEndpoint! }),
    dynamoDb: new DynamoDBClient({ region, credentials, endpoint: emulators.dynamoDbEndpoint! }),
    s3: new S3Client({ region, credentials, endpoint: emulators.s3Endpoint!, forcePathStyle: true }),
  };
  try {
    await run(emulators, clients);
  } finally {
    for (const client of Object.values(clients)) client.destroy();
    await emulators.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
type Clients = { sqs: SQSClient; dynamoDb: DynamoDBClient; s3: S3Client };

const modeOf = async (sqs: SQSClient, url: string): Promise<Record<string, string | undefined>> => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["DeduplicationScope", "FifoThroughputLimit"] }),
  );
  return {
    DeduplicationScope: Attributes["DeduplicationScope"],
    FifoThroughputLimit: Attributes["FifoThroughputLimit"],
  };
};

test("every queue and DLQ is created in the topology's throughput mode; a second start logs nothing about them", async () => {
  await withEmulators(async (_emulators, clients) => {
    const first: string[] = [];
    const provisioned = await provision(clients, (line) => first.push(line));
    for (const spec of specs) {
      const expected = {
        DeduplicationScope: spec.fifoThroughput.deduplicationScope,
        FifoThroughputLimit: spec.fifoThroughput.fifoThroughputLimit,
      };
      assert.equal(expected, { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" });
      const { url, dlqUrl } = provisioned.queues[spec.id];
      assert.equal(await modeOf(clients.sqs, url), expected, spec.name);
      assert.equal(await modeOf(clients.sqs, dlqUrl), expected, spec.dlqName);
    }
    assert.equal(
      first.filter((line) => line.startsWith("queue ")),
      [],
    );
    const again: string[] = [];
    const second = await provision(clients, (line) => again.push(line));
    assert.equal(second.queues, provisioned.queues);
    assert.equal(
      again.filter((line) => line.startsWith("queue ")),
      [],
    );
  });
});

test("a queue left in per-queue mode by an older data directory: the start goes on, the log names what it kept", async () => {
  await withEmulators(async (_emulators, clients) => {
    const spec = queues.tailoringJobs;
    await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: spec.name,
        Attributes: { FifoQueue: "true", DeduplicationScope: "queue", FifoThroughputLimit: "perQueue" },
      }),
    );
    const lines: string[] = [];
    const provisioned = await provision(clients, (line) => lines.push(line));
    const kept = lines.filter((line) => line.startsWith(`queue ${spec.name}:`));
    assert.is(kept.length, 1, lines.join("\n"));
    assert.match(kept[0]!, "DeduplicationScope=queue");
    assert.match(kept[0]!, "FifoThroughputLimit=perQueue");
    // The queue is otherwise the topology's: its redrive policy was set.
    const { Attributes = {} } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: provisioned.queues.tailoringJobs.url, AttributeNames: ["All"] }),
    );
    assert.is(JSON.parse(Attributes["RedrivePolicy"] ?? "{}").maxReceiveCount, spec.maxReceiveCount);
    // Its DLQ and the other queues are new, in the topology's mode.
    assert.equal(await modeOf(clients.sqs, provisioned.queues.tailoringJobs.dlqUrl), {
      DeduplicationScope: "messageGroup",
      FifoThroughputLimit: "perMessageGroupId",
    });
  });
});

test.run();
