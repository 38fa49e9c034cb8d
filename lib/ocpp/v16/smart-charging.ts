import type { AnsweredOutcome, LoadCommand } from '@/lib/commands/types';
import type { OcppCall } from '../command-adapter';
import { readSmartChargingOutcome, reportedSchedule } from '../schedule';

/**
 * OCPP 1.6 Smart Charging (§3.13, §5.5 ClearChargingProfile, §5.7 GetCompositeSchedule, §5.16
 * SetChargingProfile). 1.6 calls the station maximum ChargePointMaxProfile; it lives on connector 0.
 */

const purposeOf = {
  ChargingStationMaxProfile: 'ChargePointMaxProfile',
  TxDefaultProfile: 'TxDefaultProfile',
  TxProfile: 'TxProfile',
} as const;

export function smartChargingCall(command: LoadCommand): OcppCall | { unsupported: string } {
  switch (command.kind) {
    case 'set-charging-profile': {
      const { profile } = command;
      const transactionId =
        profile.chargerTransactionId === null ? null : Number(profile.chargerTransactionId);
      if (profile.purpose === 'TxProfile' && !Number.isInteger(transactionId))
        return { unsupported: 'A 1.6 TxProfile needs the integer transaction id' };
      const absolute = profile.purpose === 'ChargingStationMaxProfile';
      return {
        action: 'SetChargingProfile',
        payload: {
          connectorId: absolute ? 0 : command.evseId,
          csChargingProfiles: {
            chargingProfileId: profile.id,
            ...(profile.purpose === 'TxProfile' ? { transactionId } : {}),
            stackLevel: profile.stackLevel,
            chargingProfilePurpose: purposeOf[profile.purpose],
            // §3.13.2: Relative schedules start with the transaction; the station maximum has none.
            chargingProfileKind: absolute ? 'Absolute' : 'Relative',
            chargingSchedule: {
              ...(absolute ? { startSchedule: profile.startsAt } : {}),
              chargingRateUnit: 'A',
              chargingSchedulePeriod: [
                { startPeriod: 0, limit: profile.limitA, numberPhases: profile.numberPhases },
              ],
            },
          },
        },
      };
    }
    case 'clear-charging-profile':
      return {
        action: 'ClearChargingProfile',
        payload: {
          ...(command.profileId !== null ? { id: command.profileId } : {}),
          ...(command.evseId !== null ? { connectorId: command.evseId } : {}),
          ...(command.purpose !== null ? { chargingProfilePurpose: purposeOf[command.purpose] } : {}),
          ...(command.stackLevel !== null ? { stackLevel: command.stackLevel } : {}),
        },
      };
    case 'get-composite-schedule':
      return {
        action: 'GetCompositeSchedule',
        payload: { connectorId: command.evseId, duration: command.durationSeconds, chargingRateUnit: 'A' },
      };
  }
}

interface Schedule16 {
  startSchedule?: string;
  chargingRateUnit: string;
  chargingSchedulePeriod: { startPeriod: number; limit: number; numberPhases?: number }[];
}

export function readSmartChargingResult(
  command: LoadCommand,
  result: Record<string, unknown>,
): AnsweredOutcome {
  return readSmartChargingOutcome(command, result, (answer) => {
    const raw = answer.chargingSchedule as Schedule16 | undefined;
    if (!raw || command.kind !== 'get-composite-schedule') return null;
    return reportedSchedule(
      command.evseId,
      (answer.scheduleStart as string | undefined) ?? raw.startSchedule ?? null,
      raw,
    );
  });
}
