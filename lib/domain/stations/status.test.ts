import { describe, expect, it } from 'vitest';
import { countStates, stationState } from './status';

const online = { online: true, registrationStatus: 'accepted' as const };

describe('stationState', () => {
  it.each([
    [{ ...online, connectorStatuses: ['Available', 'Available'] }, 'available'],
    [{ ...online, connectorStatuses: ['Available', 'Charging'] }, 'charging'],
    [{ ...online, connectorStatuses: ['Occupied'] }, 'charging'],
    [{ ...online, connectorStatuses: ['SuspendedEV'] }, 'charging'],
    [{ ...online, connectorStatuses: ['Charging', 'Faulted'] }, 'faulted'],
    [{ ...online, connectorStatuses: ['Unavailable'] }, 'unavailable'],
    [{ ...online, connectorStatuses: ['Unknown'] }, 'unavailable'],
    [{ ...online, connectorStatuses: [] }, 'unavailable'],
    [{ ...online, online: false, connectorStatuses: ['Faulted'] }, 'offline'],
    [{ online: true, registrationStatus: 'pending' as const, connectorStatuses: ['Available'] }, 'pending'],
    [{ online: false, registrationStatus: 'rejected' as const, connectorStatuses: [] }, 'pending'],
  ])('%o -> %s', (input, state) => {
    expect(stationState(input)).toBe(state);
  });
});

describe('countStates', () => {
  it('counts each state', () => {
    expect(countStates(['available', 'charging', 'charging', 'offline'])).toEqual({
      available: 1,
      charging: 2,
      faulted: 0,
      unavailable: 0,
      offline: 1,
      pending: 0,
    });
  });
});
