import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * `npm start`: builds the Next.js app when there is no build or the sources changed since the
 * last one, then starts the production server. Keeps the quick start to one command.
 */
const root = process.cwd();
const buildId = path.join(root, '.next', 'BUILD_ID');
const sources = [
  'app',
  'components',
  'lib',
  'next.config.ts',
  'package-lock.json',
  'postcss.config.mjs',
  'proxy.ts',
];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

function needsBuild(): string | null {
  if (!fs.existsSync(buildId)) return 'no build yet';
  const built = fs.statSync(buildId).mtimeMs;
  const changed = sources.find((s) => newestMtime(path.join(root, s)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

Object.assign(process.env, { NODE_ENV: 'production' });
const reason = needsBuild();
if (reason) {
  process.stdout.write(`Building ChargeOps (${reason}); this takes a minute or two...\n`);
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    {
      stdio: 'inherit',
      env: process.env,
    },
  );
  if (result.status !== 0) {
    process.stderr.write('The build failed; see the output above.\n');
    process.exit(result.status ?? 1);
  }
}

const { main } = await import('./index');
await main();
