import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { Env } from '@/lib/env';

/**
 * Returns the environment with AUTH_SECRET filled in: when unset, a secret is generated once and
 * kept in the data folder (mode 0600), so a quick start needs no setup and sessions survive restarts.
 */
export function withAuthSecret(env: Env, log: Logger): Env & { AUTH_SECRET: string } {
  if (env.AUTH_SECRET) return { ...env, AUTH_SECRET: env.AUTH_SECRET };
  const file = path.join(env.dataDir, 'auth-secret');
  fs.mkdirSync(env.dataDir, { recursive: true });
  let secret = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
  if (secret.length < 32) {
    secret = crypto.randomBytes(32).toString('base64url');
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    log.warn({ file }, 'AUTH_SECRET is not set: generated one and stored it in the data folder');
  } else {
    log.warn({ file }, 'AUTH_SECRET is not set: using the one stored in the data folder');
  }
  return { ...env, AUTH_SECRET: secret };
}

/** Prints a framed notice straight to the console (not the JSON log), for things a person must read once. */
export function printNotice(lines: string[]): void {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '─'.repeat(width + 2);
  process.stdout.write(`\n┌${bar}┐\n${lines.map((l) => `│ ${l.padEnd(width)} │`).join('\n')}\n└${bar}┘\n\n`);
}
