import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, envKeys, parseEnv } from './env';

describe('parseEnv', () => {
  it('gives the documented defaults for an empty environment', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: './.data',
      SESSION_HOURS: 10,
      DEMO: false,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 10000,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.AUTH_SECRET).toBeUndefined();
    expect(env.dataDir).toBe(path.resolve('.data'));
  });

  it('treats empty strings as unset and reads flags', () => {
    const env = parseEnv({ DATABASE_URL: '', DEMO: '1' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DEMO).toBe(true);
  });

  it('names every bad variable with its value and the rule', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', AUTH_SECRET: 'short', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems.join('\n');
    expect(problems).toMatch(/^PORT="eighty": /m);
    expect(problems).toMatch(/^DATABASE_URL="mysql:\/\/x": must start with postgres/m);
    expect(problems).toMatch(/^AUTH_SECRET="short": must be at least 32 characters/m);
    expect(problems).toMatch(/^LOG_LEVEL="loud": /m);
  });

  it('takes an EV-ChART network provider key, and nothing that looks like a display name', () => {
    expect(parseEnv({}).NEVI_NETWORK_PROVIDER).toBeUndefined();
    expect(parseEnv({ NEVI_NETWORK_PROVIDER: 'shell_recharge' }).NEVI_NETWORK_PROVIDER).toBe(
      'shell_recharge',
    );
    expect(() => parseEnv({ NEVI_NETWORK_PROVIDER: 'Shell Recharge' })).toThrow(
      /^ {2}- NEVI_NETWORK_PROVIDER="Shell Recharge": must be a key/m,
    );
  });

  it('wants ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(() => parseEnv({ ADMIN_EMAIL: 'a@b.test' })).toThrow(/set both or neither/);
    expect(parseEnv({ ADMIN_EMAIL: 'a@b.test', ADMIN_PASSWORD: 'long enough password' }).ADMIN_EMAIL).toBe(
      'a@b.test',
    );
  });
});

describe('.env.example', () => {
  it('lists every variable ChargeOps reads, with its default, and nothing else', () => {
    const text = fs.readFileSync(path.resolve(import.meta.dirname, '..', '.env.example'), 'utf8');
    const listed = new Map(
      text
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
    );
    expect([...listed.keys()].sort()).toEqual([...envKeys].sort());
    // The values shown are the defaults: parsing the file gives the same as parsing nothing.
    const fromExample = parseEnv(Object.fromEntries(listed));
    expect(fromExample).toEqual(parseEnv({}));
  });
});
