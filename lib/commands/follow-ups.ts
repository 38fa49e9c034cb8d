/** Follow-ups to chargers running at once; the rest wait their turn. */
const maxConcurrent = 2;
let running = 0;
const waiting: (() => void)[] = [];

/**
 * Runs ChargeOps's own follow-up work with chargers (configuration defaults after a boot, local
 * list updates) a few at a time. When thousands of chargers reconnect together (a restart, a power
 * cut), their follow-ups queue here instead of crowding out the chargers' own messages. One queue
 * per process: only the custom server (OCPP endpoint and its jobs) calls it.
 */
export async function inTurn<T>(task: () => Promise<T>): Promise<T> {
  if (running >= maxConcurrent) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
