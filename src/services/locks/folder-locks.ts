import type { Clock } from "../shared/clock.js";

/** Who holds a folder's lock, for people: see ownerText. */
export interface LockHolder {
  readonly owner: string;
  /** When the holder last renewed it (ms). */
  readonly renewedAt: number;
}

/**
 * Folder locks in the database: one row per locked folder, a lease with an owner. Every time is the
 * database's clock on PostgreSQL (processes on several machines compare them) and `now` on SQLite.
 */
export interface FolderLockStore {
  /** Takes the lock when nobody holds it or its lease ran out, in one statement; otherwise says who holds it. */
  take(name: string, owner: string, leaseMs: number, now: number): Promise<{ readonly taken: true } | { readonly taken: false; readonly holder: LockHolder | null }>;
  /** Takes the lock from `holder` (known to be gone); false when someone else took or released it first. */
  takeFrom(name: string, holder: string, owner: string, leaseMs: number, now: number): Promise<boolean>;
  /** Extends the lease; false when the lock is no longer this owner's. */
  renew(name: string, owner: string, leaseMs: number, now: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

/** A held lock: renewed in the background until released; `lost` fires if a renewal finds it taken. */
export interface HeldLock {
  readonly name: string;
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export interface FolderLocksOptions {
  /** This process's name on its locks (newProcessOwner). */
  readonly owner: string;
  readonly clock: Clock;
  /** How long a lock holds without a renewal: a holder that died frees it after this. */
  readonly leaseMs?: number;
  /** Whether an owner is known to be gone (a process of this machine that no longer exists): its locks are taken at once. */
  readonly ownerGone?: (owner: string) => boolean;
}

const LEASE_MS = 60_000;

/**
 * One lock per folder across processes, so a library folder is scanned by one process at a time and a sync
 * destination written by one run at a time. A lease row per lock (owner, until), taken with an atomic
 * upsert-if-expired, renewed every third of the lease while held and deleted when released; after a crash
 * the lock frees itself when the lease runs out (at once when the holder was a process of this machine).
 */
export class FolderLocks {
  private readonly leaseMs: number;

  constructor(private readonly store: FolderLockStore, private readonly options: FolderLocksOptions) {
    this.leaseMs = options.leaseMs ?? LEASE_MS;
  }

  /** The lock of a library folder: by its name (or its path when it has none). */
  static scanName(root: string): string {
    return `scan:${root}`;
  }

  /** The lock of a sync destination folder. */
  static syncName(target: string): string {
    return `sync:${target}`;
  }

  /** Takes a lock for this process, or says who holds it (null: it was released meanwhile; try again later). */
  async take(name: string): Promise<{ readonly held: HeldLock } | { readonly busy: LockHolder | null }> {
    const { store, options } = this;
    const attempt = await store.take(name, options.owner, this.leaseMs, options.clock.now());
    if (attempt.taken) return { held: this.hold(name) };
    const { holder } = attempt;
    if (holder !== null && options.ownerGone?.(holder.owner) === true
      && (await store.takeFrom(name, holder.owner, options.owner, this.leaseMs, options.clock.now()))) return { held: this.hold(name) };
    return { busy: holder };
  }

  private hold(name: string): HeldLock {
    const { store, options } = this;
    const lost = new AbortController();
    const renew = (): void => {
      store.renew(name, options.owner, this.leaseMs, options.clock.now()).then((held) => { if (!held) lost.abort(new Error(`the lock ${name} was lost`)); },
        // A renewal that fails (the database is away) is tried again; when the lease runs out meanwhile, the next one says so.
        () => undefined);
    };
    const timer = setInterval(renew, this.leaseMs / 3);
    timer.unref();
    let released: Promise<void> | null = null;
    return {
      name,
      lost: lost.signal,
      release: () => {
        clearInterval(timer);
        released ??= store.release(name, options.owner);
        return released;
      },
    };
  }
}
