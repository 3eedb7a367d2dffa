import type { Logger } from "./infra/logging/logger.js";

export interface ShutdownStep {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}

/**
 * One guarded shutdown: the steps run once, in order (stop polling, let in-flight work finish,
 * stop workers, close the database), however many signals arrive. A failing step is logged and the
 * rest still run.
 */
export function createShutdown(logger: Logger, steps: readonly ShutdownStep[]): () => Promise<boolean> {
  let running: Promise<boolean> | undefined;
  return () => {
    running ??= (async () => {
      let clean = true;
      for (const step of steps) {
        try {
          const result = await step.run();
          if (result === false) {
            clean = false;
            logger.warn({ step: step.name }, "shutdown step did not finish in time");
          }
        } catch (err) {
          clean = false;
          logger.error({ step: step.name, err }, "shutdown step failed");
        }
      }
      logger.info({ clean }, "vidlib stopped");
      return clean;
    })();
    return running;
  };
}
