import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * Finds a program the way the shell would: a path as given, otherwise each PATH folder (with PATHEXT on
 * Windows). Null when there is none. fluent-ffmpeg crashes the process on a spawn error, so the adapter
 * must know before it runs anything.
 */
export function findExecutable(program: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const windows = process.platform === "win32";
  const extensions = windows ? ["", ...(env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";").map((e) => e.toLowerCase())] : [""];
  const candidates = isAbsolute(program) || program.includes("/") || program.includes("\\")
    ? extensions.map((ext) => program + ext)
    : (env.PATH ?? "").split(delimiter).filter((d) => d !== "").flatMap((dir) => extensions.map((ext) => join(dir, program + ext)));
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, windows ? constants.F_OK : constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
