import { Cron } from "croner";
import { hostname } from "node:os";
import type { Logger } from "../infra/logging/logger.js";
import { PRESENCE_BEAT_MS, type ProcessRegistry } from "../services/processes/process-registry.js";

/**
 * This process in the process registry: announced at start under its lease owner name, a beat every few
 * seconds (croner), and a goodbye at a graceful stop, so /workers shows it and a silent one is reported.
 */
export class Presence {
  private cron: Cron | null = null;

  constructor(private readonly registry: ProcessRegistry, private readonly owner: string, private readonly logger: Logger) {}

  async start(info: { name: string; role: "primary" | "worker"; kinds: readonly string[] }): Promise<void> {
    await this.registry.announce({ id: this.owner, ...info, host: hostname(), pid: process.pid });
    const seconds = Math.max(1, Math.round(PRESENCE_BEAT_MS / 1000));
    this.cron = new Cron(`*/${seconds} * * * * *`, { catch: true, unref: true }, () => {
      this.registry.beat(this.owner).catch((err: unknown) => this.logger.warn({ err }, "could not record this process's heartbeat"));
    });
  }

  async stop(): Promise<void> {
    this.cron?.stop();
    this.cron = null;
    await this.registry.goodbye(this.owner);
  }
}
