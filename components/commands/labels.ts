import type { BadgeTone } from '@/components/ui/badge';
import type { Command, CommandKind, TriggerableMessage } from '@/lib/commands/types';
import type { CommandStatus } from '@/lib/db/schema';

/** How each command reads in the UI and the log. */
export const commandLabels: Record<Command['kind'], string> = {
  'remote-start': 'Start a session',
  'remote-stop': 'Stop a session',
  unlock: 'Unlock a connector',
  reserve: 'Reserve',
  'cancel-reservation': 'Cancel a reservation',
  reset: 'Reset',
  'change-availability': 'Change availability',
  'trigger-message': 'Trigger a message',
  'clear-cache': 'Clear the authorisation cache',
  'data-transfer': 'Data transfer',
  'get-configuration': 'Read configuration',
  'change-configuration': 'Change configuration',
  'get-base-report': 'Get base report',
  'update-firmware': 'Update firmware',
  'upload-diagnostics': 'Upload diagnostics',
  'get-local-list-version': 'Read local list version',
  'send-local-list': 'Send local list',
  'cost-updated': 'Send running cost',
  'set-charging-profile': 'Set charging limit',
  'clear-charging-profile': 'Clear charging limit',
  'get-composite-schedule': 'Read charging schedule',
};

/** The command picker's groups, in order. */
export const commandGroups: { label: string; kinds: CommandKind[] }[] = [
  { label: 'Charging', kinds: ['remote-start', 'remote-stop', 'unlock', 'reserve', 'cancel-reservation'] },
  {
    label: 'Station',
    kinds: ['reset', 'change-availability', 'trigger-message', 'clear-cache', 'data-transfer'],
  },
  { label: 'Configuration', kinds: ['get-configuration', 'change-configuration', 'get-base-report'] },
  { label: 'Maintenance', kinds: ['update-firmware', 'upload-diagnostics'] },
];

export const triggerLabels: Record<TriggerableMessage, string> = {
  boot: 'BootNotification',
  heartbeat: 'Heartbeat',
  status: 'StatusNotification',
  'meter-values': 'MeterValues',
  'firmware-status': 'FirmwareStatusNotification',
  'upload-status': 'Diagnostics / log upload status',
};

export const commandStatusLabels: Record<CommandStatus, string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  rejected: 'Rejected',
  failed: 'Failed',
  timed_out: 'Timed out',
  offline: 'Station offline',
};

export const commandStatusTones: Record<CommandStatus, BadgeTone> = {
  pending: 'blue',
  accepted: 'green',
  rejected: 'amber',
  failed: 'red',
  timed_out: 'amber',
  offline: 'slate',
};

/** A one-line summary of a command's parameters for the log. */
export function describeParams(kind: string, params: Record<string, unknown>): string {
  const evse = (id: unknown) => (id === 0 || id === undefined ? 'station' : `EVSE #${String(id)}`);
  switch (kind) {
    case 'remote-start':
      return `${params.evseId ? evse(params.evseId) : 'any EVSE'} · token ${String(params.idToken)}`;
    case 'remote-stop':
      return `session ${String(params.sessionId).slice(0, 8)}`;
    case 'cancel-reservation':
      return `reservation ${String(params.reservationId).slice(0, 8)}`;
    case 'reset':
      return params.mode === 'hard' ? 'hard' : 'soft';
    case 'unlock':
      return `EVSE #${String(params.evseId)}`;
    case 'change-availability':
      return `${evse(params.evseId)} → ${String(params.availability)}`;
    case 'get-configuration': {
      const keys = (params.keys as string[] | undefined) ?? [];
      return keys.length === 0 ? 'all keys' : keys.join(', ');
    }
    case 'change-configuration':
      return `${String(params.key)} = ${String(params.value)}`;
    case 'get-base-report':
      return params.report === 'configuration' ? 'configuration inventory' : 'full inventory';
    case 'trigger-message':
      return `${triggerLabels[params.message as TriggerableMessage] ?? String(params.message)}${params.evseId ? ` · EVSE #${String(params.evseId)}` : ''}`;
    case 'data-transfer':
      return [params.vendorId, params.messageId].filter(Boolean).map(String).join(' / ');
    case 'update-firmware':
      return String(params.location);
    case 'upload-diagnostics':
      return params.hours ? `last ${String(params.hours)} h` : 'all available';
    case 'reserve':
      return `${params.evseId ? evse(params.evseId) : 'any EVSE'} · token ${String(params.idToken)} · ${String(params.minutes)} min`;
    case 'send-local-list': {
      const changes = (params.changes as { remove?: string }[] | undefined) ?? [];
      const removed = changes.filter((c) => c.remove !== undefined).length;
      const set = changes.length - removed;
      const what =
        params.updateType === 'Full'
          ? `full list of ${set} ${set === 1 ? 'entry' : 'entries'}`
          : [set ? `${set} set` : '', removed ? `${removed} removed` : ''].filter(Boolean).join(', ');
      return `${what} · version ${String(params.versionNumber)}`;
    }
    default:
      return '';
  }
}
