/**
 * The typed contract between server and browser. Events are notifications (`noun:past-verb`) with
 * small payloads; the browser refetches what it shows rather than patching from the payload.
 */
export interface DomainEventMap {
  'site:changed': { siteId: string };
  /** Boot data or registration of a station changed. siteId is null while the station is not placed. */
  'station:changed': { siteId: string | null; stationId: string };
  'station:connection-changed': { siteId: string | null; stationId: string; online: boolean };
  'session:updated': {
    siteId: string | null;
    stationId: string;
    transactionId: string;
    evseId: number;
    status: string;
  };
  /** A command to a station was created, answered, timed out, or got a late answer. */
  'command:updated': { siteId: string | null; stationId: string; commandId: string; status: string };
  /** Tokens, groups or access rules changed: the local lists of the organisation's stations are due. */
  'access:changed': object;
  /** A station's local authorisation list changed state (sent, failed, in sync ...). */
  'local-list:updated': { siteId: string | null; stationId: string; state: string };
  /** An incident opened, gathered evidence, ran a remediation step, or cleared. */
  'incident:updated': {
    siteId: string | null;
    stationId: string;
    incidentId: string;
    state: string;
    /** The incident was just detected (not more evidence or a step of an open one). */
    opened?: boolean;
  };
  /**
   * A work order was created, assigned, moved on, or got a note, part, photo or signature.
   * assigneeId also reaches the assigned technician's own room.
   */
  'work-order:updated': {
    siteId: string | null;
    stationId: string;
    workOrderId: string;
    status: string;
    assigneeId: string | null;
  };
  /** A tariff, one of its versions or where it applies changed. */
  'tariff:updated': { tariffId: string };
  /** A site's load configuration or an operator override changed: its allocation is due. */
  'load:changed': { siteId: string };
  /** A site's allocation was recomputed (the Load page refetches). */
  'load:updated': { siteId: string };
  /** A charge detail record was written, paid, failed to be paid, or credited. */
  'cdr:updated': {
    siteId: string | null;
    stationId: string;
    cdrId: string;
    transactionId: string;
    paymentStatus: string;
  };
  'station:status-changed': {
    siteId: string | null;
    stationId: string;
    evseId: number;
    connectorId: number;
    status: string;
  };
}

export type DomainEventType = keyof DomainEventMap;

/** An event on the bus: the payload plus the organisation it belongs to (which decides its rooms). */
export type DomainEvent = {
  [K in DomainEventType]: { type: K; organisationId: string } & DomainEventMap[K];
}[DomainEventType];

/** socket.io server-to-client events, derived from the domain events. */
export type ServerToClientEvents = {
  [K in DomainEventType]: (payload: DomainEventMap[K]) => void;
};

/** The browser sends nothing yet; commands go through server actions. */
export type ClientToServerEvents = Record<string, never>;

/** socket.io room every signed-in user of an organisation joins (organisation-wide events). */
export const organisationRoom = (organisationId: string) => `org:${organisationId}`;
/** socket.io room of an organisation's admins, who see every site. */
export const adminRoom = (organisationId: string) => `org:${organisationId}:admins`;
/** socket.io room of the managers and technicians scoped to a site. */
export const siteRoom = (siteId: string) => `site:${siteId}`;

/** socket.io room of one person: events meant for them wherever the thing happens (assignments). */
export const userRoom = (userId: string) => `user:${userId}`;

/**
 * The rooms a user joins: the organisation's, their own, and the admins' room or one room per site
 * in scope.
 */
export function roomsFor(user: {
  id: string;
  organisationId: string;
  role: string;
  siteIds: readonly string[];
}): string[] {
  const scoped = user.role === 'admin' ? [adminRoom(user.organisationId)] : user.siteIds.map(siteRoom);
  return [organisationRoom(user.organisationId), userRoom(user.id), ...scoped];
}

/** The rooms an event goes to: a site's event reaches its site room and the admins, never other sites. */
export function roomsOf(event: DomainEvent): string[] {
  const siteId = 'siteId' in event ? event.siteId : undefined;
  const rooms = siteId
    ? [adminRoom(event.organisationId), siteRoom(siteId)]
    : [organisationRoom(event.organisationId)];
  if (event.type === 'work-order:updated' && event.assigneeId) rooms.push(userRoom(event.assigneeId));
  return rooms;
}
