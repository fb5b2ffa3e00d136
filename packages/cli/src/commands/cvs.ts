import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { expectStatus, PRODUCER_OPTIONS, producerApi, readCvFile } from "../producer-api.ts";
import { UsageError } from "../stack-info.ts";

export const cvsHelp = `cvpipe cvs upload --tenant T --user U FILE [--cv-id ID] [--idempotency-key K] [--json]
cvpipe cvs list   --tenant T --user U [--limit N] [--cursor C] [--json]
cvpipe cvs get    --tenant T --user U CV_ID [--version N] [--out FILE] [--json]
cvpipe cvs delete --tenant T --user U CV_ID [--json]
  The CV library through the API, as a producer uses it (POST/PUT/GET/DELETE /v1/cvs).
  FILE: a .json file is a JSON Resume CV, anything else (.md, .txt) a text CV.
  upload --cv-id ID stores FILE as the next version of that CV.
  On a deployed stage (CVPIPE_STAGE) set CVPIPE_API_URL and CVPIPE_TOKEN instead of --tenant/--user.`;

export const cvsCommand = async (args: string[]): Promise<void> => {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...PRODUCER_OPTIONS,
      "cv-id": { type: "string" },
      "idempotency-key": { type: "string" },
      version: { type: "string" },
      limit: { type: "string" },
      cursor: { type: "string" },
      out: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  const api = await producerApi(values.tenant, values.user);
  const print = (data: unknown, human: string) => console.log(values.json ? JSON.stringify(data, null, 2) : human);
  switch (sub) {
    case "upload": {
      const file = positionals[0];
      if (!file) throw new UsageError("give the CV file");
      const cv = readCvFile(file);
      const key = values["idempotency-key"];
      const headers = key ? { "idempotency-key": key } : undefined;
      const id = values["cv-id"];
      const answer = expectStatus(
        await api.request(id ? "PUT" : "POST", id ? `/v1/cvs/${encodeURIComponent(id)}` : "/v1/cvs", {
          body: { cv },
          ...(headers ? { headers } : {}),
        }),
        200,
        201,
      );
      const { cvId, version } = answer.body.data as { cvId: string; version: number };
      const how = answer.status === 201 ? "stored" : "already stored (same Idempotency-Key)";
      print(answer.body.data, `${how}: CV ${cvId} version ${version}`);
      return;
    }
    case "list": {
      const query = new URLSearchParams();
      if (values.limit) query.set("limit", values.limit);
      if (values.cursor) query.set("cursor", values.cursor);
      const answer = expectStatus(await api.request("GET", `/v1/cvs${query.size ? `?${query}` : ""}`), 200);
      const page = answer.body.data as {
        items: Array<{ cvId: string; latestVersion: number; format: string; updatedAt: string }>;
        cursor?: string;
      };
      const lines = page.items.map(
        (c) => `${c.cvId}  v${String(c.latestVersion).padEnd(4)} ${c.format.padEnd(11)} ${c.updatedAt}`,
      );
      if (page.items.length === 0) lines.push("no CVs");
      if (page.cursor) lines.push(`more: --cursor ${page.cursor}`);
      print(page, lines.join("\n"));
      return;
    }
    case "get": {
      const id = positionals[0];
      if (!id) throw new UsageError("give the CV id");
      const version = values.version ? `?version=${encodeURIComponent(values.version)}` : "";
      const answer = expectStatus(await api.request("GET", `/v1/cvs/${encodeURIComponent(id)}${version}`), 200);
      const cv = answer.body.data as { cvId: string; version: number; latestVersion: number; cv: unknown };
      if (values.out) {
        writeFileSync(values.out, typeof cv.cv === "string" ? cv.cv : `${JSON.stringify(cv.cv, null, 2)}\n`);
      }
      const human = values.out
        ? `CV ${cv.cvId} version ${cv.version} (latest ${cv.latestVersion}) written to ${values.out}`
        : typeof cv.cv === "string"
          ? cv.cv
          : JSON.stringify(cv.cv, null, 2);
      print(answer.body.data, human);
      return;
    }
    case "delete": {
      const id = positionals[0];
      if (!id) throw new UsageError("give the CV id");
      expectStatus(await api.request("DELETE", `/v1/cvs/${encodeURIComponent(id)}`), 204);
      // 204 has no body: the JSON says what was asked and done, for a script that logs it.
      print({ cvId: id, deleted: true }, `deleted CV ${id} and every version of it`);
      return;
    }
    default:
      throw new UsageError(`unknown cvs command "${sub ?? ""}": use upload, list, get or delete`);
  }
};
