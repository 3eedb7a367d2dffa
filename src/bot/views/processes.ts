import { escapeHtml, html } from "../format.js";
import type { ProcessView } from "../../services/processes/process-registry.js";
import { formatAgo, plural } from "../../services/shared/units.js";

/** Job kinds as people say them. */
const KIND_WORDS: Readonly<Record<string, string>> = {
  conversion: "conversion", "conversion.auto": "auto-convert sweep", "export.hls": "HLS export", "sync.run": "sync", "upload.send": "upload",
  "upload.settle": "look at a channel", "library.scan": "scan", "search.refresh": "search index", "card.refresh": "card update", "publish.auto": "auto-publish",
  "trash.purge": "trash purge", "jobs.prune": "job clean-up", "processes.check": "worker check",
};
const kindWord = (kind: string): string => KIND_WORDS[kind] ?? kind;

/** The kinds a process runs, shortened to its roles. */
function rolesOf(p: ProcessView): string {
  if (p.role === "primary") return "primary: bot, uploads, schedules, and every job kind";
  return `worker: ${[...new Set(p.kinds.map(kindWord))].join(", ")}`;
}

const ICON = { running: "🟢", lost: "🔴", stopped: "⚪" } as const;

/** /workers: each process, what it runs now, when it was last heard from, and jobs done today. */
export function processesHtml(processes: readonly ProcessView[], now: number): string {
  if (processes.length === 0) return "⚙️ <b>Workers</b>\nNo process has announced itself yet.";
  const lines = ["⚙️ <b>Workers</b>"];
  for (const p of processes) {
    const ago = formatAgo((now - p.seenAt) / 1000);
    const state = p.state === "running" ? `last heartbeat ${ago}` : p.state === "lost" ? `not heard from since ${ago}: its jobs go back in the queue when their leases end` : `stopped ${ago}`;
    const running = p.running.length === 0 ? "idle" : p.running.map((j) => `${kindWord(j.kind)}${j.progress === null ? "" : ` ${Math.round(j.progress * 100)}%`}`).join(", ");
    lines.push("", `${ICON[p.state]} <b>${escapeHtml(p.name)}</b> on ${escapeHtml(p.host)} — ${escapeHtml(rolesOf(p))}`,
      `${p.state === "stopped" ? "" : `Now: ${escapeHtml(running)} · `}${plural(p.doneToday, "job")} done today · ${state}`);
  }
  return lines.join("\n");
}

/** A process fell silent. */
export function processLostHtml(notice: { name: string; host: string; role: "primary" | "worker"; seenAt: number; jobs: readonly string[] }, now: number): string {
  const kinds = notice.jobs.map(kindWord).join(", ");
  const jobs = notice.jobs.length === 0 ? "It held no jobs."
    : notice.jobs.length === 1 ? `Its running job (${kinds}) goes back in the queue when its lease ends and runs on another process.`
      : `Its ${plural(notice.jobs.length, "running job")} (${kinds}) go back in the queue when their leases end and run on other processes.`;
  return html`⚠️ ${notice.role === "primary" ? "The primary" : "Worker"} ${notice.name} on ${notice.host} stopped answering (last heard from ${formatAgo((now - notice.seenAt) / 1000)}).` +
    `\n${escapeHtml(jobs)}\nSee /workers; restart it when the machine is back.`;
}
