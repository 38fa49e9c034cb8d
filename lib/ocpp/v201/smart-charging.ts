import type { AnsweredOutcome, LoadCommand, ReportedSchedule } from '@/lib/commands/types';
import { outcomeOfStatus, type OcppCall } from '../command-adapter';
import { describeSchedule } from '../schedule';

/** OCPP 2.0.1 smart charging: K01 SetChargingProfile, K10 ClearChargingProfile, K08 GetCompositeSchedule. */

export function smartChargingCall(command: LoadCommand): OcppCall {
  switch (command.kind) {
    case 'set-charging-profile': {
      const { profile } = command;
      const absolute = profile.purpose === 'ChargingStationMaxProfile';
      return {
        action: 'SetChargingProfile',
        payload: {
          // K01.FR.06: the station maximum is set on EVSE 0.
          evseId: absolute ? 0 : command.evseId,
          chargingProfile: {
            id: profile.id,
            stackLevel: profile.stackLevel,
            chargingProfilePurpose: profile.purpose,
            chargingProfileKind: absolute ? 'Absolute' : 'Relative',
            ...(profile.purpose === 'TxProfile' && profile.chargerTransactionId !== null
              ? { transactionId: profile.chargerTransactionId }
              : {}),
            chargingSchedule: [
              {
                id: profile.id,
                ...(absolute ? { startSchedule: profile.startsAt } : {}),
                chargingRateUnit: 'A',
                chargingSchedulePeriod: [
                  { startPeriod: 0, limit: profile.limitA, numberPhases: profile.numberPhases },
                ],
              },
            ],
          },
        },
      };
    }
    case 'clear-charging-profile': {
      const criteria = {
        ...(command.evseId !== null ? { evseId: command.evseId } : {}),
        ...(command.purpose !== null ? { chargingProfilePurpose: command.purpose } : {}),
        ...(command.stackLevel !== null ? { stackLevel: command.stackLevel } : {}),
      };
      return {
        action: 'ClearChargingProfile',
        payload: {
          ...(command.profileId !== null ? { chargingProfileId: command.profileId } : {}),
          ...(Object.keys(criteria).length > 0 ? { chargingProfileCriteria: criteria } : {}),
        },
      };
    }
    case 'get-composite-schedule':
      return {
        action: 'GetCompositeSchedule',
        payload: { duration: command.durationSeconds, chargingRateUnit: 'A', evseId: command.evseId },
      };
  }
}

interface Schedule201 {
  evseId: number;
  scheduleStart: string;
  chargingRateUnit: string;
  chargingSchedulePeriod: { startPeriod: number; limit: number; numberPhases?: number }[];
}

export function readSmartChargingResult(
  command: LoadCommand,
  result: Record<string, unknown>,
): AnsweredOutcome {
  switch (command.kind) {
    case 'set-charging-profile':
      return outcomeOfStatus(result, ['Accepted']);
    case 'clear-charging-profile':
      // Unknown: the station held no such profile, which is what clearing wanted.
      return outcomeOfStatus(result, ['Accepted', 'Unknown']);
    case 'get-composite-schedule': {
      const outcome = outcomeOfStatus(result, ['Accepted']);
      const raw = result.schedule as Schedule201 | undefined;
      if (outcome.status !== 'accepted' || !raw) return outcome;
      const schedule: ReportedSchedule = {
        evseId: raw.evseId,
        startsAt: raw.scheduleStart,
        rateUnit: raw.chargingRateUnit,
        periods: raw.chargingSchedulePeriod.map((p) => ({
          startSeconds: p.startPeriod,
          limit: p.limit,
          numberPhases: p.numberPhases ?? null,
        })),
      };
      return { ...outcome, detail: describeSchedule(schedule), schedule };
    }
  }
}
