'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getChargerGateway } from '@/lib/commands/gateway';
import type { CommandDeps } from '@/lib/commands/send';
import { getDb } from '@/lib/db';
import { statusLabels } from '@/lib/domain/maintenance/work-orders';
import { getEnv } from '@/lib/env';
import { getLogger } from '@/lib/logger';
import { closeIncident } from '@/lib/services/incidents';
import { exclusionInput, setOutageExclusion } from '@/lib/services/outages';
import { createSchedule, setScheduleActive } from '@/lib/services/maintenance-schedules';
import { setMaintenancePolicy } from '@/lib/services/maintenance-settings';
import {
  addCertification,
  removeCertification,
  saveTechnicianProfile,
  shareLocation,
} from '@/lib/services/technicians';
import {
  addWorkOrderNote,
  askStationToConfirmRepair,
  confirmChecklistStep,
  fieldCommandLabels,
  recordPartUse,
  removePartUse,
  sendFieldCommand,
  signWorkOrder,
} from '@/lib/services/work-order-field';
import { assignWorkOrder, createWorkOrder, transitionWorkOrder } from '@/lib/services/work-orders';
import {
  assignInput,
  maintenanceSettingsInput,
  scheduleInput,
  transitionInput,
  workOrderInput,
} from '@/lib/validation/maintenance';
import { certificationInput, locationInput, technicianProfileInput } from '@/lib/validation/technicians';
import {
  fieldCommandInput,
  noteInput,
  partUseInput,
  signatureInput,
} from '@/lib/validation/work-order-field';
import { defineFormAction } from './define-action';

const withId = z.object({ id: z.uuid() });

/** Pages that show a work order change: the manager's and the technician's. */
function revalidateOrder(id: string): void {
  revalidatePath('/maintenance');
  revalidatePath(`/maintenance/work-orders/${id}`);
  revalidatePath('/tech');
  revalidatePath(`/tech/work-orders/${id}`);
}

function commandDeps(): CommandDeps {
  return {
    gateway: getChargerGateway(),
    timeoutMs: getEnv().OCPP_COMMAND_TIMEOUT_SECONDS * 1000,
    now: () => new Date(),
    publicUrl: '',
  };
}

export const createWorkOrderAction = defineFormAction({
  name: 'createWorkOrder',
  permission: 'maintenance:manage',
  schema: workOrderInput,
  revalidate: ['/maintenance', '/maintenance/incidents'],
  run: async (user, input) => {
    const order = await createWorkOrder(getDb(), user, input);
    return { data: { id: order.id }, message: `WO-${order.number} created` };
  },
});

export const assignWorkOrderAction = defineFormAction({
  name: 'assignWorkOrder',
  permission: 'maintenance:manage',
  schema: z.intersection(withId, assignInput),
  run: async (user, { id, ...input }) => {
    const order = await assignWorkOrder(getDb(), user, id, input);
    revalidateOrder(id);
    return { data: null, message: `WO-${order.number} assigned` };
  },
});

/** Any status move; a repair marked resolved asks the station for its status to verify it. */
export const transitionWorkOrderAction = defineFormAction({
  name: 'transitionWorkOrder',
  permission: 'account:manage-own',
  schema: z.intersection(withId, transitionInput),
  run: async (user, { id, ...input }) => {
    const db = getDb();
    const order = await transitionWorkOrder(db, user, id, input);
    if (order.status === 'resolved')
      void askStationToConfirmRepair(db, order, commandDeps()).catch((err: unknown) =>
        getLogger().warn({ err, workOrder: order.number }, 'could not ask the station to confirm a repair'),
      );
    revalidateOrder(id);
    return { data: { status: order.status }, message: `WO-${order.number}: ${statusLabels[order.status]}` };
  },
});

export const confirmChecklistAction = defineFormAction({
  name: 'confirmChecklist',
  permission: 'work-orders:work',
  schema: z.intersection(withId, z.object({ index: z.coerce.number().int().min(0).max(50) })),
  run: async (user, { id, index }) => {
    await confirmChecklistStep(getDb(), user, id, index);
    revalidateOrder(id);
    return { data: null };
  },
});

export const addNoteAction = defineFormAction({
  name: 'addWorkOrderNote',
  permission: 'account:manage-own',
  schema: z.intersection(withId, noteInput),
  run: async (user, { id, ...input }) => {
    await addWorkOrderNote(getDb(), user, id, input);
    revalidateOrder(id);
    return { data: null, message: 'Note added' };
  },
});

export const recordPartAction = defineFormAction({
  name: 'recordPartUse',
  permission: 'work-orders:work',
  schema: z.intersection(withId, partUseInput),
  run: async (user, { id, ...input }) => {
    await recordPartUse(getDb(), user, id, input);
    revalidateOrder(id);
    return { data: null, message: 'Part recorded' };
  },
});

export const removePartAction = defineFormAction({
  name: 'removePartUse',
  permission: 'work-orders:work',
  schema: z.intersection(withId, z.object({ lineId: z.uuid() })),
  run: async (user, { id, lineId }) => {
    await removePartUse(getDb(), user, id, lineId);
    revalidateOrder(id);
    return { data: null, message: 'Part removed' };
  },
});

export const signWorkOrderAction = defineFormAction({
  name: 'signWorkOrder',
  permission: 'work-orders:work',
  // The service parses the signature (its errors come back next to the fields).
  schema: z.intersection(withId, z.looseObject({})),
  run: async (user, { id, ...raw }) => {
    const input = raw as z.input<typeof signatureInput>;
    await signWorkOrder(getDb(), user, id, input);
    revalidateOrder(id);
    return { data: null, message: `Signed by ${String(input.signerName).trim()}` };
  },
});

export const fieldCommandAction = defineFormAction({
  name: 'fieldCommand',
  permission: 'work-orders:work',
  schema: z.intersection(withId, fieldCommandInput),
  run: async (user, { id, ...input }) => {
    const command = await sendFieldCommand(getDb(), user, id, input, commandDeps());
    revalidateOrder(id);
    const label = fieldCommandLabels[input.kind];
    const outcome =
      command.status === 'accepted'
        ? 'the station accepted'
        : command.status === 'offline'
          ? 'the station is offline: nothing was sent'
          : command.status === 'timed_out'
            ? 'the station did not answer in time'
            : `the station answered ${command.detail ?? command.status}`;
    return { data: { status: command.status }, message: `${label}: ${outcome}` };
  },
});

export const shareLocationAction = defineFormAction({
  name: 'shareLocation',
  permission: 'work-orders:work',
  schema: locationInput,
  run: async (user, input) => {
    await shareLocation(getDb(), user, input, new Date());
    return { data: null, message: 'Location shared with dispatch' };
  },
});

export const closeIncidentAction = defineFormAction({
  name: 'closeIncident',
  permission: 'maintenance:manage',
  schema: z.intersection(
    withId,
    z.object({
      note: z.string().trim().min(1, 'Say why it can be closed').max(500, 'At most 500 characters'),
    }),
  ),
  run: async (user, { id, note }) => {
    await closeIncident(getDb(), user, id, note);
    revalidatePath('/maintenance/incidents');
    revalidatePath(`/maintenance/incidents/${id}`);
    return { data: null, message: 'Incident closed' };
  },
});

export const saveMaintenanceSettingsAction = defineFormAction({
  name: 'saveMaintenanceSettings',
  permission: 'maintenance:configure',
  // The service parses the form (its errors come back next to the fields).
  schema: z.looseObject({}),
  revalidate: ['/maintenance/settings'],
  run: async (user, raw) => {
    await setMaintenancePolicy(getDb(), user, raw as z.input<typeof maintenanceSettingsInput>);
    return { data: null, message: 'Maintenance settings saved' };
  },
});

export const saveTechnicianProfileAction = defineFormAction({
  name: 'saveTechnicianProfile',
  permission: 'maintenance:manage',
  schema: z.intersection(withId, technicianProfileInput),
  run: async (user, { id, ...input }) => {
    await saveTechnicianProfile(getDb(), user, id, input);
    revalidatePath('/maintenance/technicians');
    return { data: null, message: 'Profile saved' };
  },
});

export const addCertificationAction = defineFormAction({
  name: 'addCertification',
  permission: 'maintenance:manage',
  schema: z.intersection(withId, certificationInput),
  run: async (user, { id, ...input }) => {
    await addCertification(getDb(), user, id, input);
    revalidatePath('/maintenance/technicians');
    return { data: null, message: `${input.name} added` };
  },
});

export const removeCertificationAction = defineFormAction({
  name: 'removeCertification',
  permission: 'maintenance:manage',
  schema: withId,
  revalidate: ['/maintenance/technicians'],
  run: async (user, { id }) => {
    await removeCertification(getDb(), user, id);
    return { data: null, message: 'Certification removed' };
  },
});

export const createScheduleAction = defineFormAction({
  name: 'createSchedule',
  permission: 'maintenance:manage',
  schema: scheduleInput,
  revalidate: ['/maintenance/schedules'],
  run: async (user, input) => {
    const schedule = await createSchedule(getDb(), user, input);
    return { data: { id: schedule.id }, message: 'Schedule added' };
  },
});

export const setScheduleActiveAction = defineFormAction({
  name: 'setScheduleActive',
  permission: 'maintenance:manage',
  schema: z.intersection(withId, z.object({ active: z.enum(['true', 'false']) })),
  revalidate: ['/maintenance/schedules'],
  run: async (user, { id, active }) => {
    await setScheduleActive(getDb(), user, id, active === 'true');
    return { data: null, message: active === 'true' ? 'Schedule resumed' : 'Schedule paused' };
  },
});

export const setOutageExclusionAction = defineFormAction({
  name: 'setOutageExclusion',
  permission: 'maintenance:manage',
  // The service parses the reason and notes (its errors come back next to the fields).
  schema: z.intersection(withId, z.looseObject({})),
  revalidate: ['/maintenance/outages'],
  run: async (user, { id, ...raw }) => {
    const input = raw as z.input<typeof exclusionInput>;
    await setOutageExclusion(getDb(), user, id, input);
    return { data: null, message: input.reason ? 'Outage excluded from uptime' : 'Outage counts again' };
  },
});
