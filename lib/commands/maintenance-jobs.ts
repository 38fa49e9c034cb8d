import type { Logger } from 'pino';
import type { Db } from '@/lib/db';
import { subscribe } from '@/lib/realtime/bus';
import { detectOfflineStations } from '@/lib/services/incidents';
import { createDueScheduledOrders } from '@/lib/services/maintenance-schedules';
import { reopenUnverified } from '@/lib/services/work-orders';
import { runDueRemediation } from './remediation';
import type { CommandDeps } from './send';

/** How long after "resolved" a repair may go without a healthy report from the station. */
export const verificationWindowMinutes = 30;

/**
 * The maintenance clock: stations gone quiet become incidents, remediation steps run when due,
 * repairs the station never confirmed reopen, and preventive schedules create their work orders.
 * One round at a time; a new incident kicks a round at once so remediation starts within seconds.
 */
export function startMaintenanceJobs(options: {
  db: () => Db;
  deps: CommandDeps;
  log: Logger;
  intervalMs?: number;
}): { stop: () => void; runOnce: () => Promise<void> } {
  const { deps, log } = options;
  let round: Promise<void> | null = null;
  let again = false;
  const step = async (name: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      log.error({ err }, `maintenance job failed: ${name}`);
    }
  };
  const runOnce = (): Promise<void> => {
    if (round) {
      again = true;
      return round;
    }
    round = (async () => {
      do {
        again = false;
        const db = options.db();
        await step('offline detection', () => detectOfflineStations(db, deps.now()));
        await step('remediation', () => runDueRemediation(db, deps));
        await step('verification', () => reopenUnverified(db, deps.now(), verificationWindowMinutes));
        await step('schedules', () => createDueScheduledOrders(db, deps.now()));
      } while (again);
    })().finally(() => {
      round = null;
    });
    return round;
  };
  const kick = () => void runOnce();
  const unsubscribe = subscribe((event) => {
    if (event.type === 'incident:updated' && event.opened) setTimeout(kick, 50).unref();
  });
  const timer = setInterval(kick, options.intervalMs ?? 15_000);
  timer.unref();
  return {
    runOnce,
    stop: () => {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
