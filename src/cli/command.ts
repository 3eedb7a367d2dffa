import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import type { Config } from "../config.js";

export type Out = (text: string) => void;

/** The exit codes of every command (README, Command line). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A mistake in how a command was called: exit 2, with the command's usage. */
export class UsageError extends Error {
  override name = "UsageError";
}

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

interface CommandSpec<O extends ParseArgsOptionsConfig> {
  /** One line for `vidlib help`. */
  readonly summary: string;
  /** The whole help text, for `vidlib help <command>` and `vidlib <command> --help`. */
  readonly usage: string;
  readonly options: O;
  /** How many plain arguments it takes at most; more is a usage error. */
  readonly positionals?: number;
  /** Whether `vidlib <command> help` shows the help too (commands with sub-commands). */
  readonly helpWord?: boolean;
  readonly run: (config: Config, args: Parsed<O>, out: Out, err: Out) => Promise<number> | number;
}

/** A command whose arguments are checked before the configuration is loaded. */
export interface CliCommand {
  readonly summary: string;
  readonly usage: string;
  /** Parses the arguments (a UsageError or node's own parse error if they are wrong): the help, or the work to run. */
  prepare(args: string[]): "help" | ((config: Config, out: Out, err: Out) => Promise<number> | number);
}

export function defineCommand<const O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>): CliCommand {
  return {
    summary: spec.summary,
    usage: spec.usage,
    prepare(args) {
      const options: ParseArgsOptionsConfig = { ...spec.options, help: { type: "boolean", short: "h" } };
      const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
      if (parsed.values.help === true || (spec.helpWord === true && parsed.positionals[0] === "help")) return "help";
      const extra = parsed.positionals.slice(spec.positionals ?? 0);
      if (extra.length > 0) throw new UsageError(`unexpected argument${extra.length > 1 ? "s" : ""}: ${extra.join(" ")}`);
      // The same call with `options` typed as O: its result has O's option types.
      return (config, out, err) => spec.run(config, parsed as unknown as Parsed<O>, out, err);
    },
  };
}

/** node:util parseArgs reports an unknown option or a missing value as a TypeError with one of these codes. */
export function isUsageError(e: unknown): e is Error {
  return e instanceof UsageError || (e instanceof TypeError && String((e as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS_"));
}
