import pino, { type Logger } from 'pino';

const slot = Symbol.for('chargeops.logger');
type Slot = { [slot]?: Logger };

/** The process-wide structured logger; make child loggers per request, station or job. */
export function getLogger(): Logger {
  const g = globalThis as Slot;
  g[slot] ??= pino({ level: process.env.LOG_LEVEL || 'info', base: { app: 'chargeops' } });
  return g[slot];
}

/** Replaces the process-wide logger (the server sets one at the configured level; tests silence it). */
export function setLogger(logger: Logger): void {
  (globalThis as Slot)[slot] = logger;
}
