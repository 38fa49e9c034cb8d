import type { CurrentLimit, Supply } from './meter';

/**
 * Smart charging at the simulated station (1.6 Smart Charging profile, §3.13 and §5.5, §5.7, §5.16;
 * 2.0.1 functional block K): the charging profiles the CSMS installs, the rules for installing and
 * clearing them, and the limit they put on an EVSE at an instant or over a period (the composite
 * schedule). Pure: times are ms since the epoch, given as parameters. Version-neutral, in 2.0.1's
 * words: 1.6's ChargePointMaxProfile is ChargingStationMaxProfile here, and a connector an EVSE.
 */

export type ChargingProfilePurpose =
  'ChargingStationMaxProfile' | 'TxDefaultProfile' | 'TxProfile' | 'ChargingStationExternalConstraints';
export type ChargingProfileKind = 'Absolute' | 'Recurring' | 'Relative';
export type RecurrencyKind = 'Daily' | 'Weekly';
export type ChargingRateUnit = 'A' | 'W';

export interface ChargingSchedulePeriod {
  /** Seconds from the start of the schedule. */
  startPeriod: number;
  /** In the schedule's chargingRateUnit: A per phase, or W over all phases. */
  limit: number;
  numberPhases?: number;
  phaseToUse?: number;
}

export interface ChargingSchedule {
  startSchedule?: number;
  /** Seconds; after it the profile sets no limit (until it recurs). */
  duration?: number;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
  minChargingRate?: number;
}

export interface ChargingProfile {
  id: number;
  /** The EVSE (1.6: connector) it is set on; 0 = the station as a whole. */
  evseId: number;
  stackLevel: number;
  chargingProfilePurpose: ChargingProfilePurpose;
  chargingProfileKind: ChargingProfileKind;
  recurrencyKind?: RecurrencyKind;
  /** TxProfile: the transaction it belongs to (1.6: the one running when it was set, if not given). */
  transactionId?: string;
  validFrom?: number;
  validTo?: number;
  /** 2.0.1 allows up to three for ISO 15118 EVs to choose from; the simulated EV takes the first. */
  chargingSchedule: ChargingSchedule;
}

export interface InstalledProfile extends ChargingProfile {
  /** Where an Absolute or Recurring schedule without startSchedule or validFrom starts. */
  installedAt: number;
}

/** What the station accepts (1.6 configuration keys, 2.0.1 SmartChargingCtrlr variables). */
export interface ProfileLimits {
  /** ChargeProfileMaxStackLevel / ProfileStackLevel. */
  maxStackLevel: number;
  /** ChargingScheduleMaxPeriods / PeriodsPerSchedule. */
  maxPeriods: number;
  /** MaxChargingProfilesInstalled / the maxLimit of SmartChargingCtrlr.Entries[ChargingProfiles]. */
  maxProfiles: number;
}

export const defaultProfileLimits: ProfileLimits = { maxStackLevel: 8, maxPeriods: 24, maxProfiles: 20 };

/** IEC 61851-1: an AC EV cannot charge below 6 A per phase; a lower limit pauses it. */
export const minimumChargingCurrentA = 6;

/** What the station knows when a profile is set. */
export interface InstallContext {
  at: number;
  evseCount: number;
  /** The transaction running on the EVSE, if any. */
  transactionOn(evseId: number): string | undefined;
  /**
   * Whose rules: 2.0.1 rejects what 1.6 tolerates (K01.FR.03, .06, .22, .31, .39, .40, .41) and
   * replaces only by id, where 1.6 also replaces a profile of the same purpose and stack level.
   */
  rules: '1.6' | '2.0.1';
}

/** Why a profile was rejected: a 2.0.1 statusInfo reasonCode (20 characters at most) and words for the log. */
export interface Rejection {
  reasonCode: string;
  reason: string;
}

export type InstallResult = { status: 'Accepted' } | ({ status: 'Rejected' } & Rejection);

function no(reasonCode: string, reason: string): Rejection {
  return { reasonCode, reason };
}

/** ClearChargingProfile: by id, or every profile matching all the criteria given (none: all). */
export interface ClearCriteria {
  id?: number;
  evseId?: number;
  chargingProfilePurpose?: ChargingProfilePurpose;
  stackLevel?: number;
}

/** The transaction on an EVSE, as the profiles see it. */
export interface RunningTransaction {
  id: string;
  startedAt: number;
}

export interface LimitQuery {
  evseId: number;
  at: number;
  supply: Supply;
  transaction?: RunningTransaction;
  /** Where a Relative schedule starts without a transaction (default `at`). */
  origin?: number;
  /** EVSEs charging under the station's maximum, each getting an equal part (default 1: all of it). */
  stationMaxShare?: number;
}

const day = 86_400_000;
const week = 7 * day;

/** The profiles installed at the station. Like a real station's they live in flash: a reboot keeps them. */
export class ChargingProfiles {
  private profiles: InstalledProfile[] = [];

  constructor(readonly limits: ProfileLimits = defaultProfileLimits) {}

  /** How many are installed (SmartChargingCtrlr.Entries[ChargingProfiles]). */
  get size(): number {
    return this.profiles.length;
  }

  /** The installed profiles, oldest first. */
  list(): readonly InstalledProfile[] {
    return this.profiles;
  }

  /** SetChargingProfile: installs the profile, replacing others as the version's rules say, or rejects it. */
  install(profile: ChargingProfile, context: InstallContext): InstallResult {
    const rejected = rejection(profile, this.profiles, this.limits, context);
    if (rejected) return { status: 'Rejected', ...rejected };
    const transactionId =
      profile.chargingProfilePurpose === 'TxProfile'
        ? (profile.transactionId ?? context.transactionOn(profile.evseId))
        : undefined;
    // 1.6 §5.16, 2.0.1 K01.FR.05: a profile with the same id is replaced. 1.6 §5.16 also replaces
    // one of the same purpose and stack level (on the same connector); 2.0.1 rejected those above.
    const replaced = (p: InstalledProfile) =>
      p.id === profile.id ||
      (context.rules === '1.6' &&
        p.chargingProfilePurpose === profile.chargingProfilePurpose &&
        p.stackLevel === profile.stackLevel &&
        p.evseId === profile.evseId);
    const kept = this.profiles.filter((p) => !replaced(p));
    // MaxChargingProfilesInstalled / SmartChargingCtrlr.Entries[ChargingProfiles] maxLimit.
    if (kept.length >= this.limits.maxProfiles)
      return {
        status: 'Rejected',
        ...no('InvalidProfile', `the station holds at most ${this.limits.maxProfiles} profiles`),
      };
    const installed: InstalledProfile = { ...profile, installedAt: context.at };
    if (transactionId === undefined) delete installed.transactionId;
    else installed.transactionId = transactionId;
    this.profiles = [...kept, installed];
    return { status: 'Accepted' };
  }

  /** ClearChargingProfile; the profiles removed (none: the answer is Unknown). */
  clear(criteria: ClearCriteria): InstalledProfile[] {
    const matches = (p: InstalledProfile) =>
      criteria.id !== undefined
        ? p.id === criteria.id
        : (criteria.evseId === undefined || p.evseId === criteria.evseId) &&
          (criteria.chargingProfilePurpose === undefined ||
            p.chargingProfilePurpose === criteria.chargingProfilePurpose) &&
          (criteria.stackLevel === undefined || p.stackLevel === criteria.stackLevel);
    const removed = this.profiles.filter(matches);
    this.profiles = this.profiles.filter((p) => !matches(p));
    return removed;
  }

  /** 1.6 §3.13.1, 2.0.1 K01 (TxProfile): a transaction's profiles go when it ends. */
  transactionEnded(transactionId: string): void {
    this.profiles = this.profiles.filter(
      (p) => p.chargingProfilePurpose !== 'TxProfile' || p.transactionId !== transactionId,
    );
  }

  /** The limit the installed profiles put on an EVSE at an instant (undefined: none). */
  limitAt(query: LimitQuery): CurrentLimit | undefined {
    return limitAt(this.profiles, query);
  }
}

/** Why a profile cannot be installed, if it cannot. */
function rejection(
  profile: ChargingProfile,
  installed: readonly InstalledProfile[],
  limits: ProfileLimits,
  context: InstallContext,
): Rejection | undefined {
  const { evseId, stackLevel, chargingProfilePurpose: purpose, chargingProfileKind: kind } = profile;
  const { chargingSchedulePeriod: periods, startSchedule } = profile.chargingSchedule;
  const v201 = context.rules === '2.0.1';
  if (!Number.isInteger(evseId) || evseId < 0 || evseId > context.evseCount)
    return no('UnknownEvse', `no EVSE ${evseId}`);
  // 2.0.1 K01.FR.22: external constraints come from elsewhere, never from the CSMS.
  if (purpose === 'ChargingStationExternalConstraints')
    return no('InvalidProfile', 'ChargingStationExternalConstraints cannot be set by the CSMS');
  if (purpose === 'ChargingStationMaxProfile') {
    // 1.6 §3.13.1, 2.0.1 SetChargingProfileRequest.evseId: it is set for the station as a whole.
    if (evseId !== 0) return no('InvalidProfile', 'a station maximum is set on EVSE 0');
    // 2.0.1 K01.FR.38; in 1.6 too there is no transaction for it to be relative to.
    if (kind === 'Relative') return no('InvalidProfile', 'a station maximum cannot be Relative');
  }
  if (purpose === 'TxProfile') {
    const running = evseId > 0 ? context.transactionOn(evseId) : undefined;
    if (running === undefined) return no('TxNotFound', `no transaction on EVSE ${evseId}`);
    // 2.0.1 K01.FR.03: the CSMS names the transaction; 1.6 binds the profile to the running one.
    if (v201 && profile.transactionId === undefined)
      return no('TxNotFound', 'a TxProfile needs a transactionId');
    if (profile.transactionId !== undefined && profile.transactionId !== running)
      return no('TxNotFound', `transaction ${profile.transactionId} is not running on EVSE ${evseId}`);
  }
  if (!Number.isInteger(stackLevel) || stackLevel < 0 || stackLevel > limits.maxStackLevel)
    return no('InvalidStackLevel', `stackLevel goes from 0 to ${limits.maxStackLevel}`);
  if (kind === 'Recurring' && !profile.recurrencyKind)
    return no('InvalidProfile', 'a Recurring profile needs a recurrencyKind');
  if (v201 && kind !== 'Relative' && startSchedule === undefined)
    return no('InvalidSchedule', `an ${kind} schedule needs a startSchedule`); // K01.FR.40
  if (v201 && kind === 'Relative' && startSchedule !== undefined)
    return no('InvalidSchedule', 'a Relative schedule has no startSchedule'); // K01.FR.41
  if (
    profile.validFrom !== undefined &&
    profile.validTo !== undefined &&
    profile.validTo <= profile.validFrom
  )
    return no('InvalidProfile', 'validTo is not after validFrom');
  if (periods.length === 0 || periods.length > limits.maxPeriods)
    return no('InvalidSchedule', `a schedule has 1 to ${limits.maxPeriods} periods`);
  // 2.0.1 K01.FR.31: the first period starts the schedule.
  if (v201 && periods[0]?.startPeriod !== 0) return no('InvalidSchedule', 'the first period starts at 0');
  for (const [i, period] of periods.entries()) {
    const previous = periods[i - 1];
    // 2.0.1 K01.FR.35; the station finds the period in force by this order.
    if (previous && period.startPeriod <= previous.startPeriod)
      return no('InvalidSchedule', 'periods start in increasing order');
    if (period.startPeriod < 0 || period.limit < 0)
      return no('InvalidSchedule', 'startPeriod and limit are not negative');
    const phases = period.numberPhases;
    if (phases !== undefined && (phases < 1 || phases > 3))
      return no('InvalidSchedule', 'numberPhases goes from 1 to 3');
    // 2.0.1 K01.FR.19, K01.FR.20: the simulated EVSEs cannot switch phases.
    if (period.phaseToUse !== undefined)
      return no('InvalidSchedule', 'phaseToUse is not supported (no phase switching)');
  }
  const duplicate = installed.find(
    (p) =>
      p.id !== profile.id &&
      p.chargingProfilePurpose === purpose &&
      p.stackLevel === stackLevel &&
      (purpose === 'TxProfile' ? p.transactionId === profile.transactionId : p.evseId === evseId),
  );
  // 2.0.1 K01.FR.06 (K01.FR.39 for a transaction's profiles); 1.6 replaces it instead.
  if (v201 && duplicate)
    return no('DuplicateProfile', `profile ${duplicate.id} has the same purpose and stackLevel`);
  return undefined;
}

/** When the schedule's current run started: its recurrence, the transaction start, or a fixed time. */
function scheduleStart(p: InstalledProfile, at: number, origin: number, transaction?: RunningTransaction) {
  if (p.chargingProfileKind === 'Relative') return transaction?.startedAt ?? origin;
  const base = p.chargingSchedule.startSchedule ?? p.validFrom ?? p.installedAt;
  if (p.chargingProfileKind === 'Absolute') return base;
  const every = p.recurrencyKind === 'Weekly' ? week : day;
  return base + Math.floor((at - base) / every) * every;
}

/** The period in force at `at`, if the profile is valid and its schedule runs then. */
function periodAt(
  p: InstalledProfile,
  at: number,
  origin: number,
  transaction?: RunningTransaction,
): ChargingSchedulePeriod | undefined {
  if (p.validFrom !== undefined && at < p.validFrom) return undefined;
  if (p.validTo !== undefined && at >= p.validTo) return undefined;
  const elapsedS = (at - scheduleStart(p, at, origin, transaction)) / 1000;
  const { duration, chargingSchedulePeriod } = p.chargingSchedule;
  if (elapsedS < 0 || (duration !== undefined && elapsedS >= duration)) return undefined;
  return chargingSchedulePeriod.findLast((period) => period.startPeriod <= elapsedS);
}

/** A period's limit as a current per phase, on the phases it allows (W over them converted to A). */
export function currentOf(
  period: Pick<ChargingSchedulePeriod, 'limit' | 'numberPhases'>,
  unit: ChargingRateUnit,
  supply: Supply,
): CurrentLimit {
  // numberPhases: 3 unless said otherwise (1.6 §7.9, 2.0.1 ChargingSchedulePeriodType); none for DC.
  const phases = supply.ac ? Math.min(period.numberPhases ?? 3, supply.phases) : supply.phases;
  const amps = unit === 'A' ? period.limit : period.limit / (supply.voltageV * phases);
  return { amps, phases };
}

/** The lower of two limits (either may be absent). */
export function lowerOf(a: CurrentLimit | undefined, b: CurrentLimit | undefined): CurrentLimit | undefined {
  if (!a || !b) return a ?? b;
  return { amps: Math.min(a.amps, b.amps), phases: Math.min(a.phases, b.phases) };
}

/** The highest stack level in force among the candidates wins (1.6 §3.13.2, 2.0.1 K01). */
function winning(
  candidates: readonly InstalledProfile[],
  query: LimitQuery,
): { profile: InstalledProfile; period: ChargingSchedulePeriod } | undefined {
  const origin = query.origin ?? query.at;
  let best: { profile: InstalledProfile; period: ChargingSchedulePeriod } | undefined;
  for (const profile of candidates) {
    if (best && profile.stackLevel <= best.profile.stackLevel) continue;
    const period = periodAt(profile, query.at, origin, query.transaction);
    if (period) best = { profile, period };
  }
  return best;
}

function limitOfWinner(candidates: readonly InstalledProfile[], query: LimitQuery): CurrentLimit | undefined {
  const won = winning(candidates, query);
  return won && currentOf(won.period, won.profile.chargingSchedule.chargingRateUnit, query.supply);
}

/**
 * The limit the profiles put on an EVSE at an instant (undefined: none): the lower of the station
 * maximum and the transaction's profile, or without one in force the default for transactions (one
 * set on the EVSE wins over one set on EVSE 0). EVSE 0 is the station's grid connection: only the
 * station maximum applies there.
 */
export function limitAt(profiles: readonly InstalledProfile[], query: LimitQuery): CurrentLimit | undefined {
  const of = (purpose: ChargingProfilePurpose, evseId: number) =>
    profiles.filter((p) => p.chargingProfilePurpose === purpose && p.evseId === evseId);
  const stationMax = limitOfWinner(of('ChargingStationMaxProfile', 0), query);
  const share = Math.max(1, query.stationMaxShare ?? 1);
  const station = stationMax && { amps: stationMax.amps / share, phases: stationMax.phases };
  if (query.evseId === 0) return station;
  const { transaction } = query;
  // 1.6 §3.13.2, 2.0.1 K01: the transaction's own profile overrules the default for transactions.
  const tx = transaction
    ? limitOfWinner(
        of('TxProfile', query.evseId).filter((p) => p.transactionId === transaction.id),
        query,
      )
    : undefined;
  const txDefault =
    tx ??
    limitOfWinner(of('TxDefaultProfile', query.evseId), query) ??
    limitOfWinner(of('TxDefaultProfile', 0), query);
  return lowerOf(station, txDefault);
}

/** The power an EV may draw under a limit: nothing below the minimum charging current (it pauses). */
export function powerCapW(limit: CurrentLimit | undefined, supply: Supply): number {
  if (!limit) return Infinity;
  if (supply.ac ? limit.amps < minimumChargingCurrentA : limit.amps <= 0) return 0;
  return limit.amps * supply.voltageV * limit.phases;
}

export interface CompositeQuery {
  evseId: number;
  from: number;
  durationS: number;
  unit: ChargingRateUnit;
  supply: Supply;
  /** What the EVSE (or, EVSE 0, the station) can deliver without any profile. */
  rated: CurrentLimit;
  transaction?: RunningTransaction;
}

/**
 * The composite schedule (1.6 §5.7, 2.0.1 K08): the limit in force from `from` for `durationS`
 * seconds, as periods in the unit asked for, never above what the EVSE is rated for. Limits are
 * rounded down to the 0.1 the schemas allow, so that following the schedule keeps within them.
 */
export function compositeSchedule(
  profiles: readonly InstalledProfile[],
  query: CompositeQuery,
): ChargingSchedulePeriod[] {
  const { from, durationS, supply } = query;
  const to = from + durationS * 1000;
  const instants = new Set([from]);
  for (const p of profiles) for (const t of changesOf(p, from, to, query.transaction)) instants.add(t);
  const periods: ChargingSchedulePeriod[] = [];
  for (const at of [...instants].sort((a, b) => a - b)) {
    const inForce = limitAt(profiles, { ...query, at, origin: from });
    const limit = lowerOf(inForce, query.rated) ?? query.rated;
    const value = query.unit === 'A' ? limit.amps : limit.amps * supply.voltageV * limit.phases;
    const period: ChargingSchedulePeriod = {
      startPeriod: Math.ceil((at - from) / 1000),
      limit: Math.floor(value * 10 + 1e-6) / 10,
      ...(supply.ac && { numberPhases: limit.phases }),
    };
    // Two changes within the same second: the later one holds.
    if (periods.at(-1)?.startPeriod === period.startPeriod) periods.pop();
    const previous = periods.at(-1);
    if (previous?.limit === period.limit && previous.numberPhases === period.numberPhases) continue;
    periods.push(period);
  }
  return periods;
}

/** The instants within (from, to) at which a profile's limit may change. */
function changesOf(
  p: InstalledProfile,
  from: number,
  to: number,
  transaction?: RunningTransaction,
): number[] {
  const { chargingSchedule: schedule } = p;
  const starts: number[] = [];
  if (p.chargingProfileKind === 'Recurring') {
    const every = p.recurrencyKind === 'Weekly' ? week : day;
    for (let start = scheduleStart(p, from, from); start < to; start += every) starts.push(start);
  } else {
    starts.push(scheduleStart(p, from, from, transaction));
  }
  const instants = [p.validFrom, p.validTo];
  for (const start of starts) {
    for (const period of schedule.chargingSchedulePeriod) instants.push(start + period.startPeriod * 1000);
    if (schedule.duration !== undefined) instants.push(start + schedule.duration * 1000);
  }
  return instants.filter((t): t is number => t !== undefined && t > from && t < to);
}
