/**
 * `cvpipe`: the operator and producer CLI.
 *   pnpm cvpipe <command> [options]      (pnpm cvpipe help)
 */

import { ValidationError } from "@cvpipe/core/errors";
import { cvsCommand, cvsHelp } from "./commands/cvs.ts";
import { dlqCommand, dlqHelp } from "./commands/dlq.ts";
import { housekeepingCommand, housekeepingHelp } from "./commands/housekeeping.ts";
import { jobsCommand, jobsHelp } from "./commands/jobs.ts";
import { logsCommand, logsHelp } from "./commands/logs.ts";
import { queuesCommand, queuesHelp } from "./commands/queues.ts";
import { reportCommand, reportHelp } from "./commands/report.ts";
import { token, tokenHelp } from "./commands/token.ts";
import { usersCommand, usersHelp } from "./commands/users.ts";
import { verifyCommand, verifyHelp } from "./commands/verify.ts";
import { ApiRefusal } from "./producer-api.ts";
import { StackNotFoundError, UsageError } from "./stack-info.ts";

type Command = { run: (args: string[]) => Promise<void>; help: string };

const commands: Record<string, Command> = {
  token: { run: token, help: tokenHelp },
  queues: { run: queuesCommand, help: queuesHelp },
  dlq: { run: dlqCommand, help: dlqHelp },
  jobs: { run: jobsCommand, help: jobsHelp },
  logs: { run: logsCommand, help: logsHelp },
  cvs: { run: cvsCommand, help: cvsHelp },
  housekeeping: { run: housekeepingCommand, help: housekeepingHelp },
  users: { run: usersCommand, help: usersHelp },
  report: { run: reportCommand, help: reportHelp },
  verify: { run: verifyCommand, help: verifyHelp },
};

const usage = () =>
  `usage: pnpm cvpipe <command> [options]\n\n${Object.values(commands)
    .map((c) => c.help)
    .join("\n\n")}`;

const [name, ...args] = process.argv.slice(2);
if (!name || name === "help" || name === "--help" || name === "-h") {
  console.log(usage());
} else {
  const command = commands[name];
  if (!command) {
    console.error(`cvpipe: unknown command "${name}"\n\n${usage()}`);
    process.exitCode = 2;
  } else {
    try {
      await command.run(args);
    } catch (error) {
      const e = error as Error & { code?: string };
      if (e instanceof StackNotFoundError) {
        console.error(`cvpipe ${name}: ${e.message}`);
        process.exitCode = 2;
      } else if (
        e instanceof UsageError ||
        e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ||
        e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" ||
        e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
      ) {
        console.error(`cvpipe ${name}: ${e.message}\n\n${command.help}`);
        process.exitCode = 2;
      } else if (e instanceof ApiRefusal) {
        console.error(`cvpipe ${name}: the API refused: ${e.message}`);
        process.exitCode = 1;
      } else if (e instanceof ValidationError) {
        console.error(`cvpipe ${name}: ${e.issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`);
        process.exitCode = 2;
      } else if (e.code === "ECONNREFUSED" || /ECONNREFUSED/.test(e.message)) {
        console.error(
          `cvpipe ${name}: nothing answers at the stack's endpoints (${e.message}); is "pnpm start" still running?`,
        );
        process.exitCode = 1;
      } else {
        console.error(`cvpipe ${name}: ${e.name}: ${e.message}`);
        process.exitCode = 1;
      }
    }
  }
}
