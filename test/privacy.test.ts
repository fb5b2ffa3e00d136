/**
 * Issue 11 §5: with PII redaction on, no e-mail address, phone number, name,
 * profile or street address of any CV reaches a log line or a model request,
 * and no log line carries CV or posting text, at any log level.
 *
 * 1. The eval set (../shared/eval: 12 CVs in 24 CV–posting pairs) goes through
 *    the embedded stack in this process (fixed clock) as JSON Resume and as
 *    text (rendered here, parsed on the worker), with the local and the Bedrock
 *    engine (the stack's own stand-in, a well-behaved model). The eval CVs
 *    carry placeholder contact details ("Candidate 01",
 *    candidate01@example.com), so each CV also runs with realistic ones —
 *    several name parts, national and international phone formats, a street
 *    address — its name, phone and e-mail repeated in the summary, as
 *    third-person CVs do. Every job must succeed.
 * 2. The same CVs against a model that misbehaves (stand-in scenario
 *    `unreliable`: rewritten identity fields, JSON cut off, an invented
 *    employer, prose), on a stack process of its own (one model id per
 *    process), so every failure's log line is inspected too. Every job fails.
 *
 * Both at Powertools' most verbose: POWERTOOLS_LOG_LEVEL=TRACE and
 * POWERTOOLS_LOGGER_LOG_EVENT=true. Inspected: everything written to stdout and
 * stderr (the handlers' Powertools lines; in 2, the process's whole output),
 * every line of the stack's own log (gateway, pollers, scheduler), and every
 * request the Bedrock stand-ins received (their record files,
 * CVPIPE_BEDROCK_RECORD_FILE). Job results are not inspected: a tailored CV
 * keeps its basics.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Posting } from "@cvpipe/core/contracts/job-request";
import { CLOCK_OFFSET_ENV } from "@cvpipe/core/ports/clock";
import { renderResumeText } from "@cvpipe/core/resume/render-resume-text";
import type { Resume } from "@cvpipe/core/resume/resume";
import { DEFAULT_PROMPT_TEMPLATES } from "@cvpipe/core/tailoring/default-prompts";
import { postingView } from "@cvpipe/core/tailoring/posting-view";
import { evalPairs, loadJob, loadResume } from "@cvpipe/core/tailoring/testing/eval-set";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type ApiClient, startTestStack, type TestStack, testSettings } from "./support/stack.ts";
import { spawnStack, waitReady } from "./support/stack-process.ts";

const CLOCK_START = new Date("2026-11-18T10:00:00Z");
/** The Bedrock stand-in appends each request it answered to this file (packages/local/src/bedrock-server). */
const RECORD_FILE_ENV = "CVPIPE_BEDROCK_RECORD_FILE";
const ENGINES = ["local", "bedrock"] as const;
const FORMS = ["json", "text"] as const;
/** The shortest run of words counted as CV or posting text. */
const SHINGLE = 8;

// ---------------------------------------------------------------- what is submitted

/** Realistic contact details, one per eval CV, in the formats people write. */
const PEOPLE = [
  ["Marisol Quintero-Abernathy", "marisol.quintero@fastmail.example", "+44 20 7946 0958", "mquintero"],
  ["Tiago de Almeida Ferreira", "T.Ferreira@Mailbox.example", "(415) 555-0134", "tferreira-dev"],
  ["Oluwaseun Adeyemi-Hart", "seun.hart@proton.example", "0049 30 12345678", "seunhart"],
  ["Ingrid Solveig Halvorsen", "ingrid.halvorsen@posteo.example", "+47 412 34 567", "ihalvorsen"],
  ["Priyanka Raghunathan", "priyanka.r@outlook.example", "+91 98765 43210", "praghunathan"],
  ["Kwabena Owusu-Mensah", "kwabena@owusu-mensah.example", "+233 24 412 3456", "kowusumensah"],
  ["Zofia Wiśniewska", "zofia.wisniewska@onet.example", "+48 512 345 678", "zwisniewska"],
  ["Émile Beauchamp-Laurent", "emile.bl@orange.example", "+33 6 12 34 56 78", "ebeauchamp"],
  ["Hiroshi Takamura", "h.takamura@docomo.example", "+81 90-1234-5678", "htakamura"],
  ["Niamh O'Sullivan", "niamh.osullivan@eircom.example", "+353 (0)87 123 4567", "niamhos"],
  ["Mateus Carvalho Nunes", "mateus.nunes@uol.example", "+55 11 91234-5678", "mcnunes"],
  ["Aigerim Bekova", "aigerim.bekova@mail.example", "+7 701 234 5678", "abekova"],
] as const;

const ADDRESSES = [
  ["14 Larkspur Gardens", "N1 9GU"],
  ["2207 Alder Street, Apt 5", "94110"],
  ["Kastanienallee 41", "10435"],
] as const;

/** The eval CV with person `i`'s details in basics and repeated in the summary. */
const personalised = (cv: Resume, i: number): Resume => {
  const [name, email, phone, username] = PEOPLE[i % PEOPLE.length]!;
  const [address, postalCode] = ADDRESSES[i % ADDRESSES.length]!;
  const first = name.split(" ")[0]!;
  return {
    ...cv,
    basics: {
      ...cv.basics,
      name,
      email,
      phone,
      url: `https://${username}.dev`,
      location: { ...cv.basics?.location, address, postalCode },
      profiles: [
        { network: "GitHub", username, url: `https://github.com/${username}` },
        { network: "LinkedIn", username, url: `https://www.linkedin.com/in/${username}` },
      ],
      summary: `${name} — ${cv.basics?.summary ?? "engineer."} Reach ${first} on ${phone} or ${email.toUpperCase()}.`,
    },
  };
};

interface Case {
  readonly label: string;
  readonly cv: Resume;
  /** The JSON Resume job file, sent as is. */
  readonly posting: Posting;
  readonly form: (typeof FORMS)[number];
  readonly engine: (typeof ENGINES)[number];
  readonly user: string;
}

const pairs = evalPairs();
const resumeFiles = [...new Set(pairs.map((p) => p.resume))].sort();
const cvOf = new Map(resumeFiles.map((f) => [f, loadResume(f)]));
const cases: Case[] = [];
for (const [i, pair] of pairs.entries()) {
  for (const form of FORMS)
    for (const engine of ENGINES)
      cases.push({
        label: `${pair.resume} × ${pair.jobJson} (${form}, ${engine})`,
        cv: cvOf.get(pair.resume)!,
        posting: loadJob(pair.jobJson),
        form,
        engine,
        user: `eval-${i}`,
      });
}
// Each CV once more with realistic details, against its first posting.
for (const [i, file] of resumeFiles.entries()) {
  const pair = pairs.find((p) => p.resume === file)!;
  for (const form of FORMS)
    for (const engine of ENGINES)
      cases.push({
        label: `${file} personalised × ${pair.jobJson} (${form}, ${engine})`,
        cv: personalised(cvOf.get(file)!, i),
        posting: loadJob(pair.jobJson),
        form,
        engine,
        user: `person-${i}`,
      });
}

/** Each CV, as it is and personalised (JSON and text), against a model that fails (Bedrock only). */
const unreliableCases: Case[] = resumeFiles.flatMap((file, i) => {
  const pair = pairs.find((p) => p.resume === file)!;
  const posting = loadJob(pair.jobJson);
  const cv = cvOf.get(file)!;
  const person = personalised(cv, i);
  return [
    { label: `${file} × ${pair.jobJson} (json, unreliable model)`, cv, form: "json" as const },
    { label: `${file} personalised (json, unreliable model)`, cv: person, form: "json" as const },
    { label: `${file} personalised (text, unreliable model)`, cv: person, form: "text" as const },
  ].map((c, k) => ({ ...c, posting, engine: "bedrock" as const, user: `unreliable-${i}-${k}` }));
});
const allCases = [...cases, ...unreliableCases];

/** The text form alternates the renderer's heading and date styles. */
const cvBody = (c: Case, i: number): Resume | string =>
  c.form === "json"
    ? c.cv
    : renderResumeText(c.cv, {
        headings: i % 2 === 0 ? "markdown" : "plain",
        dates: (["month", "iso", "slash"] as const)[i % 3]!,
      });

// ---------------------------------------------------------------- what must not appear

const strings = (value: unknown, out: string[] = []): string[] => {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) strings(v, out);
  return out;
};
const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Whole words, any case, any whitespace between them. */
const wordPattern = (value: string): RegExp =>
  new RegExp(`(?<![\\p{L}\\p{N}_])${value.trim().split(/\s+/).map(escapeRe).join("\\s+")}(?![\\p{L}\\p{N}_])`, "iu");
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/**
 * What a phone number's digits look like with the separators people use taken
 * out. Ids (request, job, correlation) are taken out first: joined up, their
 * digits could spell any short number by chance.
 */
const phoneDigits = (text: string): string => text.replace(UUID, "|").replace(/[\s().\-/+]/g, "");

interface PiiValue {
  readonly kind: string;
  readonly value: string;
  /** Does `text` contain it? */
  readonly in: (text: string) => boolean;
}

const NAME_PARTICLES = new Set(["de", "da", "del", "der", "di", "du", "la", "le", "van", "von", "bin", "al"]);

/**
 * A CV's PII: e-mail (any case), phone (as written, and its digits with and
 * without the country code, whatever the separators), the name and each part
 * of it of three letters or more (whole words, any case), profile user names
 * and URLs, the personal URL, street address and a postcode with letters.
 */
const piiOf = (cv: Resume): PiiValue[] => {
  const b = cv.basics ?? {};
  const out: PiiValue[] = [];
  const substring = (kind: string, value: string | undefined, min = 3): void => {
    const v = value?.trim();
    if (v && v.length >= min) out.push({ kind, value: v, in: (t) => t.toLowerCase().includes(v.toLowerCase()) });
  };
  const whole = (kind: string, value: string | undefined): void => {
    const v = value?.trim();
    if (v && v.length >= 3) {
      const re = wordPattern(v);
      out.push({ kind, value: v, in: (t) => re.test(t) });
    }
  };
  substring("email", b.email);
  if (typeof b.phone === "string" && b.phone.trim() !== "") {
    substring("phone", b.phone);
    const all = b.phone.replace(/\(0\)/g, "").replace(/\D/g, "");
    const forms = new Set([all]);
    const international = /^\s*(\+|00)\s*(\d{1,3})[\s().-]/.exec(b.phone);
    if (international) forms.add(all.slice((international[1] === "00" ? 2 : 0) + international[2]!.length));
    for (const digits of forms)
      if (digits.length >= 7)
        out.push({ kind: "phone digits", value: digits, in: (t) => phoneDigits(t).includes(digits) });
  }
  whole("name", b.name);
  const parts = (b.name ?? "")
    .split(/[\s-]+/)
    .map((p) => p.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ""))
    .filter((p) => p.length >= 3 && !NAME_PARTICLES.has(p.toLowerCase()));
  for (const part of new Set(parts)) if (part !== b.name?.trim()) whole("name part", part);
  for (const p of b.profiles ?? []) {
    substring("username", typeof p.username === "string" ? p.username.replace(/^@/, "") : undefined);
    substring(
      "profile url",
      typeof p.url === "string" ? p.url.replace(/^https?:\/\//, "").replace(/\/$/, "") : undefined,
    );
  }
  substring("url", typeof b.url === "string" ? b.url.replace(/^https?:\/\//, "").replace(/\/$/, "") : undefined);
  whole("address", b.location?.address);
  // A postcode with letters ("N1 9GU"); a bare number ("94110") could be any count or size in a log line.
  if (/\p{L}/u.test(b.location?.postalCode ?? "")) whole("postal code", b.location?.postalCode);
  // One check per distinct value.
  return [...new Map(out.map((v) => [`${v.kind}\u0000${v.value.toLowerCase()}`, v])).values()];
};

/** Every run of SHINGLE consecutive words of `text`. */
const shingles = (text: string): string[] => {
  const w = words(text);
  const out: string[] = [];
  for (let i = 0; i + SHINGLE <= w.length; i++) out.push(w.slice(i, i + SHINGLE).join(" "));
  return out;
};

// ---------------------------------------------------------------- the run

interface Submitted {
  readonly c: Case;
  readonly jobId: string;
  readonly body: unknown;
  job?: { status: string; error?: { code: string } };
}
interface ModelRequest {
  readonly modelId?: string;
  readonly status?: number;
  readonly body: unknown;
}

const recordDir = mkdtempSync(join(tmpdir(), "cvpipe-privacy-"));
/** Powertools at its most verbose: TRACE, and the invocation event too if it would log it. */
const VERBOSE = { POWERTOOLS_LOG_LEVEL: "TRACE", POWERTOOLS_LOGGER_LOG_EVENT: "true", ENABLE_PII_REDACTION: "true" };
let stack: TestStack | undefined;
let good: Submitted[] = [];
let unreliable: Submitted[] = [];
let logLines: string[] = [];
let modelRequests: ModelRequest[] = [];
const countOf = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

/** Everything written to stdout and stderr while `fn` runs (which can read it so far), kept from the terminal. */
const capture = async (fn: (output: () => string) => Promise<void>): Promise<string> => {
  let output = "";
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const grab = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    (rest.find((r) => typeof r === "function") as (() => void) | undefined)?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = grab;
  process.stderr.write = grab;
  try {
    await fn(() => output);
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
  return output;
};

/** Submits every case (a user per CV–posting pair: groups run in parallel) and waits for each job to end. */
const run = async (api: ApiClient, list: readonly Case[]): Promise<Submitted[]> => {
  const out: Submitted[] = [];
  for (const [i, c] of list.entries()) {
    const body = { cv: cvBody(c, i), job: c.posting, options: { engine: c.engine } };
    const res = await api.request("POST", "/v1/jobs", { body, user: c.user });
    if (res.status !== 202) throw new Error(`${c.label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    out.push({ c, jobId: res.body.data.jobId, body });
  }
  for (const sub of out) sub.job = await api.waitForJob(sub.jobId, { user: sub.c.user, timeoutMs: 300_000 });
  return out;
};

/** The analytics worker folds each job's outcome event: its lines are inspected too, so wait for them. */
const untilOutcomesFolded = async (output: () => string, jobs: number): Promise<void> => {
  const deadline = Date.now() + 60_000;
  while (countOf(output(), /"message":"event recorded"/g) < jobs && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
};

const readRequests = (file: string): ModelRequest[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as ModelRequest);

test.before(async () => {
  // 1. The eval set, in this process (startTestStack), with the stack's own Bedrock stand-in: a good model.
  const goodRecord = join(recordDir, "good.jsonl");
  Object.assign(process.env, VERBOSE, { [RECORD_FILE_ENV]: goodRecord });
  const output = await capture(async (sofar) => {
    stack = await startTestStack({ clockStart: CLOCK_START });
    good = await run(stack.api, cases);
    await untilOutcomesFolded(sofar, good.length);
    await stack.stop();
  });
  const goodLines = [...output.split("\n"), ...(stack?.lines ?? [])];

  // 2. The same CVs against a model that fails in every way it can (its own process: one model id per
  // process), so each failure's log line is inspected too. Its stdout and stderr are the handlers'.
  const unreliableRecord = join(recordDir, "unreliable.jsonl");
  const settings = await testSettings();
  const child = spawnStack(settings, {
    ...VERBOSE,
    [RECORD_FILE_ENV]: unreliableRecord,
    BEDROCK_MODEL_ID: "local.cvpipe-scenario-unreliable",
    // The same clock as this process mints tokens on.
    [CLOCK_OFFSET_ENV]: process.env[CLOCK_OFFSET_ENV] ?? "0",
  });
  try {
    await waitReady(child);
    unreliable = await run(child.api(), unreliableCases);
    await untilOutcomesFolded(child.output, unreliable.length);
  } finally {
    await child.stop();
    rmSync(settings.dataDir, { recursive: true, force: true });
  }
  logLines = [...goodLines, ...child.output().split("\n")].filter((l) => l.trim() !== "");
  modelRequests = [...readRequests(goodRecord), ...readRequests(unreliableRecord)];
});

test.after(async () => {
  await stack?.close();
  rmSync(recordDir, { recursive: true, force: true });
});

/** A log line's text as written and with its JSON strings decoded (escapes undone). */
const lineTexts = (line: string): string[] => {
  try {
    return [line, ...strings(JSON.parse(line))];
  } catch {
    return [line];
  }
};

/** Some text around the first case-insensitive occurrence of `value` (for failure messages). */
const around = (text: string, value: string): string => {
  const at = text.toLowerCase().indexOf(value.toLowerCase());
  return at < 0 ? text.slice(0, 200) : text.slice(Math.max(0, at - 160), at + value.length + 160);
};

/** Leaks found: how many, and the first few described. */
class Leaks {
  count = 0;
  readonly shown: string[] = [];
  add(describe: () => string): void {
    if (this.count++ < 10) this.shown.push(describe());
  }
}

/** Every CV submitted (the eval CVs, personalised or not), each with its PII. */
const allPii = (): { cv: Resume; values: PiiValue[] }[] =>
  [...new Set(allCases.map((c) => c.cv))].map((cv) => ({ cv, values: piiOf(cv) }));

/**
 * Name parts that are also ordinary words of a posting, the prompt or some CV's
 * own text outside basics: the eval set's "Candidate" (of "Candidate 01"), which
 * one CV's "Doctor of Philosophy (candidate, all but dissertation)" rightly
 * sends to the model. In model requests such a part is looked for only as part
 * of the whole name.
 */
const ordinaryWords = new Set(
  [
    ...allCases.flatMap((c) => [c.posting.title ?? "", c.posting.company ?? "", postingView(c.posting).description]),
    ...allCases.flatMap((c) => strings({ ...c.cv, basics: undefined })),
    ...Object.values(DEFAULT_PROMPT_TEMPLATES),
  ].flatMap(words),
);

const figures: Record<string, number | string> = {};
const byCode = (list: readonly Submitted[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const s of list) {
    const key = s.job!.error?.code ?? s.job!.status;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
};

// ---------------------------------------------------------------- the checks

test("the eval set succeeds on both engines; the model got placeholders; the logs are at TRACE", () => {
  assert.is(good.length, cases.length);
  assert.equal(
    good.filter((s) => s.job!.status !== "SUCCEEDED").map((s) => `${s.c.label}: ${s.job!.error?.code}`),
    [],
  );
  const bedrockJobs = good.filter((s) => s.c.engine === "bedrock").length;
  const goodRequests = modelRequests.filter((r) => !r.modelId?.includes("scenario-unreliable"));
  assert.is(goodRequests.filter((r) => r.status === 200).length, bedrockJobs, "one Converse call per Bedrock job");
  // Redaction ran: every request carries the CV's e-mail as a placeholder.
  for (const r of modelRequests) assert.match(strings(r.body).join("\n"), /\[EMAIL_1\]/);
  const levels = new Set(logLines.flatMap((l) => /"level":"([A-Z]+)"/.exec(l)?.[1] ?? []));
  assert.ok(levels.has("DEBUG"), `levels seen: ${[...levels].join(", ")}`);
  figures["jobs (eval set, good model)"] = good.length;
  figures["of which Bedrock"] = bedrockJobs;
});

test("against a model that misbehaves every jobs fails, and each failure is logged", () => {
  assert.is(unreliable.length, unreliableCases.length);
  const codes = byCode(unreliable);
  assert.equal(Object.keys(codes).sort(), ["ENGINE_OUTPUT_INVALID", "UNGROUNDED_CLAIM"], JSON.stringify(codes));
  const failureLines = logLines.filter((l) => l.includes('"message":"job failed"')).length;
  assert.ok(failureLines >= unreliable.length, `${failureLines} "job failed" lines for ${unreliable.length} jobs`);
  figures["jobs (unreliable model)"] = `${unreliable.length} ${JSON.stringify(codes)}`;
});

test("the checks see PII and CV text where they are: in what the producer sent", () => {
  for (const s of [...good, ...unreliable]) {
    const sent = JSON.stringify(s.body);
    assert.ok(
      piiOf(s.c.cv).some((v) => v.kind === "email" && v.in(sent)),
      `${s.c.label}: the e-mail check misses the e-mail in the request`,
    );
    const cvText = new Set(strings(s.c.cv).flatMap(shingles));
    assert.ok(
      shingles(strings(s.body).join("\n")).some((g) => cvText.has(g)),
      `${s.c.label}: the CV-text check misses the CV in the request`,
    );
  }
  const person = piiOf(personalised(cvOf.get(resumeFiles[0]!)!, 0));
  const phone = person.filter((v) => v.kind === "phone digits");
  assert.is(phone.length, 2, "+44 20 7946 0958: with and without the country code");
  assert.ok(
    phone.every((v) => v.in("call 020-7946-0958 or +44 (20) 79460958")),
    "national and spaced forms",
  );
  assert.ok(
    person.some((v) => v.kind === "name part" && v.in("QUINTERO wrote")),
    "a name part in capitals",
  );
  assert.ok(
    person.some((v) => v.kind === "email" && v.in("MARISOL.QUINTERO@FASTMAIL.EXAMPLE")),
    "e-mail in capitals",
  );
  assert.not.ok(
    person.some((v) => v.in("Linux kernel maintainer; Gardens; Marisolé")),
    "name parts and addresses as whole words only",
  );
});

test("no PII of any CV in any log line", () => {
  const pii = allPii();
  const leaks = new Leaks();
  for (const line of logLines) {
    const texts = lineTexts(line);
    for (const { values } of pii)
      for (const v of values)
        if (texts.some(v.in)) leaks.add(() => `${v.kind} ${JSON.stringify(v.value)} in: ${around(line, v.value)}`);
  }
  figures["log lines inspected"] = logLines.length;
  figures["PII values checked"] = pii.reduce((n, p) => n + p.values.length, 0);
  figures["PII found in log lines"] = leaks.count;
  assert.equal(leaks.shown, [], `${leaks.count} leak(s)`);
});

test("no PII of any CV in any model request", () => {
  const leaks = new Leaks();
  const ordinary = new Set<string>();
  const pii = allPii();
  for (const request of modelRequests) {
    const text = strings(request.body).join("\n");
    for (const { values } of pii)
      for (const v of values) {
        if (v.kind === "name part" && ordinaryWords.has(v.value.toLowerCase())) {
          ordinary.add(v.value);
          continue;
        }
        if (v.in(text)) leaks.add(() => `${v.kind} ${JSON.stringify(v.value)} in: …${around(text, v.value)}…`);
      }
  }
  figures["model requests inspected"] = modelRequests.length;
  figures["PII found in model requests"] = leaks.count;
  assert.equal(leaks.shown, [], `${leaks.count} leak(s)`);
  // Only the eval set's "Candidate" may be such a word: every realistic name part is looked for.
  assert.equal([...ordinary], ["Candidate"]);
});

test(`no run of ${SHINGLE} words of any CV or posting in any log line`, () => {
  const source = new Map<string, string>();
  for (const c of allCases) {
    for (const s of strings(c.cv)) for (const g of shingles(s)) source.set(g, "CV");
    for (const g of shingles(postingView(c.posting).description)) source.set(g, "posting");
  }
  const leaks = new Leaks();
  for (const line of logLines)
    for (const t of lineTexts(line))
      for (const g of shingles(t)) {
        const from = source.get(g);
        if (from !== undefined) leaks.add(() => `${from} text "${g}" in: ${around(line, g.split(" ")[0]!)}`);
      }
  figures[`${SHINGLE}-word runs of CV and posting text checked`] = source.size;
  figures["CV or posting text found in log lines"] = leaks.count;
  assert.equal(leaks.shown, [], `${leaks.count} leak(s)`);
});

// The counts, printed once every check above ran (a hook, not a test: it asserts nothing).
test.after(() => {
  console.log(
    Object.entries(figures)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join("\n"),
  );
});

test.run();
