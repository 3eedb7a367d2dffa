import { execFileSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./temp-dir.js";

/**
 * The real ffprobe behind a gate the test opens: each probe waits until its file (by name) or every
 * file is let through, so a test can hold a scan in the middle of reading and look at it there.
 */
export class ProbeGate {
  private readonly tmp = makeTempDir("vidlib-gate-");
  /** Pass as FFPROBE_PATH. */
  readonly ffprobePath = join(this.tmp.dir, "ffprobe-gated.sh");

  constructor() {
    const real = execFileSync("sh", ["-c", "command -v ffprobe"], { encoding: "utf8" }).trim();
    // The file is ffprobe's last argument (after "--"). The wait is for a file the test creates, not a time.
    writeFileSync(this.ffprobePath, [
      "#!/bin/sh",
      "for last; do :; done",
      `gate='${this.tmp.dir}'`,
      "name=$(basename \"$last\")",
      "while [ -d \"$gate\" ] && [ ! -e \"$gate/open-all\" ] && [ ! -e \"$gate/open-$name\" ]; do sleep 0.05; done",
      `exec '${real}' "$@"`,
      "",
    ].join("\n"));
    chmodSync(this.ffprobePath, 0o755);
  }

  /** Lets the probes of these file names (not paths) through. */
  release(...fileNames: string[]): void {
    for (const name of fileNames) writeFileSync(join(this.tmp.dir, `open-${name}`), "");
  }

  /** Lets every probe through, now and later. */
  open(): void {
    writeFileSync(join(this.tmp.dir, "open-all"), "");
  }

  cleanup(): void {
    this.open();
    this.tmp.cleanup();
  }
}
