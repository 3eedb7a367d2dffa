import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { BotProcess } from "./bot-process.js";

const VIDLIB = fileURLToPath(new URL("../../bin/vidlib.js", import.meta.url));

/**
 * Whether worker processes can get machines of their own here: a mount namespace (so the library share is
 * mounted at another path and the primary's path does not exist for them) and a network namespace (so they
 * reach nothing but the database's socket). Needs root and unshare; otherwise workers are plain processes
 * that see the share through a symlink at their own path.
 */
export function isolationAvailable(): { ok: true } | { ok: false; why: string } {
  if (process.platform !== "linux") return { ok: false, why: "not Linux" };
  if (process.getuid?.() !== 0) return { ok: false, why: "not root" };
  const probe = spawnSync("unshare", ["--mount", "--net", "--propagation", "private", "sh", "-c", "mount -t tmpfs tmpfs /mnt && umount /mnt"], { encoding: "utf8" });
  return probe.status === 0 ? { ok: true } : { ok: false, why: `unshare refused: ${(probe.stderr || probe.error?.message || "").trim()}` };
}

export interface WorkerMachine {
  /** How /workers names it. */
  readonly name: string;
  /** The library folder as the primary sees it (the share). */
  readonly share: string;
  /** Where this machine mounts the share. */
  readonly mountAt: string;
  /** Hidden on this machine when isolated (a folder holding the share, not the mount point nor anything else the worker needs). */
  readonly hide: string;
  readonly env: Record<string, string>;
  readonly roles?: string;
  readonly isolate: boolean;
}

/**
 * `vidlib worker` on a machine of its own: in its own mount and network namespaces the share is bind-mounted
 * at `mountAt` and the primary's folder is hidden under an empty tmpfs; without isolation, `mountAt` is a
 * symlink to the share.
 */
export function startWorker(machine: WorkerMachine, cwd: string): BotProcess {
  const worker = [VIDLIB, "worker", "--roles", machine.roles ?? "convert", "--name", machine.name];
  const env = { ...machine.env };
  if (!machine.isolate) {
    mkdirSync(dirname(machine.mountAt), { recursive: true });
    try { symlinkSync(machine.share, machine.mountAt, "dir"); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; }
    return new BotProcess(env, cwd, { file: process.execPath, args: worker });
  }
  mkdirSync(machine.mountAt, { recursive: true });
  const script = 'set -e; mount --bind "$CLUSTER_SHARE" "$CLUSTER_MOUNT"; mount -t tmpfs tmpfs "$CLUSTER_HIDE"; exec "$@"';
  return new BotProcess({ ...env, CLUSTER_SHARE: machine.share, CLUSTER_MOUNT: machine.mountAt, CLUSTER_HIDE: machine.hide }, cwd,
    { file: "unshare", args: ["--mount", "--net", "--propagation", "private", "sh", "-c", script, "worker", process.execPath, ...worker] });
}
