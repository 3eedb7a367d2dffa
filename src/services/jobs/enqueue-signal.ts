/**
 * Tells other processes that there is new due work, and hears when they say so. A hint only: a lost one
 * delays work until the next poll and never loses it, so an adapter may drop announcements it cannot send.
 */
export interface EnqueueSignal {
  /** Tells the other processes there is due work of `kind`; returns at once and never throws. */
  announce(kind: string): void;
  /** Runs `listener` when another process announced work; returns the unsubscribe function. */
  onRemoteEnqueue(listener: (kind: string) => void): () => void;
}

/** One process, or a database without notifications (SQLite): only the local runner is woken. */
export const localOnlySignal: EnqueueSignal = { announce: () => undefined, onRemoteEnqueue: () => () => undefined };
