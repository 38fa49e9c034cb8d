import { and, eq, gt, lte, or } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { chargingStations, tariffAssignments, tariffs, tariffVersions } from '@/lib/db/schema';
import { fitPriceText, standingCaliforniaPrices, standingPriceText } from '@/lib/domain/pricing/display';
import type { TariffVersion } from '@/lib/domain/pricing/tariff';
import { getLogger } from '@/lib/logger';
import { subscribe } from '@/lib/realtime/bus';
import type { StationLink } from '@/lib/services/charger-link';
import { resolveTariffAt } from '@/lib/services/tariffs';
import { inTurn } from './follow-ups';
import { runCommand, type CommandDeps } from './send';

/**
 * The price on a charger's screen before anyone identifies (NEVI 23 CFR 680.116(a): the price is
 * shown before a session starts, also to a driver who pays by contactless card and never presents
 * a token): the tariff a driver without a group pays at the station now, the same one the map popup
 * shows, as a text that holds at any time of day (time-of-use bands spelled out).
 * - OCPP 1.6, stations with the California pricing setting on: the OCA "OCPP & California Pricing
 *   Requirements" configuration key DefaultPrice.
 * - OCPP 2.0.1: TariffCostCtrlr.TariffFallbackMessage, which a station shows when it has no
 *   driver-specific price (I01).
 * Sent as ordinary commands (ChangeConfiguration / SetVariables) so they show in the station's
 * command log, after each accepted boot, when tariffs or the station change, and when a tariff
 * version that was entered ahead comes into force. A station whose tariff goes away gets an empty
 * text (1.6: zero prices too, which is what ChargeOps bills where no tariff applies), so it does not
 * keep showing a price that no longer holds; one that never had a price from us gets nothing.
 */

export const defaultPriceKey = 'DefaultPrice';
export const tariffFallbackMessageKey = 'TariffCostCtrlr.TariffFallbackMessage';

/** 1.6 ChangeConfiguration.req value is a CiString500: the whole JSON has to fit. */
const maxConfigurationValue = 500;
/** 2.0.1 SetVariableData.attributeValue holds at most 1000 characters. */
const maxAttributeValue = 1000;

/** A configuration value as sent to a station. */
export interface DefaultPriceSetting {
  key: string;
  value: string;
}

/** The key and value that put a tariff's standing price (null: none) on a station of this version. */
export function defaultPriceSetting(
  ocppVersion: '1.6' | '2.0.1',
  version: TariffVersion | null,
): DefaultPriceSetting {
  const text = version ? standingPriceText(version) : '';
  if (ocppVersion === '2.0.1')
    return { key: tariffFallbackMessageKey, value: fitPriceText(text, maxAttributeValue) };
  const chargingPrice = version
    ? standingCaliforniaPrices(version).chargingPrice
    : { kWhPrice: 0, hourPrice: 0, flatFee: 0 };
  // priceTextOffline is what the station shows while it cannot reach ChargeOps. The same prices
  // hold then (an offline session is billed when its records arrive, with the tariff in force at
  // its start), so it is the same text.
  const valueWith = (shown: string) =>
    JSON.stringify({ priceText: shown, priceTextOffline: shown, chargingPrice });
  // Both texts share what the JSON leaves of the 500 characters; escaped quotes may take more.
  let room = Math.floor((maxConfigurationValue - valueWith('').length) / 2);
  let value = valueWith(fitPriceText(text, room));
  while (value.length > maxConfigurationValue && room > 0) {
    room -= Math.ceil((value.length - maxConfigurationValue) / 2);
    value = valueWith(fitPriceText(text, Math.max(0, room)));
  }
  return { key: defaultPriceKey, value };
}

const actorLabel = 'ChargeOps (price display)';

/**
 * What ChargeOps last gave each station in this process (answered by the station, whatever it
 * said): the same value is not sent again, so a station that refused it (UnknownComponent,
 * Rejected) is not asked again until the value changes. Per process: after a restart each station
 * gets its price once more at its next boot.
 */
const sent = new Map<string, DefaultPriceSetting>();
const maxRemembered = 50_000;

function remember(stationId: string, setting: DefaultPriceSetting): void {
  sent.delete(stationId);
  sent.set(stationId, setting);
  if (sent.size > maxRemembered) sent.delete(sent.keys().next().value as string);
}

/**
 * Whether an organisation assigns any tariff, remembered for a minute (and forgotten when its
 * tariffs change): every charger's boot asks, and most networks without prices (or a fleet of
 * thousands reconnecting) should cost no query per boot.
 */
const organisationTariffs = new Map<string, { value: Promise<boolean>; at: number }>();
const rememberForMs = 60_000;

function organisationHasTariffs(db: Db, organisationId: string, now: number): Promise<boolean> {
  const cached = organisationTariffs.get(organisationId);
  if (cached && now - cached.at < rememberForMs) return cached.value;
  // The promise is kept, so boots arriving together while it runs share the one query. Served by
  // tariff_assignments_scope_idx (its first column is the organisation).
  const value = db
    .select({ id: tariffAssignments.id })
    .from(tariffAssignments)
    .where(eq(tariffAssignments.organisationId, organisationId))
    .limit(1)
    .then((rows) => rows.length > 0);
  const entry = { value, at: now };
  organisationTariffs.set(organisationId, entry);
  value.catch(() => {
    if (organisationTariffs.get(organisationId) === entry) organisationTariffs.delete(organisationId);
  });
  if (organisationTariffs.size > maxRemembered)
    organisationTariffs.delete(organisationTariffs.keys().next().value as string);
  return value;
}

/** Whether a station may need its default price: it has one from us, or its organisation has tariffs. */
async function mayNeedPrice(db: Db, stationId: string, organisationId: string, now: Date): Promise<boolean> {
  return sent.has(stationId) || organisationHasTariffs(db, organisationId, now.getTime());
}

/**
 * Checks of each station, numbered when they start, and the stations with a check still waiting:
 * either sees a change announced before it (so the change needs no check of its own).
 */
let checks = 0;
const checkedAt = new Map<string, number>();
const waiting = new Set<string>();

function seenSince(stationId: string, announced: number): boolean {
  return waiting.has(stationId) || (checkedAt.get(stationId) ?? 0) > announced;
}

/** One check at a time per station, so two triggers at once do not send the same value twice. */
const queues = new Map<string, Promise<void>>();

function serially(stationId: string, task: () => Promise<void>): Promise<void> {
  const next = (queues.get(stationId) ?? Promise.resolve()).then(task, task);
  queues.set(stationId, next);
  const drop = () => {
    if (queues.get(stationId) === next) queues.delete(stationId);
  };
  next.then(drop, drop);
  return next;
}

/** Gives one station its default price if it differs from what it was last given. */
async function checkStation(db: Db, stationId: string, deps: CommandDeps): Promise<void> {
  checkedAt.delete(stationId);
  checkedAt.set(stationId, ++checks);
  if (checkedAt.size > maxRemembered) checkedAt.delete(checkedAt.keys().next().value as string);
  const [station] = await db
    .select({
      id: chargingStations.id,
      identity: chargingStations.identity,
      organisationId: chargingStations.organisationId,
      siteId: chargingStations.siteId,
      ocppVersion: chargingStations.ocppVersion,
      californiaPricing: chargingStations.californiaPricing,
      registrationStatus: chargingStations.registrationStatus,
    })
    .from(chargingStations)
    .where(eq(chargingStations.id, stationId));
  if (!station || station.registrationStatus !== 'accepted') return;
  const ocppVersion = station.ocppVersion;
  // A 1.6 charger without the California pricing firmware does not know the key. Forgotten, so
  // switching the setting on (again) sends the price.
  if (
    (ocppVersion !== '1.6' && ocppVersion !== '2.0.1') ||
    (ocppVersion === '1.6' && !station.californiaPricing)
  ) {
    sent.delete(stationId);
    return;
  }
  if (!deps.gateway.isConnected(station.identity)) return;
  const now = deps.now();
  const resolved = await resolveTariffAt(
    db,
    station.organisationId,
    { siteId: station.siteId, stationId: station.id, evseId: null, groupIds: [] },
    now,
  );
  const last = sent.get(stationId);
  // No price, and none shown by us: nothing to clear.
  if (!resolved && !last) return;
  const setting = defaultPriceSetting(ocppVersion, resolved?.version ?? null);
  if (last && last.key === setting.key && last.value === setting.value) return;
  const command = await runCommand(
    db,
    { kind: 'system', label: actorLabel, organisationId: station.organisationId },
    station,
    { kind: 'change-configuration', key: setting.key, value: setting.value },
    deps,
  );
  // Unanswered: tried again at the next occasion (a boot, a change).
  if (command.status !== 'offline' && command.status !== 'timed_out') remember(stationId, setting);
}

function check(db: Db, stationId: string, deps: CommandDeps): Promise<void> {
  waiting.add(stationId);
  return serially(stationId, () =>
    inTurn(() => {
      waiting.delete(stationId);
      return checkStation(db, stationId, deps);
    }),
  );
}

/**
 * After an accepted boot: the station's default price, unless it has it from us already. Costs at
 * most one query (cached per organisation) for a station of a network without tariffs. A failure
 * is logged, not thrown: the boot's other follow-ups still run.
 */
export async function showDefaultPriceAfterBoot(db: Db, link: StationLink, deps: CommandDeps): Promise<void> {
  try {
    if (!(await mayNeedPrice(db, link.stationId, link.organisationId, deps.now()))) return;
    await check(db, link.stationId, deps);
  } catch (error) {
    getLogger().warn({ err: error, stationId: link.stationId }, 'default price after boot failed');
  }
}

/** The online stations of an organisation that show a default price get theirs, where it changed. */
async function checkOrganisation(
  db: Db,
  organisationId: string,
  deps: CommandDeps,
  stopped: () => boolean,
): Promise<void> {
  const stations = await db
    .select({ id: chargingStations.id })
    .from(chargingStations)
    .where(
      and(
        eq(chargingStations.organisationId, organisationId),
        eq(chargingStations.online, true),
        eq(chargingStations.registrationStatus, 'accepted'),
        or(
          eq(chargingStations.ocppVersion, '2.0.1'),
          and(eq(chargingStations.ocppVersion, '1.6'), eq(chargingStations.californiaPricing, true)),
        ),
      ),
    );
  for (const { id } of stations) {
    if (stopped()) return;
    await check(db, id, deps);
  }
}

/**
 * Keeps chargers' default prices current: the online stations of an organisation whose tariffs
 * changed, a station that changed (its California pricing setting, its site), and, checked every
 * minute, the organisations of tariff versions that came into force since. Returns a function that
 * stops it and resolves once the checks in flight have finished.
 */
export function startDefaultPrice(
  db: Db,
  deps: CommandDeps,
  options: { checkMs?: number; settleMs?: number } = {},
): () => Promise<void> {
  const log = getLogger().child({ job: 'default-price' });
  // Work in flight is awaited by stop, and none starts after it: shutdown closes the database next.
  let stopped = false;
  const isStopped = () => stopped;
  const inFlight = new Set<Promise<void>>();
  const guard = (task: () => Promise<unknown>) => {
    if (stopped) return;
    const running: Promise<void> = task()
      .then(() => undefined)
      .catch((error: unknown) => log.warn({ err: error }, 'default price failed'))
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  };

  // An organisation's stations are gone through once at a time; changes meanwhile ask for one more round.
  const rounds = new Map<string, { again: boolean }>();
  const checkAll = (organisationId: string) => {
    const running = rounds.get(organisationId);
    if (running) {
      running.again = true;
      return;
    }
    const round = { again: true };
    rounds.set(organisationId, round);
    guard(async () => {
      try {
        while (round.again && !stopped) {
          round.again = false;
          await checkOrganisation(db, organisationId, deps, isStopped);
        }
      } finally {
        rounds.delete(organisationId);
      }
    });
  };

  const timers = new Set<ReturnType<typeof setTimeout>>();
  const unsubscribe = subscribe((event) => {
    if (event.type === 'tariff:updated') {
      organisationTariffs.delete(event.organisationId);
      checkAll(event.organisationId);
    }
    if (event.type === 'station:changed') {
      // A boot announces the station before its answer has gone (the boot's own follow-up gives the
      // price), and an edit may come in a burst: the check waits a moment, and is left out when
      // another check of the station will have seen the change.
      const announced = checks;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (seenSince(event.stationId, announced)) return;
        guard(async () => {
          if (await mayNeedPrice(db, event.stationId, event.organisationId, deps.now()))
            await check(db, event.stationId, deps);
        });
      }, options.settleMs ?? 2000);
      timer.unref();
      timers.add(timer);
    }
  });

  // Versions entered ahead of time come into force without an event.
  let checkedUpTo = deps.now();
  const interval = setInterval(() => {
    guard(async () => {
      const now = deps.now();
      // tariff_versions is small (a few versions per tariff): no index on valid_from alone.
      const due = await db
        .selectDistinct({ organisationId: tariffs.organisationId })
        .from(tariffVersions)
        .innerJoin(tariffs, eq(tariffs.id, tariffVersions.tariffId))
        .where(and(gt(tariffVersions.validFrom, checkedUpTo), lte(tariffVersions.validFrom, now)));
      checkedUpTo = now;
      for (const { organisationId } of due) checkAll(organisationId);
    });
  }, options.checkMs ?? 60_000);
  interval.unref();

  return async () => {
    stopped = true;
    unsubscribe();
    clearInterval(interval);
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await Promise.allSettled([...inFlight]);
  };
}
