/**
 * What the synthesised templates promise, checked against the topology: the
 * queue/DLQ/event-source contract, tables, schedule, alarms, API routes,
 * function settings and IAM scoping.
 */

import { CORS } from "@cvpipe/core/contracts/cors";
import {
  api,
  bucketNameEnv,
  type FunctionSpec,
  type QueueSpec,
  queueUrlEnv,
  SETTING,
  type TableSpec,
  tableNameEnv,
  topology,
  VISIBILITY_TIMEOUT_FACTOR,
} from "@cvpipe/core/topology";
import { Template } from "aws-cdk-lib/assertions";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stagedName } from "../src/physical-names.ts";
import { DURATION_ALARM_RATIO, XRAY_ACTIONS } from "../src/pipeline-function.ts";
import { buildTestApp } from "./build-app.ts";
import { asList, byProperty, identityStatements, prop, referencedId, resourcesOf } from "./template-query.ts";

const STAGE = "qa";
const { stateful, service } = buildTestApp({ stage: STAGE });
const svc = Template.fromStack(service);
const data = Template.fromStack(stateful);

const queueSpecs = Object.values(topology.queues) as QueueSpec[];
const functionSpecs = Object.values(topology.functions) as FunctionSpec[];
const tableSpecs = Object.values(topology.tables) as TableSpec[];
const queues = resourcesOf(svc, "AWS::SQS::Queue");
const functions = resourcesOf(svc, "AWS::Lambda::Function");
const alarms = resourcesOf(svc, "AWS::CloudWatch::Alarm");

/** Logical id of the Lambda function built for a topology function. */
const functionId = (id: string): string => {
  const found = Object.keys(functions).filter((logicalId) =>
    logicalId.startsWith(`${id[0]!.toUpperCase()}${id.slice(1)}Function`),
  );
  assert.is(found.length, 1, `one function for ${id}`);
  return found[0]!;
};

test("every main queue is FIFO with a FIFO DLQ and the topology's maxReceiveCount, retention and visibility", () => {
  assert.is(Object.keys(queues).length, queueSpecs.length * 2);
  for (const spec of queueSpecs) {
    const [, main] = byProperty(queues, "QueueName", stagedName(spec.name, STAGE));
    const [dlqId, dlq] = byProperty(queues, "QueueName", stagedName(spec.dlqName, STAGE));
    assert.is(main.Properties?.["FifoQueue"], true);
    assert.is(dlq.Properties?.["FifoQueue"], true);
    const redrive = main.Properties?.["RedrivePolicy"] as { deadLetterTargetArn: unknown; maxReceiveCount: number };
    assert.is(referencedId(redrive.deadLetterTargetArn), dlqId);
    assert.is(redrive.maxReceiveCount, spec.maxReceiveCount);
    assert.is(main.Properties?.["VisibilityTimeout"], spec.visibilityTimeoutSeconds);
    assert.is(main.Properties?.["MessageRetentionPeriod"], spec.retentionSeconds);
    assert.is(dlq.Properties?.["MessageRetentionPeriod"], spec.dlqRetentionSeconds);
    for (const q of [main, dlq]) assert.is(q.Properties?.["SqsManagedSseEnabled"], true);
  }
});

test("every queue denies non-TLS access", () => {
  const policies = Object.values(resourcesOf(svc, "AWS::SQS::QueuePolicy"));
  const guarded = new Set(
    policies
      .filter((p) => JSON.stringify(p.Properties?.["PolicyDocument"]).includes('"aws:SecureTransport":"false"'))
      .flatMap((p) => prop<unknown[]>(p, "Queues").map(referencedId)),
  );
  for (const id of Object.keys(queues)) assert.ok(guarded.has(id), `${id} has an enforceSSL policy`);
});

test("every event source mapping reports batch item failures with the topology's batch size and concurrency", () => {
  const mappings = resourcesOf(svc, "AWS::Lambda::EventSourceMapping");
  assert.is(Object.keys(mappings).length, queueSpecs.length);
  for (const mapping of Object.values(mappings)) {
    assert.equal(mapping.Properties?.["FunctionResponseTypes"], ["ReportBatchItemFailures"]);
  }
  for (const spec of queueSpecs) {
    const [queueId] = byProperty(queues, "QueueName", stagedName(spec.name, STAGE));
    const mapping = Object.values(mappings).find((m) => referencedId(m.Properties?.["EventSourceArn"]) === queueId);
    assert.ok(mapping, `mapping for ${spec.id}`);
    assert.is(referencedId(mapping.Properties?.["FunctionName"]), functionId(spec.worker));
    assert.is(mapping.Properties?.["BatchSize"], spec.batchSize);
    assert.equal(mapping.Properties?.["ScalingConfig"], { MaximumConcurrency: spec.maxConcurrency });
  }
});

test("each queue's visibility timeout is at least 6x its worker's timeout, as synthesised", () => {
  const mappings = Object.values(resourcesOf(svc, "AWS::Lambda::EventSourceMapping"));
  for (const mapping of mappings) {
    const queue = queues[referencedId(mapping.Properties?.["EventSourceArn"])!]!;
    const fn = functions[referencedId(mapping.Properties?.["FunctionName"])!]!;
    const visibility = queue.Properties?.["VisibilityTimeout"] as number;
    const timeout = fn.Properties?.["Timeout"] as number;
    assert.ok(visibility >= VISIBILITY_TIMEOUT_FACTOR * timeout, `${visibility} >= 6 x ${timeout}`);
  }
});

test("tables: names, keys, TTL attribute, GSIs, on-demand, PITR, SSE, retained", () => {
  const tables = resourcesOf(data, "AWS::DynamoDB::Table");
  assert.is(Object.keys(tables).length, tableSpecs.length);
  for (const spec of tableSpecs) {
    const [, table] = byProperty(tables, "TableName", stagedName(spec.name, STAGE));
    const p = table.Properties!;
    if (spec.ttlAttribute)
      assert.equal(p["TimeToLiveSpecification"], { AttributeName: spec.ttlAttribute, Enabled: true });
    else assert.is(p["TimeToLiveSpecification"], undefined);
    const keys = [{ AttributeName: spec.partitionKey.name, KeyType: "HASH" }];
    if (spec.sortKey) keys.push({ AttributeName: spec.sortKey.name, KeyType: "RANGE" });
    assert.equal(p["KeySchema"], keys);
    const gsis = (p["GlobalSecondaryIndexes"] as Array<{ IndexName: string }> | undefined) ?? [];
    assert.equal(
      gsis.map((g) => g.IndexName),
      spec.indexes.map((i) => i.name),
    );
    assert.is(p["BillingMode"], "PAY_PER_REQUEST");
    assert.equal(p["PointInTimeRecoverySpecification"], { PointInTimeRecoveryEnabled: true });
    // The data key's own assertions: encryption.test.ts.
    const sse = p["SSESpecification"] as { SSEEnabled: boolean; SSEType: string; KMSMasterKeyId: unknown };
    assert.equal([sse.SSEEnabled, sse.SSEType], [true, "KMS"]);
    assert.is(p["DeletionProtectionEnabled"], true);
    assert.is(table.DeletionPolicy, "Retain");
    assert.is(table.UpdateReplacePolicy, "Retain");
  }
});

test("payload bucket: SSE, versioning, public access blocked, TLS only, expiry from the topology, retained, logged", () => {
  const buckets = resourcesOf(data, "AWS::S3::Bucket");
  const [id, bucket] = Object.entries(buckets).find(([, b]) =>
    (JSON.stringify(b.Properties?.["BucketName"]) ?? "").includes(stagedName(topology.buckets.payloads.name, STAGE)),
  )!;
  const p = bucket.Properties!;
  assert.equal(p["VersioningConfiguration"], { Status: "Enabled" });
  assert.ok(JSON.stringify(p["BucketEncryption"]).includes('"SSEAlgorithm":"aws:kms"'));
  assert.equal(p["PublicAccessBlockConfiguration"], {
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  });
  const rules = (p["LifecycleConfiguration"] as { Rules: Array<{ ExpirationInDays?: number }> }).Rules;
  assert.ok(rules.some((r) => r.ExpirationInDays === topology.buckets.payloads.expireAfterDays));
  assert.ok(p["LoggingConfiguration"], "server access logs");
  assert.is(bucket.DeletionPolicy, "Retain");
  const tlsOnly = Object.values(resourcesOf(data, "AWS::S3::BucketPolicy")).some(
    (bp) =>
      referencedId(bp.Properties?.["Bucket"]) === id &&
      JSON.stringify(bp.Properties?.["PolicyDocument"]).includes('"aws:SecureTransport":"false"'),
  );
  assert.ok(tlsOnly, "enforceSSL bucket policy");
});

test("each schedule of the topology is one rule running its cron against its function", () => {
  const specs = Object.values(topology.schedules);
  svc.resourceCountIs("AWS::Events::Rule", specs.length);
  const rules = Object.values(resourcesOf(svc, "AWS::Events::Rule"));
  for (const spec of specs) {
    const rule = rules.find((r) => r.Properties?.["ScheduleExpression"] === spec.cron);
    assert.ok(rule, `a rule for ${spec.id}`);
    const targets = rule.Properties?.["Targets"] as Array<{ Arn: unknown }>;
    assert.equal(
      targets.map((t) => referencedId(t.Arn)),
      [functionId(spec.target)],
    );
  }
  assert.is(topology.schedules.weeklyReport.cron, "cron(0 7 ? * MON *)");
});

test("exactly one DLQ-depth alarm per DLQ, firing on any message, notifying the topic", () => {
  const [topicId] = Object.keys(resourcesOf(svc, "AWS::SNS::Topic"));
  for (const spec of queueSpecs) {
    const [dlqId] = byProperty(queues, "QueueName", stagedName(spec.dlqName, STAGE));
    const depth = Object.values(alarms).filter(
      (a) =>
        a.Properties?.["MetricName"] === "ApproximateNumberOfMessagesVisible" &&
        prop<Array<{ Value: unknown }>>(a, "Dimensions").some((d) => referencedId(d.Value) === dlqId),
    );
    assert.is(depth.length, 1, `one depth alarm for ${spec.dlqName}`);
    assert.is(depth[0]!.Properties?.["Threshold"], 0);
    assert.is(depth[0]!.Properties?.["ComparisonOperator"], "GreaterThanThreshold");
    assert.equal(prop<unknown[]>(depth[0]!, "AlarmActions").map(referencedId), [topicId]);
  }
});

test("age-of-oldest-message alarm per main queue at the topology's maxAgeSeconds", () => {
  for (const spec of queueSpecs) {
    const [queueId] = byProperty(queues, "QueueName", stagedName(spec.name, STAGE));
    const age = Object.values(alarms).filter(
      (a) =>
        a.Properties?.["MetricName"] === "ApproximateAgeOfOldestMessage" &&
        prop<Array<{ Value: unknown }>>(a, "Dimensions").some((d) => referencedId(d.Value) === queueId),
    );
    assert.is(age.length, 1);
    assert.is(age[0]!.Properties?.["Threshold"], spec.maxAgeSeconds);
  }
});

test("errors, throttles and duration alarms per function; duration at 80% of the timeout; API 5xx alarm", () => {
  for (const spec of functionSpecs) {
    const id = functionId(spec.id);
    const forFn = (metric: string) =>
      Object.values(alarms).filter(
        (a) =>
          a.Properties?.["MetricName"] === metric &&
          prop<Array<{ Value: unknown }>>(a, "Dimensions").some((d) => referencedId(d.Value) === id),
      );
    assert.is(forFn("Errors").length, 1, `${spec.id} errors`);
    assert.is(forFn("Throttles").length, 1, `${spec.id} throttles`);
    const duration = forFn("Duration");
    assert.is(duration.length, 1);
    assert.is(duration[0]!.Properties?.["Threshold"], spec.timeoutSeconds * 1000 * DURATION_ALARM_RATIO);
  }
  assert.is(Object.values(alarms).filter((a) => a.Properties?.["MetricName"] === "5xx").length, 1);
  for (const alarm of Object.values(alarms)) assert.is(prop<unknown[]>(alarm, "AlarmActions").length, 1);
});

test("functions: Node 24 on arm64, topology timeout and memory, tracing, source maps, Powertools service and namespace, log group with retention", () => {
  assert.is(Object.keys(functions).length, functionSpecs.length);
  const logGroups = resourcesOf(svc, "AWS::Logs::LogGroup");
  for (const spec of functionSpecs) {
    const p = functions[functionId(spec.id)]!.Properties!;
    assert.is(p["Runtime"], "nodejs24.x");
    assert.equal(p["Architectures"], ["arm64"]);
    assert.is(p["Timeout"], spec.timeoutSeconds);
    assert.is(p["MemorySize"], spec.memoryMb);
    assert.equal(p["TracingConfig"], { Mode: "Active" });
    const variables = (p["Environment"] as { Variables: Record<string, unknown> }).Variables;
    assert.is(variables["NODE_OPTIONS"], "--enable-source-maps");
    // Logs and metrics name the stage and the function (the metrics' `service` dimension), in one namespace.
    assert.is(variables["POWERTOOLS_SERVICE_NAME"], `cvpipe-qa-${spec.id}`);
    assert.is(variables["POWERTOOLS_METRICS_NAMESPACE"], "cvpipe");
    const logGroup = logGroups[referencedId((p["LoggingConfig"] as { LogGroup: unknown }).LogGroup)!];
    assert.is(logGroup?.Properties?.["RetentionInDays"], 30);
  }
});

test("function environments hold exactly the topology's resource variables, plus settings", () => {
  for (const spec of functionSpecs) {
    const variables = (
      functions[functionId(spec.id)]!.Properties!["Environment"] as { Variables: Record<string, unknown> }
    ).Variables;
    const needs = topology.functionResources[spec.id];
    const expected = [
      ...needs.queues.map(queueUrlEnv),
      ...needs.tables.map(tableNameEnv),
      ...needs.buckets.map(bucketNameEnv),
    ];
    const resourceVars = Object.keys(variables).filter((k) => /_(QUEUE_URL|TABLE|BUCKET)$/.test(k));
    assert.equal(resourceVars.sort(), [...expected].sort(), spec.id);
    // Everything else is the runtime's and Powertools', or a setting the functions' config parses.
    const settings: readonly string[] = Object.values(SETTING);
    const others = Object.keys(variables).filter(
      (k) => !resourceVars.includes(k) && !k.startsWith("POWERTOOLS_") && k !== "NODE_OPTIONS",
    );
    for (const name of others) assert.ok(settings.includes(name), `${spec.id}: ${name} is a SETTING`);
  }
  const reporter = (
    functions[functionId("reporter")]!.Properties!["Environment"] as { Variables: Record<string, unknown> }
  ).Variables;
  assert.is(reporter[SETTING.reportSender], "cvpipe@example.com");
  assert.is(reporter[SETTING.reportRecipients], "cvpipe-reports@example.com");
  const tailor = (functions[functionId("tailor")]!.Properties!["Environment"] as { Variables: Record<string, unknown> })
    .Variables;
  // The tailor reads maxReceiveCount from the topology itself: no variable repeats it.
  assert.is(tailor["MAX_RECEIVE_COUNT"], undefined);
  assert.type(tailor[SETTING.bedrockModelId], "string");
});

test("HTTP API: every topology route, JWT where required, none elsewhere, access logs on the stage", () => {
  const routes = Object.values(resourcesOf(svc, "AWS::ApiGatewayV2::Route"));
  assert.equal(
    routes.map((r) => r.Properties?.["RouteKey"]).sort(),
    api.routes.map((r) => `${r.method} ${r.path}`).sort(),
  );
  for (const spec of api.routes) {
    const route = routes.find((r) => r.Properties?.["RouteKey"] === `${spec.method} ${spec.path}`)!;
    assert.is(route.Properties?.["AuthorizationType"], spec.auth ? "JWT" : "NONE", `${spec.method} ${spec.path}`);
  }
  svc.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
    AuthorizerType: "JWT",
    JwtConfiguration: { Issuer: "https://auth.example.com/", Audience: ["cvpipe-producers"] },
  });
  const [stage] = Object.values(resourcesOf(svc, "AWS::ApiGatewayV2::Stage"));
  const settings = stage!.Properties?.["AccessLogSettings"] as { DestinationArn: unknown; Format: string };
  assert.ok(settings.DestinationArn);
  assert.ok(JSON.parse(settings.Format).requestId);
});

test('no identity policy statement has "Resource": "*" except the X-Ray allow-list; no wildcard actions', () => {
  const allowList = new Set<string>(XRAY_ACTIONS);
  const statements = identityStatements(svc).concat(identityStatements(data));
  assert.ok(statements.length > 10);
  for (const { owner, statement } of statements) {
    const actions = asList(statement.Action);
    for (const action of actions) assert.not.ok(action.includes("*"), `${owner}: wildcard action ${action}`);
    if (asList(statement.Resource).includes("*")) {
      for (const action of actions) assert.ok(allowList.has(action), `${owner}: ${action} on Resource "*"`);
    }
  }
});

test("Bedrock and SES grants are scoped to the model and the identity", () => {
  const statements = identityStatements(svc).map((s) => s.statement);
  const invoke = statements.filter((s) => asList(s.Action).includes("bedrock:InvokeModel"));
  assert.is(invoke.length, 1);
  assert.ok(JSON.stringify(invoke[0]!.Resource).includes(":foundation-model/anthropic.claude-3-haiku-20240307-v1:0"));
  const send = statements.filter((s) => asList(s.Action).includes("ses:SendEmail"));
  assert.is(send.length, 1);
  const [identityId] = Object.keys(resourcesOf(svc, "AWS::SES::EmailIdentity"));
  assert.ok(JSON.stringify(send[0]!.Resource).includes(identityId!));
});

test("outputs: API URL, queue URLs, table names, bucket, alarm topic", () => {
  const serviceOutputs = Object.keys(svc.findOutputs("*"));
  for (const name of ["ApiUrl", "TailoringJobsQueueUrl", "AnalyticsEventsQueueUrl", "AlarmTopicArn"]) {
    assert.ok(serviceOutputs.includes(name), name);
  }
  const statefulOutputs = Object.keys(data.findOutputs("*"));
  for (const name of [
    "JobsTableName",
    "EventsTableName",
    "AggregatesTableName",
    "ReportsTableName",
    "PayloadsBucketName",
  ]) {
    assert.ok(statefulOutputs.includes(name), name);
  }
});

test("CORS: none unless the deployment names origins; then API Gateway's preflight settings from core's CORS facts", () => {
  const apis = svc.findResources("AWS::ApiGatewayV2::Api");
  assert.equal(
    Object.values(apis).map((a) => (a as { Properties: Record<string, unknown> }).Properties["CorsConfiguration"]),
    [undefined],
  );
  const { service: withCors } = buildTestApp({ corsOrigins: "https://careers.example.com" });
  Template.fromStack(withCors).hasResourceProperties("AWS::ApiGatewayV2::Api", {
    CorsConfiguration: {
      AllowOrigins: ["https://careers.example.com"],
      AllowMethods: [...CORS.allowMethods],
      AllowHeaders: [...CORS.allowHeaders],
      ExposeHeaders: [...CORS.exposeHeaders],
      MaxAge: CORS.maxAgeSeconds,
    },
  });
});

test.run();
