'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { readChargingSchedule } from '@/lib/commands/load-balancing';
import { getChargerGateway } from '@/lib/commands/gateway';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import {
  deleteLoadNode,
  overrideSession,
  saveEvseLoad,
  saveLoadNode,
  saveSiteLoadSettings,
  saveStationLoad,
  setGroupPriority,
} from '@/lib/services/load-config';
import type {
  EvseLoadInput,
  GroupPriorityInput,
  LoadNodeInput,
  SessionOverrideInput,
  SiteLoadSettingsInput,
  StationLoadInput,
} from '@/lib/validation/load';
import { defineFormAction } from './define-action';

/** The services parse the load forms themselves (units and schedules need the whole form); the action passes the fields on. */
const fields = z.looseObject({});

function revalidateLoad(): void {
  revalidatePath('/(shell)/load', 'layout');
}

export const saveLoadNodeAction = defineFormAction({
  name: 'saveLoadNode',
  permission: 'load:manage',
  schema: fields,
  run: async (user, input) => {
    const node = await saveLoadNode(getDb(), user, input as LoadNodeInput);
    revalidateLoad();
    return { data: { id: node.id }, message: `“${node.name}” saved` };
  },
});

export const deleteLoadNodeAction = defineFormAction({
  name: 'deleteLoadNode',
  permission: 'load:manage',
  schema: z.object({ id: z.uuid() }),
  run: async (user, { id }) => {
    await deleteLoadNode(getDb(), user, id);
    revalidateLoad();
    return { data: null, message: 'Node deleted' };
  },
});

export const saveSiteLoadSettingsAction = defineFormAction({
  name: 'saveSiteLoadSettings',
  permission: 'load:manage',
  schema: fields,
  run: async (user, input) => {
    await saveSiteLoadSettings(getDb(), user, input as SiteLoadSettingsInput);
    revalidateLoad();
    return { data: null, message: 'Site settings saved' };
  },
});

export const saveStationLoadAction = defineFormAction({
  name: 'saveStationLoad',
  permission: 'load:manage',
  schema: fields,
  run: async (user, input) => {
    await saveStationLoad(getDb(), user, input as StationLoadInput);
    revalidateLoad();
    return { data: null, message: 'Station saved' };
  },
});

export const saveEvseLoadAction = defineFormAction({
  name: 'saveEvseLoad',
  permission: 'load:manage',
  schema: fields,
  run: async (user, input) => {
    await saveEvseLoad(getDb(), user, input as EvseLoadInput);
    revalidateLoad();
    return { data: null, message: 'EVSE saved' };
  },
});

export const overrideSessionAction = defineFormAction({
  name: 'overrideSession',
  permission: 'load:manage',
  schema: fields,
  run: async (user, input) => {
    await overrideSession(getDb(), user, input as SessionOverrideInput);
    revalidateLoad();
    const action = (input as { action?: string }).action;
    return {
      data: null,
      message:
        action === 'pause' ? 'Session paused' : action === 'cap' ? 'Session capped' : 'Session released',
    };
  },
});

export const setGroupPriorityAction = defineFormAction({
  name: 'setGroupPriority',
  permission: 'load:manage',
  schema: fields,
  run: async (user, input) => {
    await setGroupPriority(getDb(), user, input as GroupPriorityInput);
    revalidateLoad();
    return { data: null, message: 'Priority saved' };
  },
});

export const readChargingScheduleAction = defineFormAction({
  name: 'readChargingSchedule',
  permission: 'load:view',
  schema: z.object({ stationId: z.uuid(), evseId: z.coerce.number().int().min(0) }),
  run: async (user, { stationId, evseId }) => {
    const result = await readChargingSchedule(getDb(), user, stationId, evseId, {
      gateway: getChargerGateway(),
      timeoutMs: getEnv().OCPP_COMMAND_TIMEOUT_SECONDS * 1000,
      now: () => new Date(),
      publicUrl: '',
    });
    return {
      data: result,
      message:
        result.status === 'accepted'
          ? `The station says: ${result.detail ?? 'no limit'}`
          : `The station did not report its schedule (${result.status}${result.detail ? `: ${result.detail}` : ''})`,
    };
  },
});
