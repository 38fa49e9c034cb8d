import { describe, expect, it } from 'vitest';
import { bulkCommandInput, commandInput, isDisruptive } from './commands';

describe('command input', () => {
  it('reads form strings into typed commands', () => {
    expect(commandInput.parse({ kind: 'remote-start', evseId: '', idToken: ' TAG1 ' })).toEqual({
      kind: 'remote-start',
      idToken: 'TAG1',
    });
    expect(
      commandInput.parse({
        kind: 'get-configuration',
        keys: 'HeartbeatInterval, MeterValueSampleInterval\nFoo',
      }),
    ).toEqual({
      kind: 'get-configuration',
      keys: ['HeartbeatInterval', 'MeterValueSampleInterval', 'Foo'],
    });
    expect(commandInput.parse({ kind: 'change-availability', availability: 'inoperative' })).toEqual({
      kind: 'change-availability',
      evseId: 0,
      availability: 'inoperative',
    });
    expect(commandInput.parse({ kind: 'reserve', idToken: 'A', minutes: '30', evseId: '2' })).toMatchObject({
      evseId: 2,
      minutes: 30,
    });
  });

  it.each([
    [{ kind: 'remote-start', idToken: 'has space' }, 'idToken'],
    [{ kind: 'remote-start', idToken: '' }, 'idToken'],
    [{ kind: 'unlock', evseId: '0' }, 'evseId'],
    [{ kind: 'change-configuration', key: 'bad key', value: '1' }, 'key'],
    [{ kind: 'update-firmware', location: 'file:///etc/passwd' }, 'location'],
    [{ kind: 'reserve', idToken: 'A', minutes: '0' }, 'minutes'],
    [{ kind: 'remote-stop', sessionId: 'nope' }, 'sessionId'],
  ])('refuses %j at %s', (input, field) => {
    const result = commandInput.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });

  it('allows only station-wide commands in bulk', () => {
    expect(bulkCommandInput.safeParse({ kind: 'reset', mode: 'soft' }).success).toBe(true);
    expect(bulkCommandInput.safeParse({ kind: 'remote-start', idToken: 'A' }).success).toBe(false);
  });

  it.each([
    [{ kind: 'reset', mode: 'soft' }, true],
    [{ kind: 'reset', mode: 'hard' }, true],
    [{ kind: 'remote-stop' }, true],
    [{ kind: 'change-availability', availability: 'inoperative' }, true],
    [{ kind: 'change-availability', availability: 'operative' }, false],
    [{ kind: 'update-firmware' }, true],
    [{ kind: 'remote-start' }, false],
    [{ kind: 'get-configuration' }, false],
  ] as const)('asks first for %j: %s', (input, disruptive) => {
    expect(isDisruptive(input)).toBe(disruptive);
  });
});
