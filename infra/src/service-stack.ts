/**
 * The stateless half: functions, FIFO workers, HTTP API, weekly schedule,
 * SES identity, alarms and dashboard. Every resource is generated from the
 * topology; the stateful resources arrive as props.
 */
import {
  bucketNameEnv,
  type FunctionId,
  type FunctionSpec,
  type QueueSpec,
  queueUrlEnv,
  SETTING,
  type TableId,
  tableNameEnv,
  topology,
} from "@cvpipe/core/topology";
import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as ses from "aws-cdk-lib/aws-ses";
import type { Construct } from "constructs";
import { AlarmTopic } from "./alarms.ts";
import { grantInvokeModel } from "./bedrock-access.ts";
import type { Config } from "./config.ts";
import { OperationsDashboard } from "./dashboard.ts";
import { grantObjects, grantTable } from "./data-access.ts";
import { grantObjectKey, grantTableKey } from "./data-key.ts";
import { FifoWorker } from "./fifo-worker.ts";
import { functionSettings } from "./function-settings.ts";
import { IngressApi } from "./ingress-api.ts";
import { outputId } from "./outputs.ts";
import { stagedBucketName, stagedName } from "./physical-names.ts";
import { PipelineFunction } from "./pipeline-function.ts";
import type { PayloadBucketId } from "./stateful-stack.ts";

export interface ServiceStackProps extends StackProps {
  readonly config: Config;
  readonly tables: Record<TableId, dynamodb.Table>;
  readonly buckets: Record<PayloadBucketId, s3.Bucket>;
  /** The data key of those tables and buckets (stateful stack). */
  readonly dataKey: kms.IKey;
  /** The ingress's id secret (stateful stack). */
  readonly idSecret: secretsmanager.ISecret;
}

/** Tables a function only reads; every other table in its `functionResources` entry is read-write. */
const READ_ONLY_TABLES: Partial<Record<FunctionId, readonly TableId[]>> = {
  reporter: ["aggregates"],
  // The suppression records of deleted users: read before a job or an event is done.
  tailor: ["deletions"],
  analytics: ["deletions"],
};

export class ServiceStack extends Stack {
  readonly functions: Record<FunctionId, PipelineFunction>;
  readonly workers: FifoWorker[];
  readonly api: IngressApi;
  readonly alarms: AlarmTopic;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, tables, buckets, dataKey, idSecret } = props;

    this.alarms = new AlarmTopic(this, "Alarms", { stage: config.stage, email: config.alarmEmail });

    const specs = Object.values(topology.functions) as FunctionSpec[];
    this.functions = Object.fromEntries(
      specs.map((spec) => [
        spec.id,
        new PipelineFunction(this, outputId(spec.id, "Function"), { spec, config, alarms: this.alarms }),
      ]),
    ) as Record<FunctionId, PipelineFunction>;

    const queueSpecs = Object.values(topology.queues) as QueueSpec[];
    this.workers = queueSpecs.map(
      (spec) =>
        new FifoWorker(this, outputId(spec.id, "Worker"), {
          spec,
          stage: config.stage,
          worker: this.functions[spec.worker].fn,
          workerSpec: topology.functions[spec.worker],
          alarms: this.alarms,
        }),
    );
    const queueById = new Map(this.workers.map((w) => [w.spec.id, w.queue]));

    // Environment and grants, both from functionResources: a variable is never set without its grant.
    // The data key's too: through DynamoDB for a function's tables, through S3 for its buckets' objects.
    for (const spec of specs) {
      const { fn, role } = this.functions[spec.id];
      const needs = topology.functionResources[spec.id];
      for (const queueId of needs.queues) {
        const queue = queueById.get(queueId)!;
        fn.addEnvironment(queueUrlEnv(queueId), queue.queueUrl);
        queue.grantSendMessages(role);
      }
      const keyTables: Array<{ name: string; access: "read" | "readWrite" }> = [];
      for (const tableId of needs.tables) {
        const table = tables[tableId];
        fn.addEnvironment(tableNameEnv(tableId), table.tableName);
        const access = READ_ONLY_TABLES[spec.id]?.includes(tableId) ? "read" : "readWrite";
        grantTable(role, table, topology.tables[tableId].indexes, access);
        keyTables.push({ name: stagedName(topology.tables[tableId].name, config.stage), access });
      }
      grantTableKey(role, dataKey, keyTables);
      for (const bucketId of needs.buckets) {
        const bucket = buckets[bucketId];
        fn.addEnvironment(bucketNameEnv(bucketId), bucket.bucketName);
        grantObjects(role, stagedBucketName(topology.buckets[bucketId].name, config.stage));
      }
      if (needs.buckets.length > 0) {
        // Objects are written SSE-KMS under their tenant's encryption context; presigned GETs decrypt as this role.
        fn.addEnvironment(SETTING.dataKeyArn, dataKey.keyArn);
        grantObjectKey(role, dataKey);
      }
      for (const [name, value] of Object.entries(functionSettings(spec.id, config))) {
        if (value !== undefined) fn.addEnvironment(name, value);
      }
    }

    // The ingress alone keys derived ids and cursors; it reads the secret once per cold start.
    this.functions.ingress.fn.addEnvironment(SETTING.idSecretArn, idSecret.secretArn);
    idSecret.grantRead(this.functions.ingress.role);

    grantInvokeModel(this.functions.tailor.role, config.bedrockModelId, config.bedrockGuardrailArn, this);
    // The openai engine's key, when it has one: readable by the tailor alone (a secret under a customer managed
    // key needs kms:Decrypt on that key too, granted where the key lives).
    if (config.openai?.apiKeySecretArn) {
      secretsmanager.Secret.fromSecretCompleteArn(this, "OpenAiApiKey", config.openai.apiKeySecretArn).grantRead(
        this.functions.tailor.role,
      );
    }

    const identity = new ses.EmailIdentity(this, "ReportSenderIdentity", {
      identity: config.sesIdentity.includes("@")
        ? ses.Identity.email(config.sesIdentity)
        : ses.Identity.domain(config.sesIdentity),
    });
    this.functions.reporter.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["ses:SendEmail"], resources: [identity.emailIdentityArn] }),
    );

    for (const schedule of Object.values(topology.schedules)) {
      new events.Rule(this, outputId(schedule.id, "Schedule"), {
        description: schedule.description,
        schedule: events.Schedule.expression(schedule.cron),
        // The reporter claims the week before sending, so a retried delivery never sends twice.
        targets: [
          new targets.LambdaFunction(this.functions[schedule.target].fn, {
            retryAttempts: 4,
            maxEventAge: Duration.hours(2),
          }),
        ],
      });
    }

    this.api = new IngressApi(this, "Ingress", {
      config,
      alarms: this.alarms,
      functions: Object.fromEntries(specs.map((s) => [s.id, this.functions[s.id].fn])) as Record<
        FunctionId,
        PipelineFunction["fn"]
      >,
    });

    new OperationsDashboard(this, "Operations", {
      stage: config.stage,
      workers: this.workers,
      functions: specs.map((s) => this.functions[s.id]),
      tables,
      api: this.api,
    });

    new CfnOutput(this, "ApiUrl", { value: this.api.url, description: "HTTP API base URL (routes under /v1)" });
    for (const worker of this.workers) {
      new CfnOutput(this, outputId(worker.spec.id, "QueueUrl"), {
        value: worker.queue.queueUrl,
        description: `${queueUrlEnv(worker.spec.id)} (${worker.spec.name})`,
      });
      new CfnOutput(this, outputId(worker.spec.id, "DlqUrl"), {
        value: worker.dlq.queueUrl,
        description: `Dead-letter queue of ${worker.spec.name}`,
      });
    }
    new CfnOutput(this, "AlarmTopicArn", { value: this.alarms.topic.topicArn, description: "SNS topic of all alarms" });
  }
}
