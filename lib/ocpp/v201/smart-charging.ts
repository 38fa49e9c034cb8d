import type { AnsweredOutcome, LoadCommand } from '@/lib/commands/types';
import type { OcppCall } from '../command-adapter';
import { readSmartChargingOutcome, reportedSchedule } from '../schedule';

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
  return readSmartChargingOutcome(command, result, (answer) => {
    const raw = answer.schedule as Schedule201 | undefined;
    return raw ? reportedSchedule(raw.evseId, raw.scheduleStart, raw) : null;
  });
}
