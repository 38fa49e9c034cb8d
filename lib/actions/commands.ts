'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { getChargerGateway } from '@/lib/commands/gateway';
import { sendCommand, sendCommandToStations, type CommandDeps } from '@/lib/commands/send';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { removeConfigurationDefault, setConfigurationDefault } from '@/lib/services/configuration';
import { listStations } from '@/lib/services/stations';
import { bulkCommandInput, commandInput } from '@/lib/validation/commands';
import { defineFormAction } from './define-action';

/** Where chargers reach us: PUBLIC_URL, or the address the operator's browser used. */
async function publicUrl(): Promise<string> {
  const configured = getEnv().PUBLIC_URL;
  if (configured) return configured;
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto') ?? 'http';
  return `${proto}://${host}`;
}

async function commandDeps(): Promise<CommandDeps> {
  return {
    gateway: getChargerGateway(),
    timeoutMs: getEnv().OCPP_COMMAND_TIMEOUT_SECONDS * 1000,
    now: () => new Date(),
    publicUrl: await publicUrl(),
  };
}

const statusMessages = {
  pending: 'Sent; waiting for the station',
  accepted: 'The station accepted',
  rejected: 'The station refused',
  failed: 'The command failed',
  timed_out: 'The station did not answer in time',
  offline: 'The station is offline: nothing was sent',
} as const;

/** Sends one command to one station and waits for its outcome (at most the command timeout). */
export const sendCommandAction = defineFormAction({
  name: 'sendCommand',
  permission: 'stations:command',
  schema: z.intersection(z.object({ stationId: z.uuid() }), commandInput),
  run: async (user, { stationId, ...input }) => {
    const command = await sendCommand(getDb(), user, stationId, input, await commandDeps());
    return {
      data: { id: command.id, status: command.status, detail: command.detail },
      message:
        command.status === 'offline' || !command.detail || command.detail === 'Accepted'
          ? statusMessages[command.status]
          : `${statusMessages[command.status]}: ${command.detail}`,
    };
  },
});

const bulkTarget = z.union([
  z.object({ stationIds: z.array(z.uuid()).min(1, 'Select at least one station').max(500) }),
  z.object({ siteId: z.uuid('Choose a site') }),
]);

/** Sends one command to the selected stations, or to every station of a site. */
export const bulkCommandAction = defineFormAction({
  name: 'bulkCommand',
  permission: 'stations:command',
  schema: z.intersection(bulkTarget, bulkCommandInput),
  run: async (user, parsed) => {
    const { kind } = parsed;
    const db = getDb();
    const stationIds =
      'stationIds' in parsed
        ? parsed.stationIds
        : (await listStations(db, user)).filter((s) => s.siteId === parsed.siteId).map((s) => s.id);
    const input = bulkCommandInput.parse({ ...parsed, kind });
    const results = await sendCommandToStations(db, user, stationIds, input, await commandDeps());
    const accepted = results.filter((r) => r.status === 'accepted').length;
    return {
      data: { results },
      message:
        results.length === 0
          ? 'No station to send to'
          : `${accepted} of ${results.length} station${results.length === 1 ? '' : 's'} accepted`,
    };
  },
});

export const setConfigurationDefaultAction = defineFormAction({
  name: 'setConfigurationDefault',
  permission: 'stations:manage',
  schema: z.object({
    siteId: z.preprocess((v) => (v === '' ? null : v), z.uuid().nullable()),
    ocppVersion: z.enum(['1.6', '2.0.1'], 'Choose the OCPP version'),
    key: z.string().trim().min(1, 'Enter a key').max(200, 'At most 200 characters'),
    value: z.string().trim().min(1, 'Enter a value').max(500, 'At most 500 characters'),
  }),
  revalidate: ['/settings/configuration'],
  run: async (user, input) => {
    await setConfigurationDefault(getDb(), user, input);
    return { data: null, message: `${input.key} = ${input.value}: applied to stations when they next boot` };
  },
});

export const removeConfigurationDefaultAction = defineFormAction({
  name: 'removeConfigurationDefault',
  permission: 'stations:manage',
  schema: z.object({ id: z.uuid() }),
  revalidate: ['/settings/configuration'],
  run: async (user, input) => {
    await removeConfigurationDefault(getDb(), user, input.id);
    return { data: null, message: 'Default removed' };
  },
});
