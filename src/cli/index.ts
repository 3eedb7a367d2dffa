import { ConfigError, environmentWithDotenv, loadConfig, type Config } from "../config.js";
import { redactProcessOutput, redactSecrets } from "../infra/logging/redact.js";
import { EXIT, isUsageError, type CliCommand, type Out } from "./command.js";
import { COMMANDS } from "./commands.js";

const USAGE = `Usage: vidlib <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`).join("\n")}
  help      show this text; vidlib help <command> (or vidlib <command> --help) shows a command's options

Exit codes: 0 success; 1 the work failed or needs attention; 2 a usage or configuration error
(scan: 130 when stopped with Ctrl+C).
Settings come from the environment and .env, as for the bot (see README).`;

function commandNamed(name: string): CliCommand | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name as keyof typeof COMMANDS] : undefined;
}

function loadCliConfig(err: Out): Config | null {
  try {
    // Every command runs without a token or admins (the doctor says what is missing); the bot never does.
    return loadConfig(environmentWithDotenv(process.env, process.cwd()), process.cwd(), { requireToken: false, requireAdmins: false });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    err(e.message);
    return null;
  }
}

/** Runs one CLI command and returns its exit code: 0 done, 1 the work failed or needs attention, 2 usage or configuration. */
export async function runCli(args: readonly string[], out: Out, err: Out): Promise<number> {
  const [name = "help", ...rest] = args;
  if (name === "help" || name === "--help" || name === "-h") {
    const topic = rest[0] === undefined ? undefined : commandNamed(rest[0]);
    if (rest[0] !== undefined && topic === undefined) {
      err(`Unknown command "${rest[0]}".\n\n${USAGE}`);
      return EXIT.usage;
    }
    out(topic?.usage ?? USAGE);
    return EXIT.ok;
  }
  const command = commandNamed(name);
  if (command === undefined) {
    err(`Unknown command "${name}".\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    const work = command.prepare(rest);
    if (work === "help") {
      out(command.usage);
      return EXIT.ok;
    }
    const config = loadCliConfig(err);
    return config === null ? EXIT.usage : await work(config, out, err);
  } catch (e) {
    if (!isUsageError(e)) throw e;
    // node's hint about `--` is for commands that take arguments starting with a dash; none does.
    err(`vidlib ${name}: ${e.message.replace(/ To specify a positional argument.*$/su, "")}\n\n${command.usage}`);
    return EXIT.usage;
  }
}

export async function cliMain(): Promise<void> {
  const write = (stream: NodeJS.WriteStream) => (text: string) => stream.write(`${text}\n`);
  redactProcessOutput([]);
  try {
    process.exitCode = await runCli(process.argv.slice(2), write(process.stdout), write(process.stderr));
  } catch (e) {
    process.stderr.write(`vidlib: ${redactSecrets(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = EXIT.failed;
  }
}
