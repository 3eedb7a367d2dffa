import { Writable } from "node:stream";
import { pino, type Logger, type DestinationStream } from "pino";
import pretty from "pino-pretty";
import type { LogLevel } from "../../config.js";
import { redactSecrets } from "./redact.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly pretty: boolean;
  /** Values that must never be written, such as the bot token. */
  readonly secrets: readonly string[];
  /** Where lines go; standard output unless a test captures them. */
  readonly destination?: NodeJS.WritableStream;
}

/** A stream that scrubs secrets from each chunk before passing it on. */
export function redactingStream(target: NodeJS.WritableStream, secrets: readonly string[]): DestinationStream {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(redactSecrets(chunk.toString(), secrets));
      callback();
    },
  });
}

/** JSON logs by default, human-readable ones in a terminal; never the token. */
export function createLogger(options: LoggerOptions): Logger {
  const target = options.destination ?? process.stdout;
  const sink = options.pretty
    ? pretty({ colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname", destination: target })
    : target;
  return pino({ level: options.level, base: { app: "vidlib" } }, redactingStream(sink, options.secrets));
}
