/**
 * The functions' configuration refuses what would break a promise at run
 * time: a job living longer than the payload bucket keeps its result, and
 * report addresses the CDK app's synth would refuse (one address rule, core's
 * isEmailAddress, for both).
 */
import { ConfigError } from "@cvpipe/core/errors";
import { EMAIL_ACCEPTED, EMAIL_REFUSED } from "@cvpipe/core/testing/email-cases";
import {
  type BucketId,
  bucketNameEnv,
  buckets,
  type FunctionId,
  functionResources,
  type QueueId,
  queueUrlEnv,
  retention,
  type TableId,
  tableNameEnv,
} from "@cvpipe/core/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AnalyticsConfig } from "./analytics.ts";
import { EraserConfig } from "./eraser.ts";
import { IngressConfig } from "./ingress.ts";
import { ReporterConfig } from "./reporter.ts";
import { parseConfig } from "./settings.ts";
import { SweeperConfig } from "./sweeper.ts";
import { TailorConfig } from "./tailor.ts";

const ingressEnv = {
  TAILORING_JOBS_QUEUE_URL: "http://q/jobs",
  ANALYTICS_EVENTS_QUEUE_URL: "http://q/events",
  JOBS_TABLE: "cvpipe-jobs",
  PAYLOADS_BUCKET: "cvpipe-payloads",
  CVS_TABLE: "cvpipe-cvs",
  CVS_BUCKET: "cvpipe-cvs",
  FEEDBACK_TABLE: "cvpipe-feedback",
  DELETIONS_TABLE: "cvpipe-deletions",
  ID_SECRET_FILE: "/tmp/id-secret",
};

const refusal = (run: () => unknown): ConfigError => {
  try {
    run();
  } catch (error) {
    assert.instance(error, ConfigError);
    return error as ConfigError;
  }
  assert.unreachable("expected a ConfigError");
  throw new Error("unreachable");
};

const CONFIGS = {
  ingress: IngressConfig,
  tailor: TailorConfig,
  analytics: AnalyticsConfig,
  reporter: ReporterConfig,
  sweeper: SweeperConfig,
  eraser: EraserConfig,
} as const;

test("each function's configuration requires exactly the resource variables the topology gives it, by name", () => {
  for (const fn of Object.keys(functionResources) as FunctionId[]) {
    const uses: { queues: readonly QueueId[]; tables: readonly TableId[]; buckets: readonly BucketId[] } =
      functionResources[fn];
    const expected = [
      ...uses.queues.map((q) => queueUrlEnv(q)),
      ...uses.tables.map((t) => tableNameEnv(t)),
      ...uses.buckets.map((b) => bucketNameEnv(b)),
    ].sort();
    // An empty environment: every missing required variable is named, and nothing else of the resources'.
    const message = refusal(() => parseConfig(fn, CONFIGS[fn], {})).message;
    const named = [...message.matchAll(/\b([A-Z][A-Z0-9_]*_(?:QUEUE_URL|TABLE|BUCKET)) is required/g)].map(
      (m) => m[1]!,
    );
    assert.equal(named.sort(), expected, `${fn}: ${message}`);
  }
});

test("JOB_TTL_DAYS defaults to the topology's job TTL, which the payload bucket keeps objects for", () => {
  assert.is(parseConfig("ingress", IngressConfig, ingressEnv).JOB_TTL_DAYS, retention.jobTtlDays);
  assert.is(buckets.payloads.expireAfterDays, retention.jobTtlDays);
});

test("JOB_TTL_DAYS up to the payload bucket's expiry is accepted", () => {
  const limit = buckets.payloads.expireAfterDays;
  assert.is(parseConfig("ingress", IngressConfig, { ...ingressEnv, JOB_TTL_DAYS: String(limit) }).JOB_TTL_DAYS, limit);
  assert.is(parseConfig("ingress", IngressConfig, { ...ingressEnv, JOB_TTL_DAYS: "1" }).JOB_TTL_DAYS, 1);
});

test("JOB_TTL_DAYS above the payload bucket's expiry is a ConfigError naming the setting and the limit", () => {
  const limit = buckets.payloads.expireAfterDays;
  const error = refusal(() =>
    parseConfig("ingress", IngressConfig, { ...ingressEnv, JOB_TTL_DAYS: String(limit + 1) }),
  );
  assert.match(error.message, /JOB_TTL_DAYS/);
  assert.match(error.message, new RegExp(`\\b${limit}\\b`));
  assert.match(error.message, /payload/i);
});

const reporterEnv = {
  AGGREGATES_TABLE: "cvpipe-aggregates",
  REPORTS_TABLE: "cvpipe-reports",
  REPORT_RECIPIENTS: "ops@example.com",
  REPORT_SENDER: "cvpipe@example.com",
};

test("REPORT_SENDER and REPORT_RECIPIENTS follow core's address rule, the one synth checks", () => {
  for (const address of EMAIL_ACCEPTED) {
    const config = parseConfig("reporter", ReporterConfig, {
      ...reporterEnv,
      REPORT_SENDER: address,
      REPORT_RECIPIENTS: `ops@example.com, ${address}`,
    });
    assert.is(config.REPORT_SENDER, address);
    assert.equal(config.REPORT_RECIPIENTS, ["ops@example.com", address]);
  }
  for (const address of EMAIL_REFUSED) {
    assert.match(
      refusal(() => parseConfig("reporter", ReporterConfig, { ...reporterEnv, REPORT_SENDER: address })).message,
      /REPORT_SENDER/,
      address,
    );
    assert.match(
      refusal(() =>
        parseConfig("reporter", ReporterConfig, { ...reporterEnv, REPORT_RECIPIENTS: `ops@example.com,${address}` }),
      ).message,
      /REPORT_RECIPIENTS/,
      address,
    );
  }
});

const tailorEnv = {
  ANALYTICS_EVENTS_QUEUE_URL: "http://q/events",
  JOBS_TABLE: "cvpipe-jobs",
  PAYLOADS_BUCKET: "cvpipe-payloads",
  DELETIONS_TABLE: "cvpipe-deletions",
};
const tailor = (env: Record<string, string>) => parseConfig("tailor", TailorConfig, { ...tailorEnv, ...env });

test("JSON-list settings (EVENT_TYPES, BANNED_CLAIMS): unset or blank is the default, anything but a list they take is refused by name", () => {
  for (const blank of [undefined, "", "  "]) {
    const extra = blank === undefined ? {} : { EVENT_TYPES: blank };
    assert.ok(parseConfig("ingress", IngressConfig, { ...ingressEnv, ...extra }).EVENT_TYPES.length > 0);
    assert.equal(tailor(blank === undefined ? {} : { BANNED_CLAIMS: blank }).BANNED_CLAIMS, []);
  }
  assert.equal(parseConfig("ingress", IngressConfig, { ...ingressEnv, EVENT_TYPES: '["cv.downloaded"]' }).EVENT_TYPES, [
    "cv.downloaded",
  ]);
  assert.equal(tailor({ BANNED_CLAIMS: '["guaranteed job"]' }).BANNED_CLAIMS, ["guaranteed job"]);
  for (const bad of ['["cv.downloaded", 1]', "{}", "x", "[]"]) {
    const error = refusal(() => parseConfig("ingress", IngressConfig, { ...ingressEnv, EVENT_TYPES: bad }));
    assert.match(error.message, /EVENT_TYPES must be a JSON array of 1-\d+ event types/);
  }
  for (const bad of ['["a", 1]', "{}", "x", "null"]) {
    const error = refusal(() => tailor({ BANNED_CLAIMS: bad }));
    assert.match(error.message, /BANNED_CLAIMS must be a JSON array of strings/);
  }
});

test("openai engine settings: a URL and a model, the key optional, the timeout defaulted", () => {
  const config = tailor({ OPENAI_BASE_URL: " http://127.0.0.1:11434/v1 ", OPENAI_MODEL: "llama3.1:8b" });
  assert.is(config.OPENAI_BASE_URL, "http://127.0.0.1:11434/v1");
  assert.is(config.OPENAI_MODEL, "llama3.1:8b");
  assert.is(config.OPENAI_API_KEY, undefined);
  assert.is(config.OPENAI_TIMEOUT_SECONDS, 30);
  assert.is(
    tailor({ DEFAULT_ENGINE: "openai", OPENAI_BASE_URL: "https://api.example.com/v1", OPENAI_MODEL: "m" })
      .DEFAULT_ENGINE,
    "openai",
  );
});

test("openai engine settings refused by name: not a URL, half a setup, openai by default without it, two keys", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ OPENAI_BASE_URL: "localhost:11434", OPENAI_MODEL: "m" }, /OPENAI_BASE_URL must be an absolute http\(s\) URL/],
    [
      { OPENAI_BASE_URL: "ftp://example.com/v1", OPENAI_MODEL: "m" },
      /OPENAI_BASE_URL must be an absolute http\(s\) URL/,
    ],
    [{ OPENAI_BASE_URL: "http://127.0.0.1:8080/v1" }, /OPENAI_MODEL is required when OPENAI_BASE_URL is set/],
    [{ OPENAI_MODEL: "m" }, /OPENAI_BASE_URL is required when OPENAI_MODEL is set/],
    [{ DEFAULT_ENGINE: "openai" }, /OPENAI_BASE_URL and OPENAI_MODEL are required when DEFAULT_ENGINE=openai/],
    [
      { OPENAI_BASE_URL: "http://h/v1", OPENAI_MODEL: "m", OPENAI_API_KEY: "k", OPENAI_API_KEY_SECRET_ARN: "arn:x" },
      /OPENAI_API_KEY and OPENAI_API_KEY_SECRET_ARN are both set/,
    ],
    [
      { OPENAI_BASE_URL: "http://h/v1", OPENAI_MODEL: "m", OPENAI_TIMEOUT_SECONDS: "600" },
      /OPENAI_TIMEOUT_SECONDS must be at most 36/,
    ],
  ];
  for (const [env, message] of cases) {
    assert.match(refusal(() => tailor(env)).message, message, JSON.stringify(env));
  }
});

test.run();
