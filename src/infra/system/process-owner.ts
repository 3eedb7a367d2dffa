import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { ownerParts } from "../../services/sync/owner.js";

/** A name for one job runner in this process, as recorded on the leases it holds: "host:pid:random". */
export function newProcessOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}


/**
 * Whether the process that holds a lease is known to be gone: it ran on this machine and no process has
 * its id any more. A process on another machine, or one still running, is not known to be gone.
 */
export function ownerIsGone(owner: string): boolean {
  const parts = ownerParts(owner);
  if (parts === null || parts.host !== hostname() || parts.pid === process.pid) return false;
  try {
    process.kill(parts.pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}
