import type { Logger } from 'pino';

export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

interface SignalSource {
  on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/**
 * Runs the shutdown steps in order on SIGTERM or SIGINT, then exits 0; exits 1 if they take longer
 * than `timeoutMs` or one fails. A second signal during shutdown exits at once.
 */
export function installShutdown(options: {
  log: Logger;
  steps: ShutdownStep[];
  timeoutMs: number;
  signals?: SignalSource;
  exit?: (code: number) => void;
}): { shutdown: (reason: string) => Promise<void> } {
  const { log, steps, timeoutMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? process;
  let running: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    if (running) {
      log.warn({ reason }, 'second signal during shutdown: exiting now');
      exit(1);
      return running;
    }
    const started = Date.now();
    log.info({ reason, timeoutMs }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown took too long: exiting');
      exit(1);
    }, timeoutMs);
    timer.unref();
    running = (async () => {
      let failed = false;
      for (const step of steps) {
        try {
          await step.run();
          log.info({ step: step.name }, 'closed');
        } catch (err) {
          failed = true;
          log.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(timer);
      log.info({ ms: Date.now() - started }, 'shutdown complete');
      exit(failed ? 1 : 0);
    })();
    return running;
  };

  signals.on('SIGTERM', () => void shutdown('SIGTERM'));
  signals.on('SIGINT', () => void shutdown('SIGINT'));
  return { shutdown };
}
