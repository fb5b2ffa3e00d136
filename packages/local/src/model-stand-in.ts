/**
 * What the two model stand-ins (bedrock-server/: Bedrock's Converse; openai-server/: Chat Completions)
 * do alike, whatever their wire: the replies a test scripts, used first, one per model request; else
 * the scenario's turn (scenarios.ts), `throttled-<n>` counted per key; the token counts they report;
 * and what a started stand-in offers a test.
 */
import type { Server } from "node:net";
import type { Scenario } from "./bedrock-server/scenarios.ts";
import { listen } from "./listen.ts";

export interface ModelStandIn<Recorded, Reply> {
  readonly url: string;
  readonly port: number;
  readonly requests: Recorded[];
  /** Queue replies that take precedence over the scenario, one per model request. */
  script(...replies: Reply[]): void;
  close(): Promise<void>;
}

/** How one model request is answered: a reply (scripted or the scenario's), or the scenario's failure. */
export type ModelTurn<Reply> =
  | { readonly kind: "reply"; readonly reply: Reply }
  | { readonly kind: "throttled" }
  | { readonly kind: "unavailable" }
  /** The scenario's answer could not be made from the request (its message says why): a 400. */
  | { readonly kind: "unanswerable"; readonly message: string };

export interface ModelReplies<Reply> {
  script(...replies: Reply[]): void;
  /**
   * The next scripted reply; else the scenario `pick` names (read only then): `throttled` (always, or
   * its first n requests of `key`), `unavailable`, or what `answer` makes of it.
   */
  next(pick: () => { scenario: Scenario; key: string }, answer: (scenario: Scenario) => Reply): ModelTurn<Reply>;
}

export const modelReplies = <Reply>(): ModelReplies<Reply> => {
  const scripted: Reply[] = [];
  /** Requests seen per key, for `throttled-<n>`. */
  const throttled = new Map<string, number>();
  return {
    script: (...replies) => {
      scripted.push(...replies);
    },
    next: (pick, answer) => {
      const next = scripted.shift();
      if (next !== undefined) return { kind: "reply", reply: next };
      const { scenario, key } = pick();
      if (scenario.kind === "throttled") {
        const seen = throttled.get(key) ?? 0;
        throttled.set(key, seen + 1);
        if (scenario.times === undefined || seen < scenario.times) return { kind: "throttled" };
      }
      if (scenario.kind === "unavailable") return { kind: "unavailable" };
      try {
        return { kind: "reply", reply: answer(scenario) };
      } catch (error) {
        return { kind: "unanswerable", message: (error as Error).message };
      }
    },
  };
};

/** The usage a stand-in reports: about four characters a token, of the request's body and of the answer. */
export const estimateUsage = (
  request: string,
  answer: string,
): { inputTokens: number; outputTokens: number; totalTokens: number } => {
  const inputTokens = Math.ceil(request.length / 4);
  const outputTokens = Math.ceil(answer.length / 4);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
};

/** Listens on loopback (or `options.host`), then the stand-in as a test holds it. */
export const serveStandIn = async <Recorded, Reply>(
  server: Server,
  options: { readonly port?: number; readonly host?: string },
  requests: Recorded[],
  replies: ModelReplies<Reply>,
  close: () => Promise<void>,
): Promise<ModelStandIn<Recorded, Reply>> => {
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port, host);
  return { url: `http://${host}:${port}`, port, requests, script: replies.script, close };
};
