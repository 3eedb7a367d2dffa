import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

/** A name for one job runner in this process, as recorded on the leases it holds: "host:pid:random". */
export function newProcessOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

