import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { installShutdown } from './shutdown';

const log = pino({ level: 'silent' });

function setup(steps: { name: string; run: () => Promise<void> }[], timeoutMs = 1000) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const exited = new Promise<number>((resolve) => {
    installShutdown({
      log,
      steps,
      timeoutMs,
      signals: signals as unknown as NodeJS.Process,
      exit: (code) => {
        exits.push(code);
        resolve(code);
      },
    });
  });
  return { signals, exits, exited };
}

describe('installShutdown', () => {
  it('runs the steps in order on SIGTERM and exits 0', async () => {
    const order: string[] = [];
    const { signals, exited } = setup([
      { name: 'http', run: async () => void order.push('http') },
      { name: 'database', run: async () => void order.push('database') },
    ]);
    signals.emit('SIGTERM');
    expect(await exited).toBe(0);
    expect(order).toEqual(['http', 'database']);
  });

  it('still closes the database when an earlier step fails, and exits 1', async () => {
    const order: string[] = [];
    const { signals, exited } = setup([
      { name: 'http', run: () => Promise.reject(new Error('boom')) },
      { name: 'database', run: async () => void order.push('database') },
    ]);
    signals.emit('SIGINT');
    expect(await exited).toBe(1);
    expect(order).toEqual(['database']);
  });

  it('exits 1 when the steps outlast the time limit', async () => {
    const { signals, exited } = setup([{ name: 'stuck', run: () => new Promise(() => undefined) }], 1000);
    signals.emit('SIGTERM');
    expect(await exited).toBe(1);
  });

  it('exits at once on a second signal', async () => {
    const { signals, exits } = setup(
      [{ name: 'slow', run: () => new Promise((r) => setTimeout(r, 500)) }],
      5000,
    );
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    expect(exits).toEqual([1]);
  });
});
