import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { blockInput, driverInput, groupInput, policyInput, tokenInput } from './drivers';

function errorsOf(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  return result.success
    ? {}
    : Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
}

const groupId = '3f1b1a3e-8a2c-4c1e-9f0e-0a1b2c3d4e5f';
const otherGroupId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('driverInput', () => {
  it('trims, lowercases the email and treats blank fields as not given', () => {
    expect(
      driverInput.parse({ name: ' Ada ', email: ' Ada@Example.TEST ', phone: ' ', company: '' }),
    ).toEqual({
      name: 'Ada',
      email: 'ada@example.test',
    });
  });

  it('asks for a name and a valid email', () => {
    expect(errorsOf(driverInput, { name: '', email: 'ada@' })).toEqual({
      name: 'Enter a name',
      email: 'Enter a valid email address',
    });
    expect(errorsOf(driverInput, { name: 'A'.repeat(121), phone: '1'.repeat(41) })).toEqual({
      name: 'At most 120 characters',
      phone: 'At most 40 characters',
    });
  });
});

describe('tokenInput', () => {
  it('defaults to an RFID card of type ISO14443 and keeps the value as typed', () => {
    expect(
      tokenInput.parse({ idToken: ' 04a1B2 ', kind: '', ocppType: '', driverId: '', expiresAt: '' }),
    ).toEqual({ idToken: '04a1B2', kind: 'rfid', ocppType: 'ISO14443' });
  });

  it('accepts 36 printable characters without spaces (2.0.1) and says 1.6 takes 20', () => {
    expect(tokenInput.safeParse({ idToken: 'A'.repeat(36) }).success).toBe(true);
    expect(errorsOf(tokenInput, { idToken: 'A'.repeat(37) })).toEqual({
      idToken: 'At most 36 characters (OCPP 1.6 chargers accept only 20)',
    });
    for (const idToken of ['04 A1', 'naïve', 'tab\there']) {
      expect(errorsOf(tokenInput, { idToken })).toEqual({
        idToken: 'Use letters, digits and symbols only, without spaces',
      });
    }
  });

  it('takes an expiry with its offset, with or without seconds, or a Date', () => {
    expect(tokenInput.parse({ idToken: 'A', expiresAt: '2026-12-31T23:59+01:00' }).expiresAt).toEqual(
      new Date('2026-12-31T22:59:00Z'),
    );
    const date = new Date('2027-01-01T00:00:00Z');
    expect(tokenInput.parse({ idToken: 'A', expiresAt: date }).expiresAt).toEqual(date);
    expect(Object.keys(errorsOf(tokenInput, { idToken: 'A', expiresAt: '2026-12-31T23:59' }))).toEqual([
      'expiresAt',
    ]);
  });

  it('knows the 2.0.1 token types and the kinds', () => {
    expect(tokenInput.parse({ idToken: 'A', kind: 'app', ocppType: 'eMAID' })).toMatchObject({
      kind: 'app',
      ocppType: 'eMAID',
    });
    expect(
      Object.keys(errorsOf(tokenInput, { idToken: 'A', kind: 'card', ocppType: 'NoAuthorization' })),
    ).toEqual(['kind', 'ocppType']);
    expect(
      Object.keys(errorsOf(tokenInput, { idToken: 'A', driverId: 'x', parentIdTag: 'P'.repeat(21) })),
    ).toEqual(['driverId', 'parentIdTag']);
  });
});

describe('blockInput and groupInput', () => {
  it('need a reason and a name', () => {
    expect(errorsOf(blockInput, { reason: ' ' })).toEqual({ reason: 'Say why, e.g. “card lost”' });
    expect(errorsOf(groupInput, { name: '' })).toEqual({ name: 'Enter a name' });
    expect(groupInput.parse({ name: 'Fleet', description: '' })).toEqual({ name: 'Fleet' });
  });
});

describe('policyInput', () => {
  it('parses grants with windows (across midnight, to 24:00) and an optional power cap', () => {
    expect(
      policyInput.parse({
        mode: 'restricted',
        grants: [
          { groupId, windows: [{ days: [5, 6], start: '22:00', end: '06:00' }], maxPowerW: '7400' },
          { groupId: otherGroupId, windows: [{ days: [0], start: '00:00', end: '24:00' }], maxPowerW: null },
        ],
      }),
    ).toEqual({
      mode: 'restricted',
      grants: [
        { groupId, windows: [{ days: [5, 6], start: '22:00', end: '06:00' }], maxPowerW: 7400 },
        { groupId: otherGroupId, windows: [{ days: [0], start: '00:00', end: '24:00' }], maxPowerW: null },
      ],
    });
    expect(policyInput.parse({ mode: 'public' })).toEqual({ mode: 'public', grants: [] });
  });

  it('refuses malformed windows and caps, grants on a public policy and a group twice', () => {
    const restricted = (grant: object) => ({ mode: 'restricted', grants: [{ groupId, ...grant }] });
    for (const window of [
      { days: [], start: '07:00', end: '19:00' },
      { days: [1, 1], start: '07:00', end: '19:00' },
      { days: [1.5], start: '07:00', end: '19:00' },
      { days: [1], start: '24:00', end: '06:00' },
      { days: [1], start: '07:00', end: '07:00' },
      { days: [1], start: '07:00', end: '25:00' },
    ]) {
      expect(Object.keys(errorsOf(policyInput, restricted({ windows: [window] })))).toEqual(['grants']);
    }
    for (const maxPowerW of [0, -1, 1.5, 1_000_001, 'lots']) {
      expect(Object.keys(errorsOf(policyInput, restricted({ maxPowerW })))).toEqual(['grants']);
    }
    expect(errorsOf(policyInput, { mode: 'public', grants: [{ groupId }] })).toEqual({
      grants: 'A public policy lets every valid token charge: remove the groups, or choose restricted',
    });
    expect(errorsOf(policyInput, { mode: 'restricted', grants: [{ groupId }, { groupId }] })).toEqual({
      grants: 'List each group once',
    });
    expect(errorsOf(policyInput, { mode: 'closed' })).toEqual({ mode: 'Choose public or restricted' });
  });
});
