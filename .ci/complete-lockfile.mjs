// The npm registry mirror of this workplace serves only the platform packages it has seen (linux-x64),
// so `npm install` leaves the other platforms' optional binaries (darwin, win32, ...) out of
// package-lock.json, and `npm ci` then refuses the lock as out of sync. This adds a minimal entry
// (version, optional) for each optional dependency the lock names but does not list; npm skips
// them on platforms where they cannot be installed. Run after changing dependencies:
//   node .ci/complete-lockfile.mjs
import fs from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;
const added = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    const top = `node_modules/${name}`;
    if (packages[nested] || packages[top]) continue;
    packages[top] = { version, optional: true };
    added.push(`${name}@${version}`);
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'))),
);
lock.packages = sorted;
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} entries: ${added.join(', ')}` : 'lock file complete');
