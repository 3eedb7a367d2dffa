import { basename, relative, sep } from "node:path";
import type { Actor } from "../people/actor.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import pMap from "p-map";
import { fingerprintOf } from "./fingerprint.js";
import type { MediaInfo, MediaProber, ProbeOutcome } from "./media.js";
import type { ContentHasher, FileFacts, FileLister, LibraryIndex, RowUpdate } from "./ports.js";
import { guardRoot, IndexLookup, matchMoves, planRoot, type IndexRow, type RootPlan, type SeenFile } from "./scan-plan.js";
import { extensionOf } from "./extensions.js";
import type { VideoChanges } from "../follow-up/video-follow-ups.js";
import { namedFolders } from "./folders.js";
import { LibraryLocator, type PlacedFile } from "./locator.js";
import { emptyProgress, type ScanProgress, type ScanReport, type RootReport, type FileProblem, type LinkNote, type BusyRoot } from "./scan-report.js";
import { FolderLocks, type HeldLock } from "../locks/folder-locks.js";

export interface ScannerOptions {
  readonly roots: readonly string[];
  readonly maxMissingShare: number;
  readonly settleMs: number;
  readonly probeConcurrency: number;
}

export interface ScannerDeps {
  readonly index: LibraryIndex;
  readonly lister: FileLister;
  readonly prober: MediaProber;
  readonly hasher: ContentHasher;
  readonly audit: AuditService;
  readonly clock: Clock;
  /** The cards and search documents of the rows a scan wrote (new, changed, moved, missing, back); none in tools that only index. */
  readonly followUps?: VideoChanges;
  /** The folders' names, and where a worker's files are recorded; by default the roots named after their last segment. */
  readonly locator?: LibraryLocator;
  /** One scan of a library folder at a time across processes; without it (tools that only index) nothing is locked. */
  readonly locks?: FolderLocks;
}

export type ScanStart = { readonly started: true; readonly report: Promise<ScanReport> } | { readonly started: false; readonly progress: ScanProgress };

const MAX_LISTED_PROBLEMS = 200;

/** Whether one root lies inside another (then their listings overlap). */
function rootsOverlap(roots: readonly string[]): boolean {
  return roots.some((a) => roots.some((b) => a !== b && (b.startsWith(a.endsWith(sep) ? a : a + sep))));
}

/** Keeps the index in step with the library folders: new, changed, moved, missing and restored files. */
export class LibraryScanner {
  private current: ScanProgress | null = null;
  /** The index as the last scan left it, kept while no video row changes (a rescan then reads no rows). */
  private cached: { generation: number; lookup: IndexLookup } | null = null;
  private abort: AbortController | null = null;
  private readonly locator: LibraryLocator;

  constructor(private readonly deps: ScannerDeps, private readonly options: ScannerOptions) {
    this.locator = deps.locator ?? new LibraryLocator(namedFolders(options.roots), new Map());
  }

  /** The progress of the scan under way, or null. */
  get progress(): ScanProgress | null {
    return this.current === null ? null : { ...this.current };
  }

  /** Starts a scan unless one is running; progress is reported through the callback as it goes. */
  start(actor: Actor, onProgress: (p: ScanProgress) => void = () => undefined): ScanStart {
    if (this.current !== null) return { started: false, progress: { ...this.current } };
    const progress = { ...emptyProgress(this.deps.clock.now()), rootsTotal: this.options.roots.length };
    this.current = progress;
    this.abort = new AbortController();
    const report = this.run(actor, progress, onProgress, this.abort.signal).finally(() => { this.current = null; this.abort = null; });
    return { started: true, report };
  }

  /** Stops the scan under way before it writes anything; its report promise rejects with an AbortError. */
  cancel(): void {
    this.abort?.abort(new DOMException("the scan was cancelled", "AbortError"));
  }

  /**
   * Indexes one finished file at once (a conversion's output) instead of waiting for the next scan and its
   * settling time; returns its row id, or null when the path is outside the library or cannot be read now.
   * `path` is where the file is on this machine; the row records it as the primary sees it (a worker's mounts differ).
   */
  async adopt(path: string, media?: MediaInfo): Promise<number | null> {
    const place = this.locator.recorded(path);
    const stamp = place === null ? null : await this.deps.lister.stat(path);
    if (place === null || stamp === null) return null;
    const facts = await this.describe(place, { path, size: stamp.size, mtimeMs: stamp.mtimeMs }, new AbortController().signal, media);
    if (facts === null) return null;
    const existing = await this.deps.index.idByPath(place.path);
    this.cached = null;
    // A scan running meanwhile may insert the same file: the insert then does nothing, and both agree on the row.
    const written = await this.deps.index.apply(existing === null ? [facts] : [], existing === null ? [] : [{ kind: "facts", id: existing, facts }], this.deps.clock.now());
    await this.deps.followUps?.videosChanged(written, { searchMarked: true });
    return this.deps.index.idByPath(place.path);
  }

  private async run(actor: Actor, progress: ScanProgress, onProgress: (p: ScanProgress) => void, signal: AbortSignal): Promise<ScanReport> {
    const { roots, busy, held } = await this.lockRoots();
    try {
      return await this.scan(actor, roots, busy, progress, onProgress, signal);
    } finally {
      await Promise.all(held.map((h) => h.release()));
    }
  }

  /**
   * Takes each library folder's scan lock: a folder another live process is scanning is skipped this time (its
   * scan indexes it into the same database) and named in the report. Losing a lock (this process was cut off
   * from the database so long that another one took it) cancels the scan, which then writes nothing.
   */
  private async lockRoots(): Promise<{ roots: string[]; busy: BusyRoot[]; held: HeldLock[] }> {
    const { locks } = this.deps;
    if (locks === undefined) return { roots: [...this.options.roots], busy: [], held: [] };
    const roots: string[] = [];
    const busy: BusyRoot[] = [];
    const held: HeldLock[] = [];
    const abort = this.abort;
    for (const root of this.options.roots) {
      // By the folder's name, so processes that see the share at different paths share one lock.
      const lock = await locks.take(FolderLocks.scanName(this.locator.nameOf(root) ?? root));
      if ("busy" in lock) {
        busy.push({ root, holder: lock.busy?.owner ?? null, renewedAt: lock.busy?.renewedAt ?? null });
        continue;
      }
      lock.held.lost.addEventListener("abort", () => abort?.abort(new DOMException("another process took over a library folder's scan", "AbortError")), { once: true });
      held.push(lock.held);
      roots.push(root);
    }
    return { roots, busy, held };
  }

  private async scan(actor: Actor, roots: readonly string[], busy: readonly BusyRoot[], progress: ScanProgress, onProgress: (p: ScanProgress) => void,
    signal: AbortSignal): Promise<ScanReport> {
    const notify = (): void => { progress.elapsedMs = this.deps.clock.now() - progress.startedAt; onProgress({ ...progress }); };
    progress.rootsTotal = roots.length;
    const lookup = await this.indexLookup();
    const problems: FileProblem[] = [];
    const links: LinkNote[] = [];
    const plans: RootPlan[] = [];
    // A root inside another root would list its files twice: the first root to list a file owns it.
    const listed = rootsOverlap(this.options.roots) ? new Set<string>() : null;
    for (const root of roots) {
      const raw = await this.deps.lister.list(root, this.options.roots, signal);
      problems.push(...raw.problems);
      links.push(...raw.links.map((l) => ({ link: this.shown(l.path), target: l.inLibrary ? this.shown(l.target) : null })));
      const listing = listed === null ? raw : { ...raw, files: raw.files.filter((f) => !listed.has(f.path)) };
      listing.files.forEach((f) => listed?.add(f.path));
      const plan = planRoot(listing, lookup, this.deps.clock.now(), this.options.settleMs);
      plans.push(plan);
      progress.found += plan.found;
      progress.rootsListed++;
      notify();
    }
    progress.phase = "probing";
    progress.probingStartedAt = this.deps.clock.now();
    const sum = (count: (p: RootPlan) => number): number => plans.reduce((n, p) => n + count(p), 0);
    progress.pending = { new: sum((p) => p.added.length), changed: sum((p) => p.changed.length), gone: sum((p) => p.vanished.length), restored: sum((p) => p.restored.length) };
    notify();
    const toProbe = plans.flatMap((p) => [...p.added, ...p.changed.map((c) => c.file)].map((file) => ({ root: p.root, file })));
    progress.toProbe = toProbe.length;
    const facts = await pMap(toProbe, async ({ root, file }) => {
      signal.throwIfAborted();
      const result = await this.describe(this.placeOf(root, file.path), file, signal);
      progress.probed++;
      if (result?.status === "unreadable") progress.unreadableRead++;
      notify();
      return result;
    }, { concurrency: this.options.probeConcurrency });
    const factsByPath = new Map<string, FileFacts>();
    facts.forEach((f) => { if (f !== null) factsByPath.set(f.path, f); });
    signal.throwIfAborted();
    progress.phase = "saving";
    notify();
    return { ...(await this.settle(actor, plans, lookup, factsByPath, { problems, links }, progress, notify)), busy };
  }

  /** Where a file a scan found is recorded: in its root, under the root's name. */
  private placeOf(root: string, path: string): PlacedFile {
    return { folder: this.locator.nameOf(root), root, relativePath: relative(root, path), path };
  }

  /** Probes and fingerprints one file (read at `file.path`, recorded as `place`); null when the failure is transient (try again next scan). */
  private async describe(place: PlacedFile, file: SeenFile, signal: AbortSignal, known?: MediaInfo): Promise<FileFacts | null> {
    const fileName = basename(file.path);
    const base = { path: place.path, root: place.root, folder: place.folder, relativePath: place.relativePath, fileName, extension: extensionOf(fileName), size: file.size,
      mtimeMs: file.mtimeMs, probedAt: this.deps.clock.now() };
    if (file.size === 0) return { ...base, fingerprint: null, status: "unreadable", statusReason: "the file is empty (0 bytes)", media: null };
    const outcome: ProbeOutcome = known === undefined ? await this.deps.prober.probe(file.path, signal) : { ok: true, media: known };
    if (!outcome.ok && outcome.transient === true) return null;
    let headTail: string;
    try {
      headTail = await this.deps.hasher.headTail(file.path, file.size);
    } catch {
      return null;
    }
    return outcome.ok
      ? { ...base, fingerprint: fingerprintOf(file.size, headTail, outcome.media.durationS), status: "indexed", statusReason: null, media: outcome.media }
      : { ...base, fingerprint: fingerprintOf(file.size, headTail, null), status: "unreadable", statusReason: outcome.reason, media: null };
  }

  private async settle(actor: Actor, plans: RootPlan[], lookup: IndexLookup, facts: Map<string, FileFacts>, { problems, links }: { problems: FileProblem[]; links: LinkNote[] },
    progress: ScanProgress, notify: () => void): Promise<ScanReport> {
    const now = this.deps.clock.now();
    const added = plans.flatMap((p) => p.added).map((f) => facts.get(f.path)).filter((f): f is FileFacts => f !== undefined);
    const candidates = added.length === 0 ? [] : await this.moveCandidates(plans.filter((p) => p.state === "ok"), lookup);
    const moves = matchMoves(added.map((f) => ({ fileName: f.fileName, fingerprint: f.fingerprint ?? "" })), candidates);
    const movedIds = new Set([...moves.values()].map((r) => r.id));
    const inserts = added.filter((_, i) => !moves.has(i));
    const updates: RowUpdate[] = [...moves.entries()].map(([i, row]) => ({ kind: "facts", id: row.id, facts: added[i] as FileFacts }));
    const rootReports: RootReport[] = [];
    for (const plan of plans) {
      for (const { row, file } of plan.changed) {
        const f = facts.get(file.path);
        if (f !== undefined) updates.push({ kind: "facts", id: row.id, facts: f });
      }
      updates.push(...plan.restored.map((r): RowUpdate => ({ kind: "status", id: r.id, status: "indexed", statusReason: null })));
      const vanished = plan.vanished.filter((r) => !movedIds.has(r.id));
      const guard = guardRoot(plan, vanished.length, this.options.maxMissingShare);
      if (!guard.blocked) {
        updates.push(...vanished.map((r): RowUpdate => ({ kind: "status", id: r.id, status: "missing", statusReason: null })));
      }
      rootReports.push({ root: plan.root, state: plan.state, found: plan.found, guard: guard.blocked ? { reason: guard.reason ?? "", wouldMarkMissing: vanished.length } : null, missing: guard.blocked ? 0 : vanished.length });
      progress.restored += plan.restored.length;
      progress.settling += plan.settling.length;
    }
    if (inserts.length + updates.length > 0) {
      this.cached = null;
      // apply listed them for the search index in its transaction; one search job however many rows a scan wrote.
      const written = await this.deps.index.apply(inserts, updates, now);
      await this.deps.followUps?.videosChanged(written, { searchMarked: true });
    }
    const touched = [...inserts, ...updates.flatMap((u) => (u.kind === "facts" ? [u.facts] : []))];
    const unreadable = touched.filter((f) => f.status === "unreadable").map((f) => ({ path: f.path, reason: f.statusReason ?? "" }));
    Object.assign(progress, {
      phase: "done", new: inserts.length, moved: moves.size, changed: plans.reduce((n, p) => n + p.changed.length, 0),
      missing: rootReports.reduce((n, r) => n + r.missing, 0), unreadable: unreadable.length,
      failedProbes: progress.toProbe - facts.size,
    });
    notify();
    const report: ScanReport = { ...progress, roots: rootReports, unreadableFiles: unreadable.slice(0, MAX_LISTED_PROBLEMS), problems: problems.slice(0, MAX_LISTED_PROBLEMS), problemCount: problems.length,
      links: links.slice(0, MAX_LISTED_PROBLEMS), linkCount: links.length };
    const moved = [...moves.entries()].map(([i, row]) => ({ row, to: added[i] as FileFacts }));
    await this.audit(actor, report, moved, plans);
    return report;
  }

  /** A path as people see it: relative to the library folder that holds it. */
  private shown(path: string): string {
    if (this.options.roots.includes(path)) return basename(path);
    const root = this.options.roots.find((r) => path.startsWith(r.endsWith(sep) ? r : r + sep));
    return root === undefined ? path : relative(root, path);
  }

  /** The index, from memory when no video row changed since it was read. */
  private async indexLookup(): Promise<IndexLookup> {
    // The generation is read before the rows: a write in between makes the next scan read them again.
    const generation = await this.deps.index.generation();
    if (this.cached?.generation === generation) return this.cached.lookup.reset();
    const lookup = new IndexLookup(await this.deps.index.snapshot());
    this.cached = { generation, lookup };
    return lookup;
  }

  /** Rows a new file may be a move of: gone from a readable root in this scan, or missing before it. */
  private async moveCandidates(plans: readonly RootPlan[], lookup: IndexLookup): Promise<IndexRow[]> {
    const rows = [...plans.flatMap((p) => p.vanished), ...lookup.missingRows()];
    const fingerprints = await this.deps.index.fingerprints(rows.map((r) => r.id));
    return rows.map((r) => ({ ...r, fingerprint: fingerprints.get(r.id) ?? null }));
  }

  private async audit(actor: Actor, report: ScanReport, moved: readonly { row: IndexRow; to: FileFacts }[], plans: readonly RootPlan[]): Promise<void> {
    const { audit } = this.deps;
    const summary = { found: report.found, new: report.new, changed: report.changed, moved: report.moved, missing: report.missing, restored: report.restored, unreadable: report.unreadable };
    await audit.record({ actor, action: "library.scan", after: summary });
    for (const { row, to } of moved) {
      await audit.record({ actor, action: "video.move", target: { type: "video", id: row.id }, before: { path: row.path }, after: { path: to.path } });
    }
    const movedIds = new Set(moved.map((m) => m.row.id));
    for (const plan of plans) {
      const guarded = report.roots.find((r) => r.root === plan.root)?.guard != null;
      for (const row of plan.vanished) {
        if (!guarded && !movedIds.has(row.id)) await audit.record({ actor, action: "video.missing", target: { type: "video", id: row.id }, before: { path: row.path } });
      }
      for (const row of plan.restored) await audit.record({ actor, action: "video.restore", target: { type: "video", id: row.id }, after: { path: row.path } });
    }
    for (const root of report.roots) {
      if (root.guard !== null) await audit.record({ actor, action: "library.scan.guarded", target: { type: "root", id: root.root }, after: root.guard });
    }
  }
}
