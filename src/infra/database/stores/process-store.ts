import type { DataSource } from "typeorm";
import { Job } from "../../../entities/job.js";
import { ProcessPresence } from "../../../entities/process-presence.js";
import type { HeldJob, ProcessRecord, ProcessStore } from "../../../services/processes/ports.js";
import { inTransaction } from "./transaction.js";

const toRecord = (r: ProcessPresence): ProcessRecord => ({
  id: r.id, name: r.name, role: r.role === "primary" ? "primary" : "worker", kinds: r.kinds === "" ? [] : r.kinds.split(","), host: r.host, pid: r.pid,
  startedAt: r.startedAt, seenAt: r.seenAt, stoppedAt: r.stoppedAt, lostReportedAt: r.lostReportedAt,
});

/** Processes' presence rows, and what the job engine's rows say each runs and ran, through the query builder. */
export class TypeormProcessStore implements ProcessStore {
  constructor(private readonly dataSource: DataSource) {}

  async announce(record: Omit<ProcessRecord, "stoppedAt" | "lostReportedAt">): Promise<void> {
    await this.dataSource.getRepository(ProcessPresence).save({ ...record, kinds: record.kinds.join(","), stoppedAt: null, lostReportedAt: null });
  }

  async seen(id: string, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().update(ProcessPresence).set({ seenAt: now, lostReportedAt: null }).where("id = :id AND stopped_at IS NULL", { id }).execute();
  }

  async stopped(id: string, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().update(ProcessPresence).set({ stoppedAt: now }).where("id = :id", { id }).execute();
  }

  async markLostReported(id: string, seenBefore: number, now: number): Promise<boolean> {
    const result = await this.dataSource.createQueryBuilder().update(ProcessPresence).set({ lostReportedAt: now })
      .where("id = :id AND stopped_at IS NULL AND lost_reported_at IS NULL AND seen_at < :seenBefore", { id, seenBefore }).execute();
    return (result.affected ?? 0) > 0;
  }

  async list(stoppedSince: number): Promise<ProcessRecord[]> {
    const rows = await this.dataSource.getRepository(ProcessPresence).createQueryBuilder("p")
      .where("p.stopped_at IS NULL OR p.stopped_at >= :stoppedSince", { stoppedSince }).orderBy("p.started_at", "DESC").getMany();
    return rows.map(toRecord);
  }

  async held(owners: readonly string[]): Promise<HeldJob[]> {
    if (owners.length === 0) return [];
    const rows = await this.dataSource.createQueryBuilder().select(["j.id AS id", "j.kind AS kind", "j.owner AS owner", "j.progress AS progress"]).from(Job, "j")
      .where("j.state = 'running' AND j.owner IN (:...owners)", { owners: [...owners] }).orderBy("j.id").getRawMany<{ id: number; kind: string; owner: string; progress: number | null }>();
    return rows.map((r) => ({ id: Number(r.id), kind: r.kind, owner: r.owner, progress: r.progress === null ? null : Number(r.progress) }));
  }

  async doneSince(owners: readonly string[], since: number): Promise<Map<string, number>> {
    if (owners.length === 0) return new Map();
    const rows = await this.dataSource.createQueryBuilder().select("j.owner", "owner").addSelect("count(*)", "n").from(Job, "j")
      .where("j.state = 'done' AND j.owner IN (:...owners) AND j.finished_at >= :since", { owners: [...owners], since }).groupBy("j.owner")
      .getRawMany<{ owner: string; n: number | string }>();
    return new Map(rows.map((r) => [r.owner, Number(r.n)]));
  }

  async claimPrimary(record: Omit<ProcessRecord, "stoppedAt" | "lostReportedAt">, aliveSince: number, isGone: (id: string) => boolean): Promise<ProcessRecord | null> {
    return inTransaction(this.dataSource, async (m) => {
      // The write comes first, so the transaction holds SQLite's write lock before it reads: a read that has to
      // turn into a write while another process writes fails at once ("database is locked") instead of waiting.
      await m.getRepository(ProcessPresence).save({ ...record, kinds: record.kinds.join(","), stoppedAt: null, lostReportedAt: null });
      const others = await m.getRepository(ProcessPresence).createQueryBuilder("p")
        .where("p.role = 'primary' AND p.stopped_at IS NULL AND p.seen_at >= :aliveSince AND p.id <> :id", { aliveSince, id: record.id }).orderBy("p.seen_at", "DESC").getMany();
      const alive = others.map(toRecord).find((p) => !isGone(p.id));
      if (alive === undefined) return null;
      await m.getRepository(ProcessPresence).delete({ id: record.id });
      return alive;
    });
  }

  async forgetStopped(before: number): Promise<number> {
    const result = await this.dataSource.createQueryBuilder().delete().from(ProcessPresence).where("stopped_at IS NOT NULL AND stopped_at < :before", { before }).execute();
    return result.affected ?? 0;
  }
}
