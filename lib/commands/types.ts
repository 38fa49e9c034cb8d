import type { VariableAddress } from '@/lib/domain/configuration/keys';
import type { LocalListChange } from '@/lib/domain/access/local-list';

/**
 * Version-neutral commands ChargeOps sends to chargers, as the version adapters receive them
 * (lib/ocpp/v16/commands.ts, lib/ocpp/v201/commands.ts): ids resolved, upload URLs filled in.
 * What operators type is validated separately (lib/validation/commands.ts).
 */
export type Command =
  | { kind: 'remote-start'; evseId: number | null; idToken: string; remoteStartId: number }
  | { kind: 'remote-stop'; chargerTransactionId: string }
  | { kind: 'reset'; mode: 'soft' | 'hard' }
  | { kind: 'unlock'; evseId: number; connectorId: number }
  /** evseId 0 = the whole station. */
  | { kind: 'change-availability'; evseId: number; connectorId: number | null; operative: boolean }
  /** No keys = every key (1.6 only; 2.0.1 reads the whole device model with get-base-report). */
  | { kind: 'get-configuration'; keys: string[] }
  | { kind: 'change-configuration'; key: string; value: string }
  | { kind: 'get-base-report'; report: 'full' | 'configuration'; requestId: number }
  | { kind: 'trigger-message'; message: TriggerableMessage; evseId: number | null }
  | { kind: 'clear-cache' }
  | { kind: 'data-transfer'; vendorId: string; messageId: string | null; data: string | null }
  | {
      kind: 'update-firmware';
      location: string;
      retrieveAt: string;
      retries: number | null;
      retryIntervalSeconds: number | null;
      requestId: number;
    }
  | {
      kind: 'upload-diagnostics';
      location: string;
      from: string | null;
      to: string | null;
      requestId: number;
    }
  /** evseId 0 = any EVSE of the station. */
  | { kind: 'reserve'; reservationId: number; evseId: number; idToken: string; expiresAt: string }
  | { kind: 'cancel-reservation'; reservationId: number }
  | LocalListCommand
  | CostCommand
  | LoadCommand;

/** 2.0.1 CostUpdated (I02): the running total of a session, for the charger's display. ChargeOps sends it itself. */
export type CostCommand = { kind: 'cost-updated'; chargerTransactionId: string; totalCost: number };

/** Local authorisation list commands: ChargeOps sends them itself (lib/commands/local-list-sync.ts). */
export type LocalListCommand =
  | { kind: 'get-local-list-version' }
  /** versionNumber: the version the station holds once it applied the update (> 0, 2.0.1 D01.FR.18). */
  | {
      kind: 'send-local-list';
      updateType: 'Full' | 'Differential';
      versionNumber: number;
      changes: LocalListChange[];
    };

/**
 * A charging limit as load management sets it: one period from the start, a current per phase.
 * ChargingStationMaxProfile (1.6 ChargePointMaxProfile) caps the whole station (evseId 0), a
 * TxDefaultProfile is what an EVSE may draw when ChargeOps is not reachable, a TxProfile limits one
 * running transaction.
 */
export interface ChargingLimitProfile {
  id: number;
  stackLevel: number;
  purpose: ChargingProfilePurpose;
  /** TxProfile only. */
  chargerTransactionId: string | null;
  limitA: number;
  numberPhases: 1 | 3;
  /** When the schedule starts (ISO): Absolute profiles (the station maximum) need it. */
  startsAt: string;
}

export const chargingProfilePurposes = [
  'ChargingStationMaxProfile',
  'TxDefaultProfile',
  'TxProfile',
] as const;
export type ChargingProfilePurpose = (typeof chargingProfilePurposes)[number];

/** Smart charging commands: load management (lib/load) sends them itself. */
export type LoadCommand =
  /** evseId 0 = the whole station. */
  | { kind: 'set-charging-profile'; evseId: number; profile: ChargingLimitProfile }
  /** Every field null = clear every profile the station holds. */
  | {
      kind: 'clear-charging-profile';
      profileId: number | null;
      evseId: number | null;
      purpose: ChargingProfilePurpose | null;
      stackLevel: number | null;
    }
  | { kind: 'get-composite-schedule'; evseId: number; durationSeconds: number };

const loadCommandKinds: ReadonlySet<string> = new Set<LoadCommand['kind']>([
  'set-charging-profile',
  'clear-charging-profile',
  'get-composite-schedule',
]);

export function isLoadCommand(command: Command): command is LoadCommand {
  return loadCommandKinds.has(command.kind);
}

/** A schedule a station reported (GetCompositeSchedule), in amperes per phase. */
export interface ReportedSchedule {
  evseId: number;
  startsAt: string | null;
  rateUnit: string;
  periods: { startSeconds: number; limit: number; numberPhases: number | null }[];
}

/** Commands an operator can send from the command form (the local list, cost and load ones ChargeOps manages). */
export type CommandKind = Exclude<
  Command['kind'],
  LocalListCommand['kind'] | CostCommand['kind'] | LoadCommand['kind']
>;

export const commandKinds = [
  'remote-start',
  'remote-stop',
  'reset',
  'unlock',
  'change-availability',
  'get-configuration',
  'change-configuration',
  'get-base-report',
  'trigger-message',
  'clear-cache',
  'data-transfer',
  'update-firmware',
  'upload-diagnostics',
  'reserve',
  'cancel-reservation',
] as const satisfies readonly CommandKind[];

/** Messages an operator can ask a charger to send now. */
export const triggerableMessages = [
  'boot',
  'heartbeat',
  'status',
  'meter-values',
  'firmware-status',
  'upload-status',
] as const;
export type TriggerableMessage = (typeof triggerableMessages)[number];

/** A configuration value as a charger reported it (1.6 key or 2.0.1 variable attribute). */
export interface ReportedVariable extends VariableAddress {
  attributeType: string;
  value: string | null;
  /** null when the answer does not say (a GetVariables read): what was known stays. */
  readonly: boolean | null;
  mutability?: string | null;
  dataType?: string | null;
  unit?: string | null;
  valuesList?: string | null;
}

/** The charger answered with a status of its own. */
export interface AnsweredOutcome {
  status: 'accepted' | 'rejected';
  /** The charger's status word as sent (Accepted, Rejected, Scheduled, RebootRequired ...). */
  detail: string;
  response: unknown;
  /** Values the answer reported or confirmed (configuration reads and changes). */
  variables?: ReportedVariable[];
  /** Keys the charger said it does not know. */
  unknownKeys?: string[];
  /** The file name a charger announced for an upload. */
  fileName?: string;
  /** The local list version a station reported (GetLocalListVersion); -1 = no local list (1.6). */
  listVersion?: number;
  /** The composite schedule a station reported (GetCompositeSchedule). */
  schedule?: ReportedSchedule;
}

/** How a command ended, in the version-neutral terms the command log stores. */
export type CommandOutcome =
  | AnsweredOutcome
  | { status: 'failed'; errorCode: string | null; detail: string; response: unknown }
  | { status: 'timed_out'; detail: string }
  | { status: 'offline'; detail: string };
