import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { createSqsClient } from "@cvpipe/aws/clients";
import { queues } from "@cvpipe/core/topology";
import { resolveTarget } from "../stack-info.ts";

export const queuesHelp = `cvpipe queues
  Depth of every queue and DLQ: visible, in flight and delayed messages.`;

const ATTRS = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
] as const;

export const queuesCommand = async (_args: string[]): Promise<void> => {
  const target = await resolveTarget();
  const sqs = createSqsClient();
  const rows: string[][] = [["queue", "visible", "in flight", "delayed"]];
  for (const spec of Object.values(queues)) {
    const q = target.queues[spec.id];
    for (const QueueUrl of [q.url, q.dlqUrl]) {
      const name = QueueUrl.split("/").pop() ?? QueueUrl;
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [...ATTRS] }),
      );
      rows.push([name, ...ATTRS.map((a) => Attributes[a] ?? "?")]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  const dlqDepth = rows.filter((r) => r[0]!.includes("-dlq")).reduce((n, r) => n + Number(r[1]), 0);
  if (dlqDepth > 0) console.log(`\n${dlqDepth} message(s) in dead-letter queues: see "cvpipe dlq peek" and RUNBOOK.md`);
};
