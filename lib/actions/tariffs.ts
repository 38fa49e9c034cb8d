'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { isValidTimeZone } from '@/lib/domain/access/authorization';
import { pricesAt } from '@/lib/domain/pricing/engine';
import {
  addTariffVersion,
  assignTariff,
  createTariff,
  previewTariff,
  renameTariff,
  tariffForStation,
  unassignTariff,
} from '@/lib/services/tariffs';
import { optionalField } from '@/lib/validation/fields';
import { defineFormAction } from './define-action';

const withId = z.object({ id: z.uuid() });

/**
 * The list and every tariff's page: an assignment can replace another tariff's at the same place,
 * so a change shows on more than the tariff's own page.
 */
function revalidateTariffs(): void {
  // A route pattern names the route group too: it matches the pages' file paths.
  revalidatePath('/(shell)/billing/tariffs', 'layout');
}

/** The tariff forms are parsed by the service (it needs the currency to read amounts); this only names the result. */
const nameOf = (input: { name?: unknown }) => (typeof input.name === 'string' ? input.name.trim() : '');

export const createTariffAction = defineFormAction({
  name: 'createTariff',
  permission: 'billing:manage',
  schema: z.looseObject({}),
  run: async (user, input) => {
    const id = await createTariff(getDb(), user, input);
    revalidateTariffs();
    return { data: { id }, message: `Tariff “${nameOf(input)}” created` };
  },
});

export const addTariffVersionAction = defineFormAction({
  name: 'addTariffVersion',
  permission: 'billing:manage',
  schema: z.looseObject({ tariffId: z.uuid() }),
  run: async (user, { tariffId, ...input }) => {
    const id = await addTariffVersion(getDb(), user, tariffId, input);
    revalidateTariffs();
    return { data: { id }, message: 'New version saved' };
  },
});

export const renameTariffAction = defineFormAction({
  name: 'renameTariff',
  permission: 'billing:manage',
  schema: z.looseObject(withId.shape),
  run: async (user, { id, name, description }) => {
    await renameTariff(getDb(), user, id, { name, description });
    revalidateTariffs();
    return { data: null, message: 'Tariff saved' };
  },
});

export const assignTariffAction = defineFormAction({
  name: 'assignTariff',
  permission: 'billing:manage',
  schema: z.looseObject({}),
  run: async (user, input) => {
    const id = await assignTariff(getDb(), user, input);
    revalidateTariffs();
    return { data: { id }, message: 'Tariff assigned: new sessions there use it' };
  },
});

export const unassignTariffAction = defineFormAction({
  name: 'unassignTariff',
  permission: 'billing:manage',
  schema: withId,
  run: async (user, { id }) => {
    await unassignTariff(getDb(), user, id);
    revalidateTariffs();
    return { data: null, message: 'Assignment removed' };
  },
});

const minutesField = (label: string) =>
  z.coerce
    .number(`Enter the ${label} in minutes`)
    .min(0, 'Not below 0')
    .max(7 * 24 * 60, 'At most a week');

/** The example session of the editor's preview; the other fields are the tariff form as typed. */
const previewInput = z.looseObject({
  startLocal: z.string(),
  timeZone: z.string().refine(isValidTimeZone, 'Choose a time zone'),
  chargingMinutes: minutesField('charging time'),
  idleMinutes: minutesField('idle time'),
  energyKwh: z.coerce
    .number('Enter the energy in kWh')
    .min(0, 'Not below 0')
    .max(10_000, 'At most 10,000 kWh'),
});

/** Prices an example session with the tariff the editor describes; stores nothing. */
export const previewTariffAction = defineFormAction({
  name: 'previewTariff',
  permission: 'billing:manage',
  schema: previewInput,
  run: async (_user, { startLocal, timeZone, chargingMinutes, idleMinutes, energyKwh, ...form }) => {
    // The preview prices an example, whenever it happens; when the version starts is not its concern.
    const { validFrom: _validFrom, ...tariff } = form;
    const data = previewTariff(tariff, { startLocal, timeZone, chargingMinutes, idleMinutes, energyKwh });
    return { data };
  },
});

/** "Which tariff applies?": the tariff a driver of a group (or an unknown driver) pays at a station now. */
export const tariffForStationAction = defineFormAction({
  name: 'tariffForStation',
  permission: 'billing:view',
  schema: z.object({
    stationId: z.uuid('Choose a station'),
    evseId: optionalField(z.coerce.number('Choose an EVSE').int().min(1).max(99)).transform((v) => v ?? null),
    groupId: optionalField(z.uuid('Choose a group')).transform((v) => v ?? null),
  }),
  run: async (user, input) => {
    const now = new Date();
    const resolved = await tariffForStation(getDb(), user, input, now);
    if (!resolved) return { data: null };
    const { choice, version, timeZone } = resolved;
    const prices = pricesAt(version, timeZone, now);
    return {
      data: {
        tariffId: version.tariffId,
        tariffName: version.tariffName,
        reason: choice.reason,
        currency: version.currency,
        band: prices.band,
        energyPerKwh: prices.energyPerKwh,
        timePerMinute: prices.timePerMinute,
        idlePerMinute: prices.idlePerMinute,
        idleGraceMinutes: version.idleGraceMinutes,
        sessionFee: version.sessionFee,
        taxRateBp: version.taxRateBp,
        pricesIncludeTax: version.pricesIncludeTax,
        timeZone,
        at: now.toISOString(),
      },
    };
  },
});
