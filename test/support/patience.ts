/**
 * How long a test waits for something that should happen before it calls it a hang. Tests wait for
 * events and states, never for a time an idle machine happens to meet; this bound only ends a wait
 * that would otherwise never end, so it is far above what a busy machine needs.
 */
export const HANG_GUARD_MS = 120_000;
