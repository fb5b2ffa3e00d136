/**
 * The emulators of the embedded stack started on their own, each behind a
 * fault proxy (support/fault-proxy.ts), for a stack under test that reaches
 * every service through its proxy: its `AWS_ENDPOINT_URL_<SERVICE>` variables
 * name the proxies, so the stack treats them as endpoints the user configured
 * (services.ts) and starts no emulator of its own.
 *
 * Two ways to each service: `proxiedEnv` through the proxies (what the stack
 * uses, faults included) and `directEnv` straight to the emulators (what a
 * test's own checks use, so they see the state while a fault is on).
 *
 * On the moto backend (support/moto.ts) the proxies stand in front of the
 * file's moto for SQS, S3, DynamoDB and SES instead; Bedrock is the local
 * stand-in on both.
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { endpointEnv, requestTimeoutEnv, SERVICE_IDS } from "@cvpipe/aws/clients";
import { type Emulators, startEmulators } from "@cvpipe/local/emulators";
import { type LocalService, localServices } from "@cvpipe/local/services";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.ts";
import { type Moto, motoSentEmails, type SentEmail } from "./moto.ts";
import { testSettings } from "./stack.ts";

/** The services of the embedded stack (packages/local services.ts), as its StackInfo names them. */
export type { LocalService };

export interface ProxiedDependencies {
  readonly emulators: Emulators;
  /** One proxy per service (SQS and S3 each have their own, in front of the one fauxqs). */
  readonly proxies: Readonly<Record<LocalService, FaultProxy>>;
  /** `AWS_ENDPOINT_URL_<SERVICE>` = each service's proxy. */
  readonly proxiedEnv: Readonly<Record<string, string>>;
  /** `AWS_ENDPOINT_URL_<SERVICE>` = each emulator, and keys the emulators accept. */
  readonly directEnv: Readonly<Record<string, string>>;
  /** Emails the SES behind the proxy accepted, oldest first (read past the proxy). */
  sentEmails(): Promise<SentEmail[]>;
  /** Every proxy back to pass. */
  heal(): Promise<void>;
  close(): Promise<void>;
}

/**
 * aws-ses-v2-local in front of which VerifyEmailIdentity is answered (as SES does: an empty result):
 * the emulator implements only the send actions and never answers any other, and the stack verifies
 * the report sender on an SES it did not start (stack.ts, for moto and LocalStack). Everything else
 * goes to the emulator unchanged.
 */
const startSesFront = async (emulator: string): Promise<{ url: string; server: Server }> => {
  const to = new URL(emulator);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (req.method === "POST" && new URLSearchParams(body.toString()).get("Action") === "VerifyEmailIdentity") {
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(
          `<VerifyEmailIdentityResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><VerifyEmailIdentityResult/><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></VerifyEmailIdentityResponse>`,
        );
        return;
      }
      const out = request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on("error", () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
};

/** `moto`: the file's moto (the moto backend), which then serves everything but Bedrock. */
export const startProxiedDependencies = async (moto?: Moto): Promise<ProxiedDependencies> => {
  const settings = await testSettings();
  const emulators = moto
    ? await startEmulators(settings, { sqs: false, s3: false, dynamodb: false, ses: false, bedrock: true })
    : await startEmulators(settings, { bedrock: true });
  const sesFront = moto ? undefined : await startSesFront(emulators.sesEndpoint!);
  const target: Record<LocalService, string | undefined> = {
    sqs: moto?.endpoint ?? emulators.sqsEndpoint,
    s3: moto?.endpoint ?? emulators.s3Endpoint,
    dynamodb: moto?.endpoint ?? emulators.dynamoDbEndpoint,
    ses: moto?.endpoint ?? sesFront?.url,
    "bedrock-runtime": emulators.bedrockEndpoint,
  };
  const proxies = {} as Record<LocalService, FaultProxy>;
  for (const [service, url] of Object.entries(target) as [LocalService, string | undefined][]) {
    if (!url) throw new Error(`no ${service} emulator started`);
    proxies[service] = await startFaultProxy(url, { name: service });
  }
  const envOf = (url: (service: LocalService) => string): Record<string, string> =>
    Object.fromEntries(localServices.map((s) => [endpointEnv(SERVICE_IDS[s]), url(s)] as const));
  return {
    emulators,
    proxies,
    proxiedEnv: envOf((s) => proxies[s].url),
    directEnv: {
      ...envOf((s) => target[s]!),
      AWS_REGION: settings.region,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      // The checks wait for a busy emulator (moto under a full suite) rather than fail on it.
      ...Object.fromEntries(Object.values(SERVICE_IDS).map((id) => [requestTimeoutEnv(id), "30000"])),
    },
    sentEmails: async () => {
      if (moto) return motoSentEmails(moto);
      const res = await fetch(`${emulators.sesEndpoint}/store`);
      return ((await res.json()) as { emails: SentEmail[] }).emails;
    },
    heal: async () => {
      for (const p of Object.values(proxies)) await p.set("pass");
    },
    close: async () => {
      for (const p of Object.values(proxies)) await p.close();
      if (sesFront) {
        sesFront.server.closeAllConnections();
        await new Promise<void>((resolve) => sesFront.server.close(() => resolve()));
      }
      await emulators.stop();
      rmSync(settings.dataDir, { recursive: true, force: true });
    },
  };
};
