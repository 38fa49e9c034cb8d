import type { Db } from '@/lib/db';
import type { StationLink } from '@/lib/services/charger-link';
import { applyConfigurationDefaults } from './configuration-defaults';
import { showDefaultPriceAfterBoot } from './default-price';
import { syncLocalListAfterBoot } from './local-list-sync';
import type { CommandDeps } from './send';

/**
 * What ChargeOps does with a station after an accepted BootNotification, once the answer has gone:
 * its configuration defaults first (they may switch the local list on), the price it shows before
 * anyone identifies, then its local list.
 */
export async function followUpBoot(
  db: Db,
  station: StationLink,
  ocppVersion: '1.6' | '2.0.1',
  deps: CommandDeps,
): Promise<void> {
  await applyConfigurationDefaults(db, station, ocppVersion, deps);
  await showDefaultPriceAfterBoot(db, station, deps);
  await syncLocalListAfterBoot(db, station, deps);
}
