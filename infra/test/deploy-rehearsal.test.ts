/**
 * A deploy rehearsal without an account: both synthesised stacks are created in moto_server's
 * CloudFormation (in dependency order, as `cdk deploy` would), with the CDK bootstrap's version
 * parameter and asset bucket in place, and what CloudFormation created is read back with the SDK
 * and compared with the topology. What moto cannot create is taken out of a copy of the template
 * before create-stack (references to it become stub values), printed, and checked from the template.
 * Skipped, and said so, where moto_server is not installed.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from "@aws-sdk/client-cloudformation";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from "@aws-sdk/client-eventbridge";
import { GetFunctionConfigurationCommand, LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand, ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { queueAlarms, stagedAlarmName } from "@cvpipe/core/queue-alarms";
import { api, type FunctionSpec, type QueueSpec, type TableSpec, topology } from "@cvpipe/core/topology";
import { Match, Template } from "aws-cdk-lib/assertions";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hasMotoServer, type Moto, startMoto } from "../../test/support/moto.ts";
import { stagedName } from "../src/physical-names.ts";
import { buildTestApp, cdkJsonContext } from "./build-app.ts";
import { type CfnResource, type Resources, referencedId } from "./template-query.ts";

/** moto's fixed account; the CDK bootstrap's default qualifier. */
const ACCOUNT = "123456789012";
const QUALIFIER = "hnb659fds";
const BOOTSTRAP_VERSION = "21";

/**
 * Resource types moto 5.2.1's CloudFormation cannot create (not in its model map: it skips them
 * silently, and fails the whole stack with a 500 when an Output or a policy reaches one). The test
 * fails if moto leaves out any other type, so this list cannot hide one; each is checked from the
 * template below instead.
 */
const MOTO_CANNOT_CREATE: Readonly<Record<string, string>> = {
  "AWS::ApiGatewayV2::Api": "the HTTP API: one, with one stage",
  "AWS::ApiGatewayV2::Authorizer": "one, of type JWT",
  "AWS::ApiGatewayV2::Integration": "payload format 2.0",
  "AWS::ApiGatewayV2::Route": "every topology route and no other, JWT where the route needs auth",
  "AWS::ApiGatewayV2::Stage": "one",
  "AWS::CloudWatch::Alarm": "every queue alarm of queue-alarms.ts with its threshold; every alarm notifies the topic",
  "AWS::SQS::QueuePolicy": "one per queue",
  "AWS::SNS::TopicPolicy": "one",
  "AWS::SNS::Subscription": "one (the alarm email)",
  "AWS::SES::EmailIdentity": "one (the report sender)",
  "AWS::S3::BucketPolicy": "one per bucket",
  "AWS::SecretsManager::Secret": "one (the id secret)",
};

/**
 * Changes to what moto can create but mis-handles, each a moto bug: KMS keys with tags fail with
 * KeyError 'TagKey' (moto tags a key from CloudFormation with the Key/Value form its tagger does not read).
 */
const adaptForMoto = (resource: CfnResource): CfnResource => {
  if (resource.Type !== "AWS::KMS::Key") return resource;
  const { Tags: _tags, ...properties } = resource.Properties ?? {};
  return { ...resource, Properties: properties };
};

type Json = unknown;
interface TemplateJson {
  Resources: Resources;
  Outputs?: Record<string, Json>;
  [key: string]: Json;
}

/** A Ref or GetAtt to a removed resource becomes a string in the shape of an ARN that names it. */
const stubFor = (id: string): string => `arn:aws:stub:us-east-1:${ACCOUNT}:not-created-by-moto/${id}`;

/** Another stack's outputs, by stack name then output name, as DescribeStacks gave them. */
type StackOutputs = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * Stubs references to removed resources, and resolves `Fn::GetStackOutput` (how CDK passes the
 * stateful stack's tables, buckets, key and secret to the service stack), which moto does not know,
 * from the outputs moto gave the stack deployed before, as CloudFormation resolves it.
 */
const rewrite = (value: Json, removed: ReadonlySet<string>, outputs: StackOutputs): Json => {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, removed, outputs));
  if (typeof value !== "object" || value === null) return value;
  const target = referencedId(value);
  if (target !== undefined && removed.has(target) && Object.keys(value).length === 1) return stubFor(target);
  const output = (value as { "Fn::GetStackOutput"?: { StackName?: string; OutputName?: string } })[
    "Fn::GetStackOutput"
  ];
  if (output !== undefined && Object.keys(value).length === 1) {
    const resolved = outputs.get(String(output.StackName))?.get(String(output.OutputName));
    if (resolved === undefined) {
      throw new Error(`Fn::GetStackOutput ${output.StackName}.${output.OutputName}: no such output was deployed`);
    }
    return resolved;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, removed, outputs)]));
};

/**
 * The template moto is given: without the types it cannot create, and references to them stubbed
 * (in Outputs too: moto validates each Output's GetAtt against its model map and fails the whole
 * stack with a 500 for a type it lacks).
 */
const forMoto = (
  template: TemplateJson,
  outputs: StackOutputs,
): { body: TemplateJson; removed: Map<string, string> } => {
  const removed = new Map<string, string>();
  for (const [id, r] of Object.entries(template.Resources)) if (r.Type in MOTO_CANNOT_CREATE) removed.set(id, r.Type);
  const ids = new Set(removed.keys());
  const resources: Resources = {};
  for (const [id, r] of Object.entries(template.Resources)) {
    if (ids.has(id)) continue;
    const kept = rewrite(adaptForMoto(r), ids, outputs) as CfnResource & { DependsOn?: string | string[] };
    if (kept.DependsOn !== undefined) {
      const deps = (Array.isArray(kept.DependsOn) ? kept.DependsOn : [kept.DependsOn]).filter((d) => !ids.has(d));
      if (deps.length === 0) delete kept.DependsOn;
      else kept.DependsOn = deps;
    }
    resources[id] = kept;
  }
  const body = { ...template, Resources: resources };
  if (template.Outputs) body.Outputs = rewrite(template.Outputs, ids, outputs) as Record<string, Json>;
  return { body, removed };
};

/** An empty zip archive (its end-of-central-directory record alone): a stand-in for each function's code. */
const EMPTY_ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);

const assetKeys = (template: TemplateJson): string[] => [
  ...new Set([...JSON.stringify(template).matchAll(/"S3Key":"([0-9a-f]{64}\.zip)"/g)].map((m) => m[1]!)),
];

const stage = String(cdkJsonContext()["stage"] ?? "dev");
const { stateful, service } = buildTestApp();
const templates = {
  stateful: Template.fromStack(stateful).toJSON() as TemplateJson,
  service: Template.fromStack(service).toJSON() as TemplateJson,
};
const svc = Template.fromJSON(templates.service);
const data = Template.fromJSON(templates.stateful);

const motoHere = hasMotoServer();
if (!motoHere) console.log("skip: moto_server is not installed (pip install 'moto[server]'): no deploy rehearsal");
const it = motoHere ? test : test.skip;

let moto: Moto | undefined;
/** Each stack's resources as moto's CloudFormation lists them, and what was taken out before create-stack. */
const deployed: Record<string, { resources: StackResourceSummary[]; removed: Map<string, string> }> = {};
const client = <C>(make: new (config: Moto["clientConfig"] & { maxAttempts: number }) => C): C =>
  // One attempt: a 500 from moto is an answer to report, not something to retry into "already exists".
  new make({ ...(moto as Moto).clientConfig, maxAttempts: 1 });

const outputs = new Map<string, Map<string, string>>();

const createStack = async (name: string, template: TemplateJson): Promise<void> => {
  const cfn = client(CloudFormationClient);
  const { body, removed } = forMoto(template, outputs);
  await cfn.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: JSON.stringify(body),
      Capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    }),
  );
  // moto creates a stack's resources within the call; the loop is bounded for a moto that does not.
  for (let i = 0; i < 100; i++) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
    if (stack?.StackStatus === "CREATE_COMPLETE") {
      outputs.set(name, new Map((stack.Outputs ?? []).map((o) => [String(o.OutputKey), String(o.OutputValue)])));
      break;
    }
    if (!stack?.StackStatus?.endsWith("_IN_PROGRESS")) {
      const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents ?? [];
      const failed = events.filter((e) => e.ResourceStatus?.endsWith("FAILED"));
      assert.unreachable(
        `${name}: ${stack?.StackStatus} ${stack?.StackStatusReason ?? ""}; failed: ${failed.map((e) => `${e.LogicalResourceId} (${e.ResourceType}): ${e.ResourceStatusReason}`).join("; ")}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const resources = (await cfn.send(new ListStackResourcesCommand({ StackName: name }))).StackResourceSummaries ?? [];
  deployed[name] = { resources, removed };
};

test.before(async () => {
  if (!motoHere) return;
  moto = await startMoto();
  // What `cdk bootstrap` leaves in an account, as far as the templates use it: the version parameter
  // their BootstrapVersion parameter reads, and the asset bucket their functions' code is in.
  await client(SSMClient).send(
    new PutParameterCommand({ Name: `/cdk-bootstrap/${QUALIFIER}/version`, Value: BOOTSTRAP_VERSION, Type: "String" }),
  );
  const s3 = new S3Client({ ...moto.clientConfig, forcePathStyle: true, maxAttempts: 1 });
  const bucket = `cdk-${QUALIFIER}-assets-${ACCOUNT}-${moto.clientConfig.region}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const key of [...assetKeys(templates.stateful), ...assetKeys(templates.service)]) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: EMPTY_ZIP }));
  }
});
test.after(async () => moto?.close());

it("both stacks reach CREATE_COMPLETE in dependency order; moto creates every resource of a type it supports", async () => {
  // The service stack uses the stateful one's tables, buckets, key and secret: it is deployed second.
  assert.ok(service.dependencies.includes(stateful), "the service stack depends on the stateful one");
  const order = [
    [stateful.stackName, templates.stateful],
    [service.stackName, templates.service],
  ] as const;
  const notCreated: string[] = [];
  for (const [name, template] of order) {
    await createStack(name, template);
    const { resources, removed } = deployed[name]!;
    const created = new Map(resources.map((r) => [r.LogicalResourceId, r]));
    for (const [id, r] of Object.entries(template.Resources)) {
      if (removed.has(id)) continue;
      const got = created.get(id);
      assert.ok(
        got?.ResourceType === r.Type && got.ResourceStatus === "CREATE_COMPLETE",
        `${name}: ${id} (${r.Type}) not created by moto (${got?.ResourceStatus ?? "absent"}, type "${got?.ResourceType ?? ""}"): add ${r.Type} to MOTO_CANNOT_CREATE and check it from the template`,
      );
    }
    const byType = new Map<string, number>();
    for (const type of removed.values()) byType.set(type, (byType.get(type) ?? 0) + 1);
    const createdCount = Object.keys(template.Resources).length - removed.size;
    console.log(
      `${name}: CREATE_COMPLETE, ${createdCount} of ${Object.keys(template.Resources).length} resources created by moto`,
    );
    for (const [type, n] of byType) {
      notCreated.push(`  ${name}: ${n} × ${type}; from the template: ${MOTO_CANNOT_CREATE[type]}`);
    }
  }
  console.log(`not created by moto (checked from the template):\n${notCreated.join("\n")}`);
});

it("queues: FIFO, high throughput, redrive to their DLQ after the topology's maxReceiveCount", async () => {
  const sqs = client(SQSClient);
  const attributesOf = async (name: string) => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: stagedName(name, stage) }));
    return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes ?? {};
  };
  for (const spec of Object.values(topology.queues) as QueueSpec[]) {
    const queue = await attributesOf(spec.name);
    const dlq = await attributesOf(spec.dlqName);
    for (const [what, attrs] of [
      [spec.name, queue],
      [spec.dlqName, dlq],
    ] as const) {
      assert.is(attrs["FifoQueue"], "true", `${what}: FifoQueue`);
      assert.is(attrs["DeduplicationScope"], spec.fifoThroughput.deduplicationScope, `${what}: DeduplicationScope`);
      assert.is(attrs["FifoThroughputLimit"], spec.fifoThroughput.fifoThroughputLimit, `${what}: FifoThroughputLimit`);
    }
    assert.equal(
      JSON.parse(queue["RedrivePolicy"] ?? "{}"),
      { deadLetterTargetArn: dlq["QueueArn"], maxReceiveCount: spec.maxReceiveCount },
      `${spec.name}: RedrivePolicy`,
    );
    assert.is(Number(queue["VisibilityTimeout"]), spec.visibilityTimeoutSeconds, `${spec.name}: VisibilityTimeout`);
    assert.is(Number(queue["MessageRetentionPeriod"]), spec.retentionSeconds, `${spec.name}: retention`);
    assert.is(Number(dlq["MessageRetentionPeriod"]), spec.dlqRetentionSeconds, `${spec.dlqName}: retention`);
  }
});

it("tables: ACTIVE, the topology's keys and GSIs, TTL on its attribute", async () => {
  const db = client(DynamoDBClient);
  const ttlFromTemplate: string[] = [];
  for (const spec of Object.values(topology.tables) as TableSpec[]) {
    const name = stagedName(spec.name, stage);
    const table = (await db.send(new DescribeTableCommand({ TableName: name }))).Table;
    assert.is(table?.TableStatus, "ACTIVE", name);
    assert.equal(
      table?.KeySchema?.map((k) => k.AttributeName),
      [spec.partitionKey.name, ...(spec.sortKey ? [spec.sortKey.name] : [])],
      `${name}: key`,
    );
    assert.equal(
      (table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.KeySchema?.map((k) => k.AttributeName)]),
      spec.indexes.map((i) => [i.name, [i.partitionKey.name, i.sortKey.name]]),
      `${name}: GSIs`,
    );
    // moto 5.2.1 creates the table but ignores its TimeToLiveSpecification (DescribeTimeToLive: DISABLED):
    // TTL is read from moto where it is on, and always from the template.
    const ttl = (await db.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
    if (ttl?.TimeToLiveStatus === "ENABLED") assert.is(ttl.AttributeName, spec.ttlAttribute, `${name}: TTL attribute`);
    else if (spec.ttlAttribute) ttlFromTemplate.push(name);
    data.hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: name,
      ...(spec.ttlAttribute
        ? { TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true } }
        : { TimeToLiveSpecification: Match.absent() }),
    });
  }
  if (ttlFromTemplate.length > 0)
    console.log(`moto ignored TimeToLiveSpecification on ${ttlFromTemplate.join(", ")}: TTL checked from the template`);
});

it("functions: the topology's timeout and memory, active tracing, log groups with retention", async () => {
  const lambda = client(LambdaClient);
  const listed = (await lambda.send(new ListFunctionsCommand({}))).Functions ?? [];
  const logs = client(CloudWatchLogsClient);
  const groups = (await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? [];
  const tracingFromTemplate: string[] = [];
  for (const spec of Object.values(topology.functions) as FunctionSpec[]) {
    const fn = listed.find((f) => f.Description === spec.description);
    assert.ok(fn?.FunctionName, `${spec.id}: no function with its description`);
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.FunctionName }));
    assert.is(config.Timeout, spec.timeoutSeconds, `${spec.id}: timeout`);
    assert.is(config.MemorySize, spec.memoryMb, `${spec.id}: memory`);
    // moto 5.2.1 ignores TracingConfig (PassThrough): active tracing is read from the template.
    svc.hasResourceProperties("AWS::Lambda::Function", {
      Description: spec.description,
      TracingConfig: { Mode: "Active" },
    });
    if (config.TracingConfig?.Mode !== "Active") tracingFromTemplate.push(spec.id);
    // moto ignores LoggingConfig too: the function's log group is the one its template names, looked
    // up in moto by the physical name CloudFormation gave it.
    const [fnId] = Object.keys(
      svc.findResources("AWS::Lambda::Function", { Properties: { Description: spec.description } }),
    );
    const logGroupId = referencedId(
      (templates.service.Resources[fnId!]?.Properties?.["LoggingConfig"] as { LogGroup?: unknown } | undefined)
        ?.LogGroup,
    );
    const physical = deployed[service.stackName]?.resources.find((r) => r.LogicalResourceId === logGroupId);
    assert.ok(physical?.PhysicalResourceId, `${spec.id}: its own log group (${logGroupId}) created`);
    const found = groups.find((g) => g.logGroupName === physical.PhysicalResourceId);
    assert.ok(
      found?.retentionInDays !== undefined && found.retentionInDays > 0,
      `${spec.id}: ${found?.logGroupName} retention`,
    );
  }
  if (tracingFromTemplate.length > 0)
    console.log(
      `moto ignored TracingConfig on ${tracingFromTemplate.join(", ")}: active tracing checked from the template`,
    );
});

it("schedules: one EventBridge rule per topology schedule, its cron, targeting its function", async () => {
  const events = client(EventBridgeClient);
  const rules = (await events.send(new ListRulesCommand({}))).Rules ?? [];
  const listed = (await client(LambdaClient).send(new ListFunctionsCommand({}))).Functions ?? [];
  for (const spec of Object.values(topology.schedules)) {
    const rule = rules.find((r) => r.ScheduleExpression === spec.cron && r.Description === spec.description);
    assert.ok(rule?.Name, `${spec.id}: no rule with ${spec.cron}`);
    assert.is(rule.State, "ENABLED", `${spec.id}: state`);
    const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name }))).Targets ?? [];
    const fn = listed.find((f) => f.Description === topology.functions[spec.target].description);
    assert.equal(
      targets.map((t) => t.Arn),
      [fn?.FunctionArn],
      `${spec.id}: targets ${spec.target}`,
    );
  }
});

it("the alarm topic exists; the alarms (not created by moto) are in the template, every one to the topic", async () => {
  const sns = client(SNSClient);
  const topics = (await sns.send(new ListTopicsCommand({}))).Topics ?? [];
  const named = [];
  for (const t of topics) {
    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn: t.TopicArn }))).Attributes ?? {};
    if (attrs["DisplayName"] === `cvpipe ${stage} alarms`) named.push(t.TopicArn);
  }
  assert.is(named.length, 1, "one alarm topic");
  const [topicId] = Object.keys(svc.findResources("AWS::SNS::Topic"));
  const alarms = Object.values(svc.findResources("AWS::CloudWatch::Alarm")) as CfnResource[];
  const byName = new Map(alarms.map((a) => [a.Properties?.["AlarmName"], a.Properties ?? {}]));
  for (const spec of Object.values(topology.queues)) {
    for (const alarm of queueAlarms(spec)) {
      const found = byName.get(stagedAlarmName(alarm.name, stage));
      assert.ok(found, `${alarm.name}: in the template`);
      assert.is(found["Threshold"], alarm.threshold, `${alarm.name}: threshold`);
      assert.is(found["EvaluationPeriods"], alarm.evaluationPeriods, `${alarm.name}: periods`);
      assert.is(found["TreatMissingData"], alarm.treatMissingData, `${alarm.name}: missing data`);
    }
  }
  for (const [name, props] of byName) {
    const actions = (props["AlarmActions"] ?? []) as unknown[];
    assert.ok(
      actions.some((a) => referencedId(a) === topicId),
      `${String(name)}: notifies the alarm topic`,
    );
  }
});

it("the HTTP API (not created by moto) has every topology route in the template, JWT where the route needs it", () => {
  const routes = Object.values(svc.findResources("AWS::ApiGatewayV2::Route")) as CfnResource[];
  const keys = new Map(routes.map((r) => [r.Properties?.["RouteKey"], r.Properties ?? {}]));
  for (const route of api.routes) {
    const found = keys.get(`${route.method} ${route.path}`);
    assert.ok(found, `${route.method} ${route.path}: a route`);
    assert.is(found["AuthorizationType"], route.auth ? "JWT" : "NONE", `${route.method} ${route.path}: auth`);
  }
  assert.is(routes.length, api.routes.length, "no route the topology does not declare");
  svc.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 1);
  svc.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", { AuthorizerType: "JWT" });
  svc.hasResourceProperties("AWS::ApiGatewayV2::Integration", { PayloadFormatVersion: "2.0" });
  svc.resourceCountIs("AWS::ApiGatewayV2::Stage", 1);
  svc.resourceCountIs("AWS::SES::EmailIdentity", 1);
  svc.resourceCountIs("AWS::SNS::Subscription", 1);
  svc.resourceCountIs("AWS::SNS::TopicPolicy", 1);
  data.resourceCountIs("AWS::SecretsManager::Secret", 1);
  data.resourceCountIs("AWS::S3::BucketPolicy", Object.keys(data.findResources("AWS::S3::Bucket")).length);
  svc.resourceCountIs("AWS::SQS::QueuePolicy", Object.keys(svc.findResources("AWS::SQS::Queue")).length);
});

test.run();
