import { EventEmitter } from 'node:events';
import type { DomainEvent } from './events';

/**
 * The domain event bus. In-process for now; the scaling issue swaps in Redis pub/sub behind the
 * same publish/subscribe functions. A globalThis slot so the server and Next.js bundles share it.
 */
const slot = Symbol.for('chargeops.bus');
type Slot = { [slot]?: EventEmitter };

function emitter(): EventEmitter {
  const g = globalThis as Slot;
  if (!g[slot]) {
    g[slot] = new EventEmitter();
    g[slot].setMaxListeners(100);
  }
  return g[slot];
}

/** Publishes an event to every subscriber; call it after the change has committed. */
export function publish(event: DomainEvent): void {
  emitter().emit('event', event);
}

/** Subscribes to every event; returns the unsubscribe function. */
export function subscribe(listener: (event: DomainEvent) => void): () => void {
  const safe = (event: DomainEvent) => {
    try {
      listener(event);
    } catch {
      // A failing subscriber must not break the publisher or the other subscribers.
    }
  };
  emitter().on('event', safe);
  return () => emitter().off('event', safe);
}
