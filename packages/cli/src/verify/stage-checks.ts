/**
 * A deployed stage's checks: each function's Lambda configuration, the HTTP API's routes, each
 * function's log group retention and the stage's alarms, with the usual AWS credentials and region.
 * Functions are found by the service stack's name prefix and the topology's description (CDK names them).
 */
import { ApiGatewayV2Client, GetApisCommand, GetRoutesCommand } from "@aws-sdk/client-apigatewayv2";
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { queueAlarms, stagedAlarmName, stagedAlarmPrefix } from "@cvpipe/core/queue-alarms";
import { api, type FunctionSpec, functions, queues, stagedApiName, stageFunctionPrefix } from "@cvpipe/core/topology";
import { listStageFunctions, logGroupOf } from "../stage-functions.ts";
import { type Check, fail, pass } from "./checklist.ts";

const redeploy =
  "redeploy the service stack (cdk deploy, RUNBOOK.md); a setting changed by hand drifts from the template";

export const stageChecks = (stage: string): Check[] => {
  const prefix = stageFunctionPrefix(stage);
  let listed: Promise<FunctionConfiguration[]> | undefined;
  const allFunctions = (): Promise<FunctionConfiguration[]> => {
    listed ??= listStageFunctions(stage);
    return listed;
  };
  const findFunction = async (spec: FunctionSpec) =>
    (await allFunctions()).find((f) => f.Description === spec.description);

  const fnChecks = (Object.values(functions) as FunctionSpec[]).flatMap((spec): Check[] => [
    {
      id: `function:${spec.id}`,
      title: `function ${spec.id}: timeout ${spec.timeoutSeconds} s, memory ${spec.memoryMb} MB, active tracing`,
      async run() {
        const f = await findFunction(spec);
        if (!f) return fail(`no function ${prefix}* described "${spec.description}"`, redeploy);
        const problems: string[] = [];
        if (f.Timeout !== spec.timeoutSeconds) problems.push(`timeout ${f.Timeout} s`);
        if (f.MemorySize !== spec.memoryMb) problems.push(`memory ${f.MemorySize} MB`);
        if (f.TracingConfig?.Mode !== "Active") problems.push(`tracing ${f.TracingConfig?.Mode ?? "off"}`);
        return problems.length > 0
          ? fail(`${f.FunctionName}: ${problems.join(", ")}`, redeploy)
          : pass(`${f.FunctionName}`);
      },
    },
    {
      id: `logs:${spec.id}`,
      title: `function ${spec.id}: its log group has a retention`,
      async run() {
        const f = await findFunction(spec);
        const group = logGroupOf(f);
        if (!group) return fail(`no function described "${spec.description}"`, redeploy);
        const { logGroups = [] } = await new CloudWatchLogsClient({}).send(
          new DescribeLogGroupsCommand({ logGroupNamePrefix: group }),
        );
        const found = logGroups.find((g) => g.logGroupName === group);
        if (!found) return fail(`log group ${group} missing`, redeploy);
        return found.retentionInDays
          ? pass(`${group}: ${found.retentionInDays} days`)
          : fail(`${group}: never expires`, `${redeploy} (logRetentionDays in cdk.json)`);
      },
    },
  ]);

  const routes: Check = {
    id: "api:routes",
    title: `API ${stagedApiName(stage)}: every topology route (${api.routes.length}), JWT where the route needs auth`,
    async run() {
      const client = new ApiGatewayV2Client({});
      const apis = (await client.send(new GetApisCommand({}))).Items ?? [];
      const found = apis.find((a) => a.Name === stagedApiName(stage));
      if (!found?.ApiId) return fail(`no HTTP API named ${stagedApiName(stage)}`, redeploy);
      const items = (await client.send(new GetRoutesCommand({ ApiId: found.ApiId, MaxResults: "500" }))).Items ?? [];
      const byKey = new Map(items.map((r) => [r.RouteKey, r]));
      const problems = api.routes.flatMap((r) => {
        const got = byKey.get(`${r.method} ${r.path}`);
        if (!got) return [`${r.method} ${r.path} missing`];
        if ((got.AuthorizationType === "JWT") !== r.auth)
          return [`${r.method} ${r.path} auth ${got.AuthorizationType}`];
        return [];
      });
      return problems.length > 0
        ? fail(problems.join("; "), redeploy)
        : pass(`${api.routes.length} routes on ${found.ApiEndpoint}`);
    },
  };

  let alarms: Promise<MetricAlarm[]> | undefined;
  const stageAlarms = (): Promise<MetricAlarm[]> => {
    alarms ??= (async () => {
      const out: MetricAlarm[] = [];
      let NextToken: string | undefined;
      do {
        const page = await new CloudWatchClient({}).send(
          new DescribeAlarmsCommand({ AlarmNamePrefix: stagedAlarmPrefix(stage), NextToken }),
        );
        out.push(...(page.MetricAlarms ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    })();
    return alarms;
  };
  const queueAlarmChecks = Object.values(queues).flatMap((spec) =>
    queueAlarms(spec).map(
      (alarm): Check => ({
        id: `alarm:${alarm.name}`,
        title: `alarm ${stagedAlarmName(alarm.name, stage)}: present, threshold ${alarm.threshold}, OK`,
        async run() {
          const a = (await stageAlarms()).find((x) => x.AlarmName === stagedAlarmName(alarm.name, stage));
          if (!a) return fail("missing", redeploy);
          if (a.Threshold !== alarm.threshold) return fail(`threshold ${a.Threshold}`, redeploy);
          return a.StateValue === "OK"
            ? pass("OK")
            : fail(`${a.StateValue}: ${a.StateReason ?? ""}`, `see "cvpipe queues" and RUNBOOK.md (alarms)`);
        },
      }),
    ),
  );
  const otherAlarms: Check = {
    id: "alarm:others",
    title: `every other ${stagedAlarmPrefix(stage)}* alarm (functions, API, reporter) OK`,
    async run() {
      const queueNames = new Set(
        Object.values(queues).flatMap((q) => queueAlarms(q).map((a) => stagedAlarmName(a.name, stage))),
      );
      const rest = (await stageAlarms()).filter((a) => !queueNames.has(a.AlarmName ?? ""));
      // The alarms the CDK app creates besides the queues' (infra/src/pipeline-function.ts, ingress-api.ts,
      // alarms.ts): one missing is a failure, so an empty answer cannot pass.
      const expected = [
        ...Object.values(functions).flatMap((f: FunctionSpec) =>
          ["errors", "throttles", "duration-near-timeout"].map((what) => `${f.id}-${what}`),
        ),
        "api-5xx",
        "report-send-uncertain",
      ].map((name) => stagedAlarmName(name, stage));
      const present = new Set(rest.map((a) => a.AlarmName ?? ""));
      const missing = expected.filter((name) => !present.has(name));
      if (missing.length > 0)
        return fail(
          `missing: ${missing.join(", ")}`,
          "deploy the service stack of this version (cdk deploy cvpipe-<stage>-service); RUNBOOK.md §4",
        );
      const notOk = rest.filter((a) => a.StateValue !== "OK");
      return notOk.length > 0
        ? fail(
            notOk.map((a) => `${a.AlarmName} ${a.StateValue}`).join("; "),
            "RUNBOOK.md (alarms): each alarm's section says what to do",
          )
        : pass(`${rest.length} alarm(s) OK`);
    },
  };
  return [...fnChecks, routes, ...queueAlarmChecks, otherAlarms];
};
