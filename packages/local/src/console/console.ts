/**
 * The operator console on the embedded stack, under /console of the local
 * gateway (outside the public API: not a topology route, so not in the
 * OpenAPI document or the fuzz suite). An operator surface with powerful
 * actions, so:
 * - loopback only: the gateway binds 127.0.0.1, and a Host header that is not
 *   a loopback name is refused (403), against DNS rebinding;
 * - a session cookie (HttpOnly, SameSite=Strict) from a one-time login code, or
 *   `Authorization: Bearer` with the stack's admin token;
 * - state changes by POST only, with the session's CSRF token in the form (a
 *   bearer request carries no ambient credential, so it needs none);
 * - every page escaped (html.ts), a strict Content-Security-Policy, no inline
 *   script, nosniff, no-store.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RedriveCriteria } from "@cvpipe/aws/dlq-triage";
import { isIsoWeek } from "@cvpipe/core/analytics/iso-week";
import type { Clock } from "@cvpipe/core/ports/clock";
import { reportWeekFor } from "@cvpipe/core/report/send-weekly-report";
import { readBoundedBody } from "../request-body.ts";
import type { ConsoleAuth, ConsoleSession } from "./auth.ts";
import type { ConsoleData } from "./data.ts";
import {
  dlqPage,
  emailPage,
  emailsPage,
  errorPage,
  jobPage,
  loginPage,
  overviewPage,
  QUEUE_SLUGS,
  redrivePage,
  reportPage,
} from "./views.ts";

export const CONSOLE_PATH = "/console";
const COOKIE = "cvpipe_console";

/** The pages' policy: own script and style files only, no framing, forms to itself. */
const PAGE_CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/**
 * Email and rendering bodies (HTML someone else wrote): a sandbox with no script, no origin, no
 * network; the inline styles emails are made of are allowed. Framed by the console's own pages only.
 */
const BODY_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

const ASSETS: Record<string, { type: string; body: Buffer }> = {
  "console.js": {
    type: "text/javascript; charset=utf-8",
    body: readFileSync(new URL("./assets/console.js", import.meta.url)),
  },
  "console.css": {
    type: "text/css; charset=utf-8",
    body: readFileSync(new URL("./assets/console.css", import.meta.url)),
  },
};

/** Host names that can only be this machine: a Host header naming anything else is a rebinding attempt. */
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;
export const isLoopbackHost = (host: string | undefined): boolean => host !== undefined && LOOPBACK_HOST.test(host);

/** The Origin header's host, when a browser sent one: a cross-site POST names the other site. */
const isLoopbackOrigin = (origin: string | undefined): boolean => {
  if (origin === undefined) return true;
  const url = URL.parse(origin);
  return url !== null && (url.protocol === "http:" || url.protocol === "https:") && isLoopbackHost(url.host);
};

const cookieOf = (req: IncomingMessage, name: string): string | undefined => {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
};

const bearerOf = (req: IncomingMessage): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];

/** Forms are small: anything bigger is no form of ours. */
const MAX_FORM_BYTES = 64 * 1024;

class FormTooLarge extends Error {
  override name = "FormTooLarge";
}

const readForm = async (req: IncomingMessage): Promise<URLSearchParams> => {
  const body = await readBoundedBody(req, MAX_FORM_BYTES);
  if (body === "too-large") throw new FormTooLarge(`form over ${MAX_FORM_BYTES} bytes`);
  return new URLSearchParams(body.toString("utf8"));
};

export interface ConsoleOptions {
  readonly auth: ConsoleAuth;
  readonly data: ConsoleData;
  /** The functions' clock: the default report week. */
  readonly clock: Clock;
  readonly log?: (line: string) => void;
}

type Who = { readonly kind: "session"; readonly session: ConsoleSession } | { readonly kind: "bearer" };

/** Answers a request under /console (the caller has checked the path). */
export const createConsole = (options: ConsoleOptions) => {
  const { auth, data } = options;

  const send = (
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    type = "text/html; charset=utf-8",
    headers: Record<string, string | string[]> = {},
  ): void => {
    res.writeHead(status, {
      "content-type": type,
      "content-security-policy": PAGE_CSP,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
      // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with its forms.
      "referrer-policy": "same-origin",
      "x-frame-options": "DENY",
      ...headers,
    });
    res.end(body);
  };
  const sendBody = (res: ServerResponse, body: string, type: string): void =>
    send(res, 200, body, type, { "content-security-policy": BODY_CSP, "x-frame-options": "SAMEORIGIN" });

  const sessionCookie = (session: ConsoleSession): string =>
    `${COOKIE}=${session.token}; Path=${CONSOLE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(
      (session.expiresAt - options.clock.now().getTime()) / 1000,
    )}`;

  const who = async (req: IncomingMessage): Promise<Who | undefined> => {
    const bearer = bearerOf(req);
    if (bearer) return (await auth.isAdminToken(bearer)) ? { kind: "bearer" } : undefined;
    const session = auth.session(cookieOf(req, COOKIE));
    return session ? { kind: "session", session } : undefined;
  };

  const notLoggedIn = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    // A JSON client gets a plain 401; a browser the page that says how to log in (also a 401).
    if (path.startsWith(`${CONSOLE_PATH}/api/`) || !(req.headers.accept ?? "").includes("text/html")) {
      send(
        res,
        401,
        JSON.stringify({
          message: "Unauthorized: open the one-time link `pnpm start` printed, or send the stack's admin token",
        }),
        "application/json",
        { "www-authenticate": 'Bearer realm="cvpipe console"' },
      );
      return;
    }
    send(res, 401, loginPage("You are not logged in (or your session ended)."));
  };

  const login = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    let session: ConsoleSession | undefined;
    if (req.method === "POST") {
      const form = await readForm(req);
      session = await auth.loginWithToken(form.get("token") ?? "");
      if (!session)
        return send(res, 401, loginPage("That token is not this stack's, has expired, or lacks the admin role."));
    } else {
      const code = url.searchParams.get("code");
      if (!code) return send(res, 200, loginPage("Log in to the cvpipe console."));
      session = auth.redeem(code);
      if (!session) {
        return send(
          res,
          401,
          loginPage("That login link was already used or has expired (links work once, for 10 minutes)."),
        );
      }
    }
    // Redirect: the code leaves the address bar and the history.
    send(res, 303, "", "text/plain", { location: CONSOLE_PATH, "set-cookie": sessionCookie(session) });
  };

  const redrive = async (res: ServerResponse, queueSlug: string, form: URLSearchParams, who: Who): Promise<void> => {
    const queue = QUEUE_SLUGS[queueSlug];
    if (!queue) return send(res, 404, errorPage("Not found", `no queue "${queueSlug}": use tailoring or analytics`));
    const action = form.get("action");
    if (action !== "dry-run" && action !== "redrive") {
      return send(res, 400, errorPage("Bad request", 'action must be "dry-run" or "redrive"'));
    }
    const criteria: RedriveCriteria = Object.fromEntries(
      (["job", "tenant", "error"] as const).flatMap((k) => {
        const v = form.get(k)?.trim();
        return v ? [[k, v]] : [];
      }),
    );
    const outcome = await data.redrive(queue, criteria, action === "dry-run");
    options.log?.(
      `console: ${action} ${data.dlqNames[queue]} ${JSON.stringify(criteria)}: ${outcome.moved.length} ${action === "dry-run" ? "would move" : "moved"}`,
    );
    send(res, 200, redrivePage(queue, outcome, criteria, who.kind === "session" ? who.session.csrf : ""));
  };

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? "GET";
    const path = url.pathname.replace(/\/+$/, "") || "/";
    try {
      if (!isLoopbackHost(req.headers.host)) {
        return send(
          res,
          403,
          "Forbidden: the console answers only to a loopback Host (127.0.0.1, localhost)",
          "text/plain",
        );
      }
      if (method === "POST" && !isLoopbackOrigin(req.headers.origin as string | undefined)) {
        return send(res, 403, "Forbidden: a cross-origin form", "text/plain");
      }
      if (method === "GET" && path.startsWith(`${CONSOLE_PATH}/assets/`)) {
        const asset = ASSETS[path.slice(`${CONSOLE_PATH}/assets/`.length)];
        if (!asset) return send(res, 404, "Not found", "text/plain");
        return send(res, 200, asset.body, asset.type);
      }
      if (path === `${CONSOLE_PATH}/login` && (method === "GET" || method === "POST"))
        return await login(req, res, url);

      const caller = await who(req);
      if (!caller) return notLoggedIn(req, res, path);
      const csrf = caller.kind === "session" ? caller.session.csrf : "";

      if (method === "POST") {
        const form = await readForm(req);
        // SameSite=Strict keeps the cookie off cross-site requests; the form's token makes sure of it.
        if (caller.kind === "session" && !auth.csrfMatches(caller.session, form.get("csrf") ?? undefined)) {
          return send(
            res,
            403,
            errorPage(
              "Forbidden",
              "the form's CSRF token is missing or not this session's: reload the page and try again",
            ),
          );
        }
        const m = /^\/console\/dlq\/([^/]+)\/redrive$/.exec(path);
        if (m) return await redrive(res, m[1]!, form, caller);
        if (path === `${CONSOLE_PATH}/logout`) {
          if (caller.kind === "session") auth.logout(caller.session.token);
          return send(res, 303, "", "text/plain", {
            location: `${CONSOLE_PATH}/login`,
            "set-cookie": `${COOKIE}=; Path=${CONSOLE_PATH}; HttpOnly; SameSite=Strict; Max-Age=0`,
          });
        }
        return send(res, 404, errorPage("Not found", `no action at ${path}`));
      }
      if (method !== "GET" && method !== "HEAD") {
        return send(res, 405, errorPage("Method not allowed", `${method} is not used here`), undefined, {
          allow: "GET, POST",
        });
      }

      if (path === CONSOLE_PATH) return send(res, 200, overviewPage(await data.queues()));
      if (path === `${CONSOLE_PATH}/api/queues`)
        return send(res, 200, JSON.stringify(await data.queues()), "application/json");
      const dlq = /^\/console\/dlq\/([^/]+)$/.exec(path);
      if (dlq) {
        const queue = QUEUE_SLUGS[dlq[1]!];
        if (!queue) return send(res, 404, errorPage("Not found", `no queue "${dlq[1]}": use tailoring or analytics`));
        return send(res, 200, dlqPage(queue, data.dlqNames[queue], await data.dlq(queue), csrf));
      }
      if (path === `${CONSOLE_PATH}/jobs`) {
        const id = url.searchParams.get("id")?.trim();
        if (!id) return send(res, 400, errorPage("Bad request", "give a job id"));
        return send(res, 303, "", "text/plain", { location: `${CONSOLE_PATH}/jobs/${encodeURIComponent(id)}` });
      }
      const job = /^\/console\/jobs\/([^/]+)(?:\/rendering\.(html|md))?$/.exec(path);
      if (job) {
        let id: string;
        try {
          id = decodeURIComponent(job[1]!);
        } catch {
          return send(res, 400, errorPage("Bad request", "the job id in the path is not valid percent-encoding"));
        }
        const detail = await data.job(id, url.searchParams.get("tenant") ?? undefined);
        if (!detail) return send(res, 404, errorPage("Not found", `no job ${id} (or it expired)`));
        if (job[2] === "html") {
          if (!detail.result) return send(res, 404, errorPage("Not found", `job ${id} has no result`));
          return sendBody(res, detail.result.html, "text/html; charset=utf-8");
        }
        if (job[2] === "md") {
          if (!detail.result) return send(res, 404, errorPage("Not found", `job ${id} has no result`));
          return sendBody(res, detail.result.markdown, "text/plain; charset=utf-8");
        }
        return send(res, 200, jobPage(detail));
      }
      if (path === `${CONSOLE_PATH}/report` || path === `${CONSOLE_PATH}/report/email.html`) {
        const week = url.searchParams.get("week") || reportWeekFor(options.clock.now());
        if (!isIsoWeek(week))
          return send(res, 400, errorPage("Bad request", `week "${week}" is not an ISO week like 2026-W47`));
        const rendered = await data.reportPreview(week);
        if (path.endsWith("email.html")) return sendBody(res, rendered.html, "text/html; charset=utf-8");
        return send(res, 200, reportPage(week, rendered.subject, rendered.text));
      }
      if (path === `${CONSOLE_PATH}/emails`) return send(res, 200, emailsPage(await data.sentEmails()));
      const email = /^\/console\/emails\/(\d{1,6})(\/body\.html)?$/.exec(path);
      if (email) {
        const index = Number(email[1]);
        const e = (await data.sentEmails())?.[index];
        if (!e) return send(res, 404, errorPage("Not found", `no sent email ${index}`));
        if (email[2]) return sendBody(res, e.html ?? "", "text/html; charset=utf-8");
        return send(res, 200, emailPage(index, e));
      }
      return send(res, 404, errorPage("Not found", `nothing at ${path}`));
    } catch (error) {
      if (error instanceof FormTooLarge) return send(res, 413, "Request Entity Too Large", "text/plain");
      options.log?.(`console: ${method} ${path} failed: ${(error as Error).name}: ${(error as Error).message}`);
      if (!res.headersSent) send(res, 500, errorPage("Error", `${(error as Error).name}: ${(error as Error).message}`));
    }
  };
};

export type ConsoleHandler = ReturnType<typeof createConsole>;
