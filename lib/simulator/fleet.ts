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

  get completedSessions(): number {
    return this.stations.reduce((n, s) => n + s.completedSessions, 0);
  }
}
