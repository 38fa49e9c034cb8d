import { SimulatedStation, type SimulatedStationOptions } from './station';

/** A group of simulated stations started and stopped together. */
export class SimulatedFleet {
  readonly stations: SimulatedStation[];

  constructor(configs: SimulatedStationOptions[]) {
    this.stations = configs.map((config) => new SimulatedStation(config));
  }

  /** Connects every station (a few at a time, like a site coming back after a power cut). */
  async start(): Promise<{ connected: number; failed: number }> {
    let connected = 0;
    let failed = 0;
    for (let i = 0; i < this.stations.length; i += 20) {
      const results = await Promise.allSettled(this.stations.slice(i, i + 20).map((s) => s.start()));
      for (const r of results) {
        if (r.status === 'fulfilled') connected++;
        else failed++;
      }
    }
    return { connected, failed };
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.stations.map((s) => s.stop()));
  }

  /**
   * Makes connectors fault now and then, like a real network: each station faults one connector on
   * average every `meanMinutes`; half of the faults clear on a reboot (a remote reset fixes them),
   * the others after 30 to 90 minutes (a technician's repair). Returns the function that stops it.
   */
  injectFaults(options: { meanMinutes: number; random?: () => number; tickMs?: number }): () => void {
    const random = options.random ?? Math.random;
    const tickMs = options.tickMs ?? 60_000;
    const chance = tickMs / 60_000 / options.meanMinutes;
    const repairs = new Set<ReturnType<typeof setTimeout>>();
    const tick = setInterval(() => {
      for (const station of this.stations) {
        if (!station.accepted || random() >= chance) continue;
        const healthy = Array.from({ length: station.connectorCount }, (_, i) => i + 1).filter(
          (c) => station.connectorStatus(c) !== 'Faulted',
        );
        const connector = healthy[Math.floor(random() * healthy.length)];
        if (connector === undefined) continue;
        const clearsOnReboot = random() < 0.5;
        void station.setFaulted(connector, true, { clearsOnReboot }).catch(() => undefined);
        const repair = setTimeout(
          () => {
            repairs.delete(repair);
            if (station.accepted && station.connectorStatus(connector) === 'Faulted')
              void station.setFaulted(connector, false).catch(() => undefined);
          },
          (30 + random() * 60) * 60_000,
        );
        repair.unref();
        repairs.add(repair);
      }
    }, tickMs);
    tick.unref();
    return () => {
      clearInterval(tick);
      for (const repair of repairs) clearTimeout(repair);
      repairs.clear();
    };
  }

  get completedSessions(): number {
    return this.stations.reduce((n, s) => n + s.completedSessions, 0);
  }
}
