import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { HANG_GUARD_MS } from "./patience.js";

const MAIN = fileURLToPath(new URL("../../dist/src/main.js", import.meta.url));

export interface Exit { readonly code: number | null; readonly signal: NodeJS.Signals | null }

/** How to start a process other than the bot: a program and its arguments (the bot by default). */
export interface Command { readonly file: string; readonly args: readonly string[] }

/** The built bot as a separate process (`node dist/src/main.js`), as `npm start` runs it; or another command, watched the same way. */
export class BotProcess {
  private out = "";
  private readonly child: ChildProcess;
  readonly exited: Promise<Exit>;

  constructor(env: Record<string, string>, cwd: string, command: Command = { file: process.execPath, args: [MAIN] }) {
    this.child = spawn(command.file, [...command.args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_FORMAT: "json", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (chunk: Buffer) => { this.out += chunk.toString(); });
    this.child.stderr?.on("data", (chunk: Buffer) => { this.out += chunk.toString(); });
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
  }

  /** Everything the process wrote to standard output and error. */
  get output(): string {
    return this.out;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves once a line of output matches, or rejects with the output so far. */
  async waitForOutput(pattern: RegExp, timeoutMs = HANG_GUARD_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.out)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${this.out}`);
      if (this.child.exitCode !== null) throw new Error(`process exited (${this.child.exitCode}) before ${pattern}; output:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
