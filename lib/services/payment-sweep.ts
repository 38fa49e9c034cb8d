import type { Logger } from 'pino';
import type { Db } from '@/lib/db';
import { settleOverduePayments } from './payments';

/**
 * Runs {@link settleOverduePayments} once at start-up and then every `intervalMs` (a minute), one
 * round at a time. `stop` ends the timer and lets a running round stop after the record in hand:
 * a card charge cut off by the shutdown stays pending and the next start finishes it.
 */
export function startPaymentSweep(options: { db: () => Db; log: Logger; intervalMs?: number }): {
  runOnce: () => Promise<void>;
  stop: () => void;
} {
  const { log } = options;
  const stopping = new AbortController();
  let round: Promise<void> | null = null;
  const runOnce = (): Promise<void> => {
    // A round still charging cards when the timer fires again is left to finish.
    round ??= (async () => {
      try {
        const done = await settleOverduePayments(options.db(), new Date(), { signal: stopping.signal });
        if (done.overdue > 0 || done.resumed > 0) log.info(done, 'settled overdue CDR payments');
      } catch (err) {
        log.error({ err }, 'the overdue payment sweep failed');
      }
    })().finally(() => {
      round = null;
    });
    return round;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 60_000);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    stop: () => {
      clearInterval(timer);
      stopping.abort();
    },
  };
}
