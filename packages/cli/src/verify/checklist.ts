/**
 * `cvpipe verify`'s checks as data: each has an id, a title and a run that answers pass, fail or
 * skip with a detail, and for a failure what to do. The expected values come from the topology.
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { createDynamoDbClient, createSqsClient } from "@cvpipe/aws/clients";
import { type QueueSpec, queueNameOf, queues, type TableSpec, tables } from "@cvpipe/core/topology";
import type { Target } from "../stack-info.ts";

export type CheckStatus = "pass" | "fail" | "skip";

export interface CheckResult {
  readonly status: CheckStatus;
  readonly detail: string;
  /** For a failure: what to do about it. */
  readonly todo?: string;
}

export interface Check {
  readonly id: string;
  readonly title: string;
  run(): Promise<CheckResult>;
}

export interface CheckOutcome extends CheckResult {
  readonly id: string;
  readonly title: string;
}

export const pass = (detail: string): CheckResult => ({ status: "pass", detail });
export const skip = (detail: string): CheckResult => ({ status: "skip", detail });
export const fail = (detail: string, todo: string): CheckResult => ({ status: "fail", detail, todo });

/** Runs every check in order; a check that throws fails with the error, never stops the list. */
export const runChecks = async (checks: readonly Check[]): Promise<CheckOutcome[]> => {
  const out: CheckOutcome[] = [];
  for (const check of checks) {
    let result: CheckResult;
    try {
      result = await check.run();
    } catch (error) {
      const e = error as Error;
      result = fail(`${e.name}: ${e.message}`, "see the error; is the target reachable with these credentials?");
    }
    out.push({ id: check.id, title: check.title, ...result });
  }
  return out;
};

/** Queues: FIFO, redrive policy to their DLQ with the topology's maxReceiveCount, visibility timeout. */
export const queueChecks = (target: Target): Check[] =>
  (Object.values(queues) as QueueSpec[]).map((spec) => {
    const q = target.queues[spec.id];
    // The target's own names: a stage's are staged.
    const [name, dlqName] = [queueNameOf(q.url), queueNameOf(q.dlqUrl)];
    return {
      id: `queue:${spec.id}`,
      title: `queue ${name}: FIFO, redrive to ${dlqName} after ${spec.maxReceiveCount} receives`,
      async run() {
        const { Attributes: a = {} } = await createSqsClient().send(
          new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ["All"] }),
        );
        const problems: string[] = [];
        if (a["FifoQueue"] !== "true") problems.push(`FifoQueue is ${a["FifoQueue"] ?? "absent"}`);
        let redrive: { deadLetterTargetArn?: string; maxReceiveCount?: number | string } = {};
        try {
          redrive = JSON.parse(a["RedrivePolicy"] || "{}");
        } catch {
          problems.push(`RedrivePolicy is not JSON: ${a["RedrivePolicy"]}`);
        }
        if (redrive.deadLetterTargetArn !== q.dlqArn)
          problems.push(`redrive target is ${redrive.deadLetterTargetArn ?? "none"}, not ${q.dlqArn}`);
        if (Number(redrive.maxReceiveCount) !== spec.maxReceiveCount)
          problems.push(`maxReceiveCount is ${redrive.maxReceiveCount ?? "none"}, not ${spec.maxReceiveCount}`);
        if (problems.length > 0) {
          return fail(
            problems.join("; "),
            target.name === "local"
              ? `restart the stack ("pnpm start") to provision the queue from the topology, or set RedrivePolicy {"deadLetterTargetArn":"${q.dlqArn}","maxReceiveCount":${spec.maxReceiveCount}}`
              : "redeploy the service stack (cdk deploy); a queue changed by hand drifts from the template",
          );
        }
        return pass(
          `redrive to ${dlqName}, maxReceiveCount ${spec.maxReceiveCount}, visibility ${a["VisibilityTimeout"]} s`,
        );
      },
    };
  });

const isMissingApi = (error: unknown): boolean =>
  error instanceof Error &&
  /UnknownOperation|NotImplemented|UnrecognizedClient|InvalidAction/i.test(`${error.name} ${error.message}`);

/** Tables: ACTIVE with the topology's GSIs ACTIVE, and TTL on its attribute where the topology sets one. */
export const tableChecks = (target: Target, ttlUnavailable?: string): Check[] =>
  (Object.values(tables) as TableSpec[]).flatMap((spec): Check[] => {
    const name = target.tables[spec.id];
    const todo =
      target.name === "local"
        ? `restart the stack ("pnpm start"): it creates missing tables from the topology`
        : "deploy the stateful stack (cdk deploy), or wait for the table or index to become ACTIVE";
    const table: Check = {
      id: `table:${spec.id}`,
      title: `table ${name}: ACTIVE${spec.indexes.length ? `, GSIs ${spec.indexes.map((i) => i.name).join(", ")} ACTIVE` : ""}`,
      async run() {
        const t = (await createDynamoDbClient().send(new DescribeTableCommand({ TableName: name }))).Table;
        const problems: string[] = [];
        if (t?.TableStatus !== "ACTIVE") problems.push(`status ${t?.TableStatus}`);
        for (const index of spec.indexes) {
          const got = t?.GlobalSecondaryIndexes?.find((g) => g.IndexName === index.name);
          if (!got) problems.push(`GSI ${index.name} missing`);
          else if (got.IndexStatus !== undefined && got.IndexStatus !== "ACTIVE")
            problems.push(`GSI ${index.name} ${got.IndexStatus}`);
        }
        return problems.length > 0 ? fail(problems.join("; "), todo) : pass(`ACTIVE, ${spec.indexes.length} GSI(s)`);
      },
    };
    if (!spec.ttlAttribute) return [table];
    const attribute = spec.ttlAttribute;
    const ttl: Check = {
      id: `ttl:${spec.id}`,
      title: `table ${name}: TTL on "${attribute}"`,
      async run() {
        let d: { TimeToLiveStatus?: string | undefined; AttributeName?: string | undefined } | undefined;
        try {
          d = (await createDynamoDbClient().send(new DescribeTimeToLiveCommand({ TableName: name })))
            .TimeToLiveDescription;
        } catch (error) {
          if (target.name === "local" && isMissingApi(error)) {
            return skip(
              `this DynamoDB emulator has no TTL API (${(error as Error).name}): the stack's hourly housekeeping deletes expired items and every read filters on "${attribute}"`,
            );
          }
          throw error;
        }
        if (d?.TimeToLiveStatus === "ENABLED" && d.AttributeName === attribute)
          return pass(`ENABLED on "${attribute}"`);
        if (ttlUnavailable) return skip(`TTL ${d?.TimeToLiveStatus ?? "unknown"}: ${ttlUnavailable}`);
        return fail(
          `TTL ${d?.TimeToLiveStatus ?? "unknown"}${d?.AttributeName ? ` on "${d.AttributeName}"` : ""}`,
          target.name === "local"
            ? `aws dynamodb update-time-to-live --table-name ${name} --time-to-live-specification Enabled=true,AttributeName=${attribute} (at the stack's DynamoDB endpoint), or start on a fresh data directory`
            : "redeploy the stateful stack (cdk deploy): its template sets the TTL; expired items are otherwise kept forever",
        );
      },
    };
    return [table, ttl];
  });
