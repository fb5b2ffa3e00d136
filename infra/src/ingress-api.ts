/**
 * The producers' HTTP API: every route of `topology.api.routes` on an HTTP
 * API (payload format 2.0) with a JWT authorizer and the route's
 * authorizationScopes where the route asks for one, JSON access logs on the default stage, and a 5xx alarm (no request
 * may cause a 5xx by its content, so any 5xx is a fault).
 */
import { CORS } from "@cvpipe/core/contracts/cors";
import { api as apiSpec, type FunctionId, type RouteSpec, stagedApiName } from "@cvpipe/core/topology";
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { AlarmTopic } from "./alarms.ts";
import type { Config } from "./config.ts";

export interface IngressApiProps {
  readonly config: Config;
  readonly functions: Record<FunctionId, lambda.IFunction>;
  readonly alarms: AlarmTopic;
}

export class IngressApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: IngressApiProps) {
    super(scope, id);
    const { config, functions, alarms } = props;

    this.api = new apigw.HttpApi(this, "Api", {
      apiName: stagedApiName(config.stage),
      description: "cvpipe ingress: tailoring jobs and analytics events",
      createDefaultStage: false,
      // Browser producers: the deployment's origins, the fixed rest from core (the local gateway imitates it).
      ...(config.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...config.corsOrigins],
              allowMethods: CORS.allowMethods.map((m) => apigw.CorsHttpMethod[m]),
              allowHeaders: [...CORS.allowHeaders],
              exposeHeaders: [...CORS.exposeHeaders],
              maxAge: Duration.seconds(CORS.maxAgeSeconds),
            },
          }
        : {}),
    });
    const accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: config.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            requestTime: "$context.requestTime",
            sourceIp: "$context.identity.sourceIp",
            routeKey: "$context.routeKey",
            status: "$context.status",
            responseLength: "$context.responseLength",
            latencyMs: "$context.responseLatency",
            integrationStatus: "$context.integrationStatus",
            integrationError: "$context.integrationErrorMessage",
            authorizerError: "$context.authorizer.error",
            tenantId: `$context.authorizer.claims.${apiSpec.tenantClaim}`,
            sub: "$context.authorizer.claims.sub",
          }),
        ),
      },
    });

    const authorizer = new HttpJwtAuthorizer("JwtAuthorizer", config.jwtIssuer, {
      jwtAudience: [...config.jwtAudience],
      identitySource: ["$request.header.Authorization"],
    });
    const integrations = new Map<FunctionId, HttpLambdaIntegration>();
    const integrationFor = (target: FunctionId): HttpLambdaIntegration => {
      let integration = integrations.get(target);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${target}Integration`, functions[target]);
        integrations.set(target, integration);
      }
      return integration;
    };

    for (const route of apiSpec.routes as readonly RouteSpec[]) {
      const routes = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationFor(route.target),
        // API Gateway lets a token through when it carries any one of the route's scopes (`scope` or `scp`).
        ...(route.auth ? { authorizer, authorizationScopes: [...route.scopes] } : {}),
      });
      if (!route.auth) {
        for (const r of routes) {
          Validations.of(r).acknowledge({
            id: "AwsSolutions-APIG4",
            reason:
              `${route.method} ${route.path} is declared unauthenticated in topology.api.routes: it serves the ` +
              "liveness check or the OpenAPI document, neither of which reads or writes tenant data.",
          });
        }
      }
    }

    alarms.alarm(this, "ServerErrorsAlarm", "api-5xx", {
      alarmDescription: "The HTTP API answered 5xx: no request may cause one by its content, so this is a fault.",
      metric: this.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
  }

  /** The API's base URL, without a trailing slash. */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
