import { describe, expect, it } from 'vitest';
import { localListProblem } from './local-list-state';

describe('localListProblem', () => {
  it('shows the error of a failed update only: a station without a list, or offline, is not an error', () => {
    expect(localListProblem('failed', 'SendLocalList: VersionMismatch')).toBe(
      'SendLocalList: VersionMismatch',
    );
    expect(localListProblem('unsupported', 'The station has no local authorisation list')).toBeNull();
    expect(localListProblem('pending', 'Waiting for the station to connect')).toBeNull();
    expect(localListProblem('in_sync', null)).toBeNull();
    expect(localListProblem(null, null)).toBeNull();
  });
});
