/**
 * The console's pages: small template functions over `html` (every value
 * escaped). No inline script or style: the page's one script and stylesheet
 * are files under /console/assets, which the Content-Security-Policy allows.
 */

import { type DeadMessage, failureReason, type RedriveCriteria } from "@cvpipe/aws/dlq-triage";
import type { JobRecord } from "@cvpipe/core/jobs/job-record";
import type { QueueId } from "@cvpipe/core/topology";
import type { JobDetail, QueueDepth, QueueOverview, RedriveOutcome, SentEmailView } from "./data.ts";
import { type Html, html } from "./html.ts";

/** The URL word of each queue (as `cvpipe dlq --queue`). */
export const QUEUE_SLUGS: Record<string, QueueId> = { tailoring: "tailoringJobs", analytics: "analyticsEvents" };
const slugOf = (id: QueueId): string => Object.entries(QUEUE_SLUGS).find(([, q]) => q === id)?.[0] ?? id;

const NAV: readonly [string, string][] = [
  ["/console", "Overview"],
  ["/console/dlq/tailoring", "Tailoring DLQ"],
  ["/console/dlq/analytics", "Analytics DLQ"],
  ["/console/report", "Report preview"],
  ["/console/emails", "Sent email"],
];

export const page = (title: string, body: Html, options: { csrf?: string; nav?: boolean } = {}): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · cvpipe console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<header><span class="brand">cvpipe console</span>${
    options.nav === false
      ? ""
      : html`<nav>${NAV.map(([href, label]) => html`<a href="${href}">${label}</a>`)}</nav>
<form class="lookup" method="get" action="/console/jobs"><input name="id" placeholder="job id" aria-label="job id" required><button>Find job</button></form>`
  }</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.toString();

const n = (v: number | undefined): string => (v === undefined ? "?" : String(v));
const age = (v: number | null | undefined): string => (v === undefined ? "n/a" : v === null ? "-" : `${v} s`);

const depthRow = (q: QueueDepth, key: string): Html =>
  html`<tr data-queue="${key}"><td>${q.name}</td><td class="num" data-field="visible">${n(q.visible)}</td><td class="num" data-field="inFlight">${n(q.inFlight)}</td><td class="num" data-field="delayed">${n(q.delayed)}</td><td class="num" data-field="oldest">${age(q.oldestAgeSeconds)}</td></tr>`;

export const overviewPage = (overview: readonly QueueOverview[]): string =>
  page(
    "Queues and alarms",
    html`<section>
<h2>Depths <small class="muted" id="refreshed">(refreshes every 5 s)</small></h2>
<table id="depths"><thead><tr><th>queue</th><th>visible</th><th>in flight</th><th>delayed</th><th>oldest</th></tr></thead>
<tbody>${overview.map(
      (q) => html`${depthRow(q.source, `${q.id}:source`)}${depthRow(q.dlq, `${q.id}:dlq`)}`,
    )}</tbody></table>
<p class="muted">"n/a": this SQS does not show its messages' ages (only the embedded fauxqs does; on AWS it is CloudWatch's ApproximateAgeOfOldestMessage).</p>
</section>
<section>
<h2>Alarms, as they would fire on AWS</h2>
<table id="alarms"><thead><tr><th>alarm</th><th>state</th><th>condition</th></tr></thead>
<tbody>${overview.flatMap((q) =>
      q.alarms.map(
        (a) =>
          html`<tr data-alarm="${a.name}"><td>${a.name}</td><td data-field="state" class="${a.state === "ALARM" ? "alarm" : "ok"}">${a.state}</td><td data-field="condition">${a.condition}</td></tr>`,
      ),
    )}</tbody></table>
</section>
<section>
<h2>Dead-letter queues</h2>
<ul>${overview.map(
      (q) =>
        html`<li><a href="/console/dlq/${slugOf(q.id)}">${q.dlq.name}</a>: <span data-queue-count="${q.id}:dlq">${n(q.dlq.visible)}</span> visible</li>`,
    )}</ul>
</section>`,
  );

const jobLink = (dead: DeadMessage): Html | string =>
  dead.jobId
    ? html`<a href="/console/jobs/${encodeURIComponent(dead.jobId)}${dead.tenantId ? `?tenant=${encodeURIComponent(dead.tenantId)}` : ""}">${dead.jobId}</a>`
    : (dead.eventId ?? "-");

const deadRows = (rows: readonly DeadMessage[], extra?: (d: DeadMessage) => Html | string): Html =>
  html`${rows.map(
    (d) =>
      html`<tr class="dead" data-message-id="${d.message.messageId}"><td><code>${d.message.messageId}</code></td><td>${jobLink(d)}</td><td>${d.tenantId ?? "-"}</td><td>${d.message.groupId}</td><td class="num">${d.message.receiveCount}</td><td class="reason">${failureReason(d)}</td>${extra ? html`<td>${extra(d)}</td>` : ""}</tr>`,
  )}`;

const DEAD_HEAD = html`<th>message</th><th>job / event</th><th>tenant</th><th>group</th><th>receives</th><th>failure reason</th>`;

const redriveForm = (slug: string, csrf: string, criteria: RedriveCriteria): Html =>
  html`<form class="redrive" method="post" action="/console/dlq/${slug}/redrive">
<input type="hidden" name="csrf" value="${csrf}">
<label>job id <input name="job" value="${criteria.job ?? ""}"></label>
<label>tenant <input name="tenant" value="${criteria.tenant ?? ""}"></label>
<label>error code <input name="error" value="${criteria.error ?? ""}" placeholder="e.g. POISON_MESSAGE"></label>
<button name="action" value="dry-run" id="dry-run">Dry run</button>
<button name="action" value="redrive" id="redrive" class="danger">Redrive</button>
</form>
<p class="muted">The same code path as <code>cvpipe dlq redrive</code>: a filter narrows it; a group moves from its front only, so a message behind one that stays stays too. A dry run moves nothing.</p>`;

export const dlqPage = (queue: QueueId, name: string, rows: readonly DeadMessage[], csrf: string): string => {
  const slug = slugOf(queue);
  return page(
    `DLQ ${name}`,
    html`<p>${rows.length} message(s) shown (the front of each FIFO group; viewing counts as a receive, as <code>cvpipe dlq peek</code> does).</p>
<table id="dlq"><thead><tr>${DEAD_HEAD}</tr></thead><tbody>${rows.length ? deadRows(rows) : html`<tr><td colspan="6">empty</td></tr>`}</tbody></table>
<h2>Redrive</h2>
${redriveForm(slug, csrf, {})}`,
  );
};

export const redrivePage = (
  queue: QueueId,
  outcome: RedriveOutcome,
  criteria: RedriveCriteria,
  csrf: string,
): string => {
  const slug = slugOf(queue);
  const kept = new Map(outcome.kept.map((k) => [k.dead.message.messageId, k.why]));
  return page(
    outcome.dryRun ? "Redrive: dry run" : "Redrive: done",
    html`<p id="redrive-summary">${
      outcome.moveTask
        ? `started an SQS message move task (${outcome.moveTask}): the whole DLQ moves back, in order`
        : outcome.dryRun
          ? `dry run: ${outcome.moved.length} message(s) would move, ${outcome.kept.length} would stay; nothing was moved`
          : `moved ${outcome.moved.length} message(s); ${outcome.kept.length} kept`
    }${outcome.leftInDlq === undefined ? "" : `; ${outcome.leftInDlq} in the DLQ now`}.</p>
<h2>${outcome.dryRun ? "Would move" : "Moved"}</h2>
<table id="moved"><thead><tr>${DEAD_HEAD}</tr></thead><tbody>${deadRows(outcome.moved)}</tbody></table>
<h2>${outcome.dryRun ? "Would stay" : "Kept"}</h2>
<table id="kept"><thead><tr>${DEAD_HEAD}<th>why</th></tr></thead><tbody>${deadRows(
      outcome.kept.map((k) => k.dead),
      (d) => kept.get(d.message.messageId) ?? "",
    )}</tbody></table>
<h2>Again</h2>
${redriveForm(slug, csrf, criteria)}
<p><a href="/console/dlq/${slug}">back to the DLQ</a></p>`,
  );
};

const dl = (rows: readonly [string, Html | string | number | undefined][]): Html =>
  html`<dl>${rows.filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;

const history = (r: JobRecord): Html =>
  html`<ol id="history">
<li>QUEUED at ${r.createdAt}</li>
${r.startedAt ? html`<li>RUNNING from ${r.startedAt} (attempt ${r.attempts})</li>` : ""}
${(r.supersededOutcomes ?? []).map((o) => html`<li class="muted">earlier ending at ${o.occurredAt}: ${o.outcome}${o.errorCode ? ` ${o.errorCode}` : ""} (retracted when the job ended again)</li>`)}
${r.finishedAt ? html`<li><strong>${r.status}</strong> at ${r.finishedAt}</li>` : html`<li>${r.status} (updated ${r.updatedAt})</li>`}
</ol>`;

export const jobPage = (detail: JobDetail): string => {
  const { record: r, result } = detail;
  const q = `?tenant=${encodeURIComponent(r.tenantId)}`;
  const base = `/console/jobs/${encodeURIComponent(r.jobId)}`;
  const basics = result?.resume.basics;
  return page(
    `Job ${r.jobId}`,
    html`<p>Status: <strong id="job-status" class="${r.status === "SUCCEEDED" ? "ok" : r.status === "FAILED" ? "alarm" : ""}">${r.status}</strong></p>
${dl([
  ["tenant", r.tenantId],
  ["user", r.userId],
  ["engine", r.engine],
  ["attempts", r.attempts],
  [
    "error",
    r.error
      ? `${r.error.code}: ${r.error.message}${r.error.retryable ? " (retryable: a redrive runs it again)" : ""}`
      : undefined,
  ],
  ["tokens", r.usage ? `${r.usage.inputTokens} in, ${r.usage.outputTokens} out` : undefined],
])}
<h2>Status history</h2>
${history(r)}
${
  result
    ? html`<h2>Tailored CV</h2>
${dl([
  ["name", basics?.name],
  ["headline", basics?.label],
  ["work entries", result.resume.work?.length ?? 0],
  ["skills", (result.resume.skills ?? []).map((s) => s.name).join(", ")],
  ["model", result.modelId],
])}
<p>Renderings: <a href="${base}/rendering.html${q}">HTML</a> · <a href="${base}/rendering.md${q}">Markdown</a></p>
<h2>Verification report</h2>
<p id="verification">${result.verification.passed ? "passed" : "FAILED"}: ${result.verification.checkedFields} field(s) checked, ${result.verification.violations.length} violation(s)</p>
${
  result.verification.violations.length
    ? html`<table><thead><tr><th>code</th><th>where</th><th>text</th></tr></thead><tbody>${result.verification.violations.map(
        (v) => html`<tr><td>${v.code}</td><td>${v.path}</td><td>${v.text}</td></tr>`,
      )}</tbody></table>`
    : ""
}
<h2>Match report</h2>
${dl([
  ["score", `${result.match.score} / 100`],
  ["matched", result.match.matchedKeywords.join(", ")],
  ["missing", result.match.missingKeywords.join(", ")],
  [
    "sections",
    Object.entries(result.match.sections)
      .map(([k, v]) => `${k} ${v}`)
      .join(", "),
  ],
])}`
    : ""
}`,
  );
};

export const reportPage = (week: string, subject: string, text: string): string =>
  page(
    `Report preview ${week}`,
    html`<form method="get" action="/console/report"><label>week <input name="week" value="${week}" pattern="\\d{4}-W\\d{2}"></label><button>Show</button></form>
<p>Subject: <strong id="report-subject">${subject}</strong> (as the reporter would build it now; nothing is sent)</p>
<iframe class="email" sandbox="" src="/console/report/email.html?week=${encodeURIComponent(week)}" title="report email"></iframe>
<details><summary>Text part</summary><pre>${text}</pre></details>`,
  );

export const emailsPage = (emails: readonly SentEmailView[] | undefined): string =>
  page(
    "Sent email",
    emails === undefined
      ? html`<p>This stack's SES keeps no store the console can read (only the embedded SES emulator does): n/a.</p>`
      : html`<p>${emails.length} email(s) the SES emulator accepted, newest first.</p>
<table id="emails"><thead><tr><th>at</th><th>from</th><th>to</th><th>subject</th></tr></thead><tbody>${[
          ...emails.entries(),
        ]
          .reverse()
          .map(
            ([i, e]) =>
              html`<tr><td>${e.at ?? ""}</td><td>${e.from}</td><td>${e.to.join(", ")}</td><td><a href="/console/emails/${i}">${e.subject || "(no subject)"}</a></td></tr>`,
          )}</tbody></table>`,
  );

export const emailPage = (index: number, e: SentEmailView): string =>
  page(
    e.subject || "(no subject)",
    html`${dl([
      ["message id", e.messageId],
      ["from", e.from],
      ["to", e.to.join(", ")],
      ["at", e.at],
    ])}
${e.html !== undefined ? html`<iframe class="email" sandbox="" src="/console/emails/${index}/body.html" title="email body"></iframe>` : ""}
${e.text !== undefined ? html`<details open><summary>Text part</summary><pre>${e.text}</pre></details>` : ""}`,
  );

export const loginPage = (message: string): string =>
  page(
    "Log in",
    html`<p id="login-message">${message}</p>
<p>Open the one-time link <code>pnpm start</code> printed (<code>/console/login?code=…</code>; it works once, for 10 minutes), or paste a token of this stack with the admin role:</p>
<pre>pnpm cvpipe token --tenant ops --user you --role admin</pre>
<form method="post" action="/console/login"><label>token <input name="token" type="password" autocomplete="off" required></label><button>Log in</button></form>
<p class="muted">Scripts and tools may instead send <code>Authorization: Bearer &lt;that token&gt;</code> with every request.</p>`,
    { nav: false },
  );

export const errorPage = (title: string, message: string): string => page(title, html`<p class="error">${message}</p>`);
