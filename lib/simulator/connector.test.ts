import { describe, expect, it } from 'vitest';
import { isFreeFor, newConnector, reserveRefusal, statusOf, unreservable, type Connector } from './connector';
import type { Session } from './protocol';

const aSession = { connector: 1, transactionId: 'T', idTag: 'A' } as Session;
const aConnector = (overrides: Partial<Connector> = {}): Connector => ({
  ...newConnector(1, 0),
  ...overrides,
});
const reservedFor = (idTag: string, id = 1) => ({ id, connector: 1, idTag, expiresAt: 0 });

describe('statusOf', () => {
  it.each([
    ['idle', aConnector(), true, 'Available'],
    ['faulted while charging', aConnector({ faulted: true, session: aSession }), true, 'Faulted'],
    ['starting', aConnector({ phase: 'Preparing' }), true, 'Preparing'],
    ['charging, made inoperative', aConnector({ session: aSession, operative: false }), true, 'Charging'],
    [
      'charging, held below 6 A by a charging profile',
      aConnector({ session: { ...aSession, suspended: true } }),
      true,
      'SuspendedEVSE',
    ],
    ['inoperative', aConnector({ operative: false }), true, 'Unavailable'],
    ['station inoperative', aConnector(), false, 'Unavailable'],
    ['reserved', aConnector({ reservation: reservedFor('A') }), true, 'Reserved'],
    ['reserved, station inoperative', aConnector({ reservation: reservedFor('A') }), false, 'Unavailable'],
  ] as const)('%s → %s', (_case, connector, stationOperative, status) => {
    expect(statusOf(connector, stationOperative)).toBe(status);
  });
});

describe('isFreeFor', () => {
  it.each([
    ['idle', aConnector(), true, true],
    ['reserved for the token', aConnector({ reservation: reservedFor('A') }), true, true],
    ['reserved for another token', aConnector({ reservation: reservedFor('B') }), true, false],
    ['charging', aConnector({ session: aSession }), true, false],
    ['finishing', aConnector({ phase: 'Finishing' }), true, false],
    ['faulted', aConnector({ faulted: true }), true, false],
    ['inoperative', aConnector({ operative: false }), true, false],
    ['station inoperative', aConnector(), false, false],
  ] as const)('%s → %s', (_case, connector, stationOperative, free) => {
    expect(isFreeFor(connector, 'A', stationOperative)).toBe(free);
  });
});

describe('reserveRefusal', () => {
  it.each([
    ['idle', aConnector(), undefined],
    ['holding the same reservation', aConnector({ reservation: reservedFor('A', 7) }), undefined],
    ['holding another reservation', aConnector({ reservation: reservedFor('A', 8) }), 'Occupied'],
    ['charging', aConnector({ session: aSession }), 'Occupied'],
    ['faulted', aConnector({ faulted: true }), 'Faulted'],
    ['inoperative', aConnector({ operative: false }), 'Unavailable'],
  ] as const)('%s → %s', (_case, connector, refusal) => {
    expect(reserveRefusal(connector, 7, true)).toBe(refusal);
  });

  it('tells why no connector takes a reservation for any EVSE', () => {
    expect(unreservable([aConnector({ faulted: true })], true)).toBe('Faulted');
    expect(unreservable([aConnector()], false)).toBe('Unavailable');
    expect(unreservable([aConnector({ session: aSession }), aConnector({ faulted: true })], true)).toBe(
      'Occupied',
    );
  });
});
