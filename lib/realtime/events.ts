/**
 * The typed contract between server and browser. Events are notifications (`noun:past-verb`) with
 * small payloads; the browser refetches what it shows rather than patching from the payload.
 */
export interface DomainEventMap {
  'site:changed': { siteId: string };
}

export type DomainEventType = keyof DomainEventMap;

/** An event on the bus: the payload plus the organisation it belongs to (its socket.io room). */
export type DomainEvent = {
  [K in DomainEventType]: { type: K; organisationId: string } & DomainEventMap[K];
}[DomainEventType];

/** socket.io server-to-client events, derived from the domain events. */
export type ServerToClientEvents = {
  [K in DomainEventType]: (payload: DomainEventMap[K]) => void;
};

/** The browser sends nothing yet; commands go through server actions. */
export type ClientToServerEvents = Record<string, never>;

/** socket.io room of an organisation. */
export const organisationRoom = (organisationId: string) => `org:${organisationId}`;
