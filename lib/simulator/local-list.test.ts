import { describe, expect, it } from 'vitest';
import { LocalAuthList, type LocalListItem, type LocalListUpdate } from './local-list';

const now = new Date('2025-06-01T12:00:00Z');
// A message may carry more than the list holds, so that both limits can be reached.
const limits = { maxEntries: 3, maxItemsPerMessage: 4 };

const accepted = (idToken: string, extra: Partial<NonNullable<LocalListItem['info']>> = {}) => ({
  idToken,
  info: { status: 'Accepted', ...extra },
});
const blocked = (idToken: string) => ({ idToken, info: { status: 'Blocked' } });
const removed = (idToken: string) => ({ idToken });
const full = (version: number, items: LocalListItem[]): LocalListUpdate => ({
  updateType: 'Full',
  version,
  items,
});
const differential = (version: number, items: LocalListItem[]): LocalListUpdate => ({
  updateType: 'Differential',
  version,
  items,
});

/** A list holding A (Accepted) and B (Blocked) at version 5. */
function aList(): LocalAuthList {
  const list = new LocalAuthList(limits);
  expect(list.apply(full(5, [accepted('A'), blocked('B')]))).toBe('Accepted');
  return list;
}

const tokens = (list: LocalAuthList) => list.entries().map((e) => `${e.idToken}:${e.status}`);

describe('LocalAuthList', () => {
  it('starts empty at version 0', () => {
    const list = new LocalAuthList(limits);
    expect(list.version).toBe(0);
    expect(list.size).toBe(0);
    expect(list.entries()).toEqual([]);
    expect(list.lookup('A', now)).toBeUndefined();
  });

  it('a full update replaces the whole list and sets its version', () => {
    const list = aList();
    expect(list.version).toBe(5);
    expect(tokens(list)).toEqual(['A:Accepted', 'B:Blocked']);
    // Also with a lower version: a full list is the truth whatever came before.
    expect(list.apply(full(2, [accepted('C')]))).toBe('Accepted');
    expect(list.version).toBe(2);
    expect(tokens(list)).toEqual(['C:Accepted']);
  });

  it('a full update without items empties the list (version 0: empty)', () => {
    const list = aList();
    expect(list.apply(full(6, []))).toBe('Accepted');
    expect(list.size).toBe(0);
    expect(list.version).toBe(0);
  });

  it('a full update with an item without info is Failed and changes nothing', () => {
    const list = aList();
    expect(list.apply(full(6, [accepted('C'), removed('D')]))).toBe('Failed');
    expect(list.version).toBe(5);
    expect(tokens(list)).toEqual(['A:Accepted', 'B:Blocked']);
  });

  it('a differential update adds and replaces tokens with info and removes those without', () => {
    const list = aList();
    expect(list.apply(differential(6, [blocked('A'), accepted('C'), removed('B')]))).toBe('Accepted');
    expect(list.version).toBe(6);
    expect(tokens(list)).toEqual(['A:Blocked', 'C:Accepted']);
    // Removing a token the list does not hold is no error.
    expect(list.apply(differential(7, [removed('Z')]))).toBe('Accepted');
    expect(list.version).toBe(7);
    expect(list.size).toBe(2);
  });

  it('a differential update without items only sets the version', () => {
    const list = aList();
    expect(list.apply(differential(9, []))).toBe('Accepted');
    expect(list.version).toBe(9);
    expect(list.size).toBe(2);
  });

  it('removing the last token leaves an empty list at version 0', () => {
    const list = aList();
    expect(list.apply(differential(6, [removed('A'), removed('B')]))).toBe('Accepted');
    expect(list.version).toBe(0);
    // Any version is newer than "no list".
    expect(list.apply(differential(1, [accepted('C')]))).toBe('Accepted');
    expect(list.version).toBe(1);
  });

  it.each([5, 4])('a differential update to version %i of a version 5 list is VersionMismatch', (version) => {
    const list = aList();
    expect(list.apply(differential(version, [accepted('C')]))).toBe('VersionMismatch');
    expect(list.version).toBe(5);
    expect(tokens(list)).toEqual(['A:Accepted', 'B:Blocked']);
  });

  it.each([
    ['full', full(0, [accepted('C')])],
    ['full', full(-1, [accepted('C')])],
    ['differential', differential(0, [accepted('C')])],
  ])('a %s update to version 0 or below is Failed', (_kind, update) => {
    const list = aList();
    expect(list.apply(update)).toBe('Failed');
    expect(list.version).toBe(5);
  });

  it.each([
    ['more items than a message may carry', differential(6, ['C', 'D', 'E', 'F', 'G'].map(removed))],
    [
      'a full list larger than the capacity',
      full(
        6,
        ['C', 'D', 'E', 'F'].map((t) => accepted(t)),
      ),
    ],
    ['a differential update that would overfill', differential(6, [accepted('C'), accepted('D')])],
    ['a token twice in one message', differential(6, [accepted('C'), blocked('C')])],
    ['a token twice, differently spelled', full(6, [accepted('card-1'), accepted('CARD-1')])],
    ['an expiry that is no date', differential(6, [accepted('C', { expiresAt: 'soon' })])],
  ])('%s is Failed and leaves the list as it was', (_case, update) => {
    const list = aList();
    expect(list.apply(update)).toBe('Failed');
    expect(list.version).toBe(5);
    expect(tokens(list)).toEqual(['A:Accepted', 'B:Blocked']);
  });

  it('fills up to its capacity exactly', () => {
    const list = aList();
    expect(list.apply(differential(6, [accepted('C')]))).toBe('Accepted');
    expect(list.size).toBe(3);
    // Replacing and removing within a full list still fits.
    expect(list.apply(differential(7, [blocked('C'), removed('B'), accepted('E')]))).toBe('Accepted');
    expect(tokens(list)).toEqual(['A:Accepted', 'C:Blocked', 'E:Accepted']);
  });

  it('finds tokens whatever their case, and keeps the spelling last sent', () => {
    const list = new LocalAuthList(limits);
    list.apply(full(1, [accepted('04a1b2c3')]));
    expect(list.lookup('04A1B2C3', now)?.status).toBe('Accepted');
    expect(list.apply(differential(2, [blocked('04A1B2C3')]))).toBe('Accepted');
    expect(list.size).toBe(1);
    expect(list.lookup('04a1b2c3', now)).toMatchObject({ idToken: '04A1B2C3', status: 'Blocked' });
    expect(list.apply(differential(3, [removed('04a1B2c3')]))).toBe('Accepted');
    expect(list.lookup('04A1B2C3', now)).toBeUndefined();
  });

  it('reports an entry past its expiry as Expired, and keeps its parent', () => {
    const list = new LocalAuthList(limits);
    list.apply(
      full(1, [
        accepted('OLD', { expiresAt: '2025-06-01T11:59:59Z', parentIdTag: 'FLEET' }),
        accepted('NEW', { expiresAt: '2025-06-01T12:00:01Z' }),
        { idToken: 'BAD', info: { status: 'Invalid', expiresAt: '2030-01-01T00:00:00Z' } },
      ]),
    );
    expect(list.lookup('OLD', now)).toEqual({
      idToken: 'OLD',
      status: 'Expired',
      expiresAt: new Date('2025-06-01T11:59:59Z'),
      parentIdTag: 'FLEET',
    });
    expect(list.lookup('NEW', now)?.status).toBe('Accepted');
    expect(list.lookup('NEW', new Date('2025-06-01T12:00:01Z'))?.status).toBe('Expired');
    expect(list.lookup('BAD', now)?.status).toBe('Invalid');
    // The stored entry keeps the status the CSMS sent.
    expect(list.entries().find((e) => e.idToken === 'OLD')?.status).toBe('Accepted');
  });

  it('clear() forgets the list: version 0, no entries', () => {
    const list = aList();
    list.clear();
    expect(list.version).toBe(0);
    expect(list.entries()).toEqual([]);
    expect(list.lookup('A', now)).toBeUndefined();
  });

  it('entries() are copies: changing them does not change the list', () => {
    const list = aList();
    const [first] = list.entries();
    if (first) first.status = 'Blocked';
    expect(list.lookup('A', now)?.status).toBe('Accepted');
  });

  it('refuses limits that are no positive integers', () => {
    expect(() => new LocalAuthList({ maxEntries: 0, maxItemsPerMessage: 1 })).toThrow(RangeError);
    expect(() => new LocalAuthList({ maxEntries: 10, maxItemsPerMessage: 2.5 })).toThrow(RangeError);
  });
});
