import type { EmulatorCore } from "../core.js";

export interface WaitSpec<T> {
  readonly core: EmulatorCore;
  /** Registers `wake` for the events that may change the answer; returns the unsubscribe function. */
  readonly subscribe: (wake: () => void) => () => void;
  /** The result once the awaited state is reached, else undefined. */
  readonly check: () => T | undefined;
  readonly timeoutMs: number;
  /** The rejection message on timeout; should show what the chat looks like. */
  readonly describe: () => string;
}

/** Resolves as soon as `check` succeeds, re-checking on events only (no sleep loops). */
export function waitUntil<T>(spec: WaitSpec<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let unsubscribe = (): void => {};
    const settle = (action: () => void): void => {
      clearTimeout(timer);
      unsubscribe();
      spec.core.events.off("stopped", onStop);
      action();
    };
    const attempt = (): void => {
      try {
        const result = spec.check();
        if (result !== undefined) settle(() => resolve(result));
      } catch (error) {
        settle(() => reject(error instanceof Error ? error : new Error(String(error))));
      }
    };
    const onStop = (): void => settle(() => reject(new Error(`emulator stopped while waiting: ${spec.describe()}`)));
    const timer = setTimeout(() => settle(() => reject(new Error(spec.describe()))), spec.timeoutMs);
    if (spec.core.stopped) return onStop();
    unsubscribe = spec.subscribe(attempt);
    spec.core.events.on("stopped", onStop);
    attempt();
  });
}
