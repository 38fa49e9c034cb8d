import type { Db } from '@/lib/db';
import { sameConfigurationValue } from '@/lib/domain/configuration/defaults';
import type { StationLink } from '@/lib/services/charger-link';
import { keyOf, wantedConfiguration } from '@/lib/services/configuration';
import { stationVariables } from '@/lib/db/schema';
import { eq } from 'drizzle-orm';
import { inTurn } from './follow-ups';
import { runCommand, type CommandDeps } from './send';

/**
 * After a station boots, brings its configuration to the wanted values (organisation defaults,
 * site overrides): reads the wanted keys, then changes the ones that differ. Every step is an
 * ordinary command in the station's log, sent by ChargeOps itself.
 */
export function applyConfigurationDefaults(
  db: Db,
  link: StationLink,
  ocppVersion: '1.6' | '2.0.1',
  deps: CommandDeps,
): Promise<void> {
  return inTurn(() => applyNow(db, link, ocppVersion, deps));
}

async function applyNow(
  db: Db,
  link: StationLink,
  ocppVersion: '1.6' | '2.0.1',
  deps: CommandDeps,
): Promise<void> {
  const wanted = await wantedConfiguration(db, {
    organisationId: link.organisationId,
    siteId: link.siteId,
    ocppVersion,
  });
  if (wanted.length === 0) return;
  const actor = {
    kind: 'system' as const,
    label: 'ChargeOps (configuration defaults)',
    organisationId: link.organisationId,
  };
  const station = {
    id: link.stationId,
    identity: link.identity,
    organisationId: link.organisationId,
    siteId: link.siteId,
  };
  const read = await runCommand(
    db,
    actor,
    station,
    { kind: 'get-configuration', keys: wanted.map((w) => w.key) },
    deps,
  );
  if (read.status !== 'accepted') return;
  const stored = await db
    .select()
    .from(stationVariables)
    .where(eq(stationVariables.stationId, link.stationId));
  const actual = new Map(stored.filter((v) => v.attributeType === 'Actual').map((v) => [keyOf(v), v]));
  for (const { key, value } of wanted) {
    const current = actual.get(key);
    // Unknown to the station, or read-only: nothing to change; the drift view shows it.
    if (!current || current.readonly) continue;
    if (current.value !== null && sameConfigurationValue(value, current.value)) continue;
    const changed = await runCommand(db, actor, station, { kind: 'change-configuration', key, value }, deps);
    if (changed.status === 'offline') return;
  }
}
