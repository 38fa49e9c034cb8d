'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import {
  createStation,
  createStationInput,
  deleteStation,
  placeStation,
  setCaliforniaPricing,
  setRegistration,
  setStationPassword,
} from '@/lib/services/station-admin';
import { requestFullLocalList } from '@/lib/services/local-lists';
import { defineFormAction } from './define-action';

const stationId = z.object({ id: z.uuid() });

export const createStationAction = defineFormAction({
  name: 'createStation',
  permission: 'stations:manage',
  schema: createStationInput,
  revalidate: ['/stations', '/map'],
  run: async (user, input) => {
    const { station, password } = await createStation(getDb(), user, input);
    return {
      data: { id: station.id, identity: station.identity, password },
      message: `Station ${station.identity} added`,
    };
  },
});

export const setRegistrationAction = defineFormAction({
  name: 'setRegistration',
  permission: 'stations:manage',
  schema: stationId.extend({ status: z.enum(['accepted', 'rejected']) }),
  revalidate: ['/stations', '/map'],
  run: async (user, input) => {
    const station = await setRegistration(getDb(), user, input.id, input.status);
    return {
      data: null,
      message:
        input.status === 'accepted'
          ? `${station.identity} is accepted: the charger is told at its next boot`
          : `${station.identity} is rejected`,
    };
  },
});

export const setCaliforniaPricingAction = defineFormAction({
  name: 'setCaliforniaPricing',
  permission: 'stations:manage',
  schema: stationId.extend({ enabled: z.enum(['true', 'false']) }),
  revalidate: ['/stations'],
  run: async (user, input) => {
    const station = await setCaliforniaPricing(getDb(), user, input.id, input.enabled === 'true');
    return {
      data: null,
      message: station.californiaPricing
        ? `${station.identity} now gets prices and costs as California pricing messages`
        : `${station.identity} no longer gets California pricing messages`,
    };
  },
});

export const placeStationAction = defineFormAction({
  name: 'placeStation',
  permission: 'stations:manage',
  schema: stationId.extend({ siteId: z.uuid('Choose a site') }),
  revalidate: ['/stations', '/map'],
  run: async (user, input) => {
    const station = await placeStation(getDb(), user, input.id, input.siteId);
    return { data: null, message: `${station.identity} placed on the site` };
  },
});

export const setStationPasswordAction = defineFormAction({
  name: 'setStationPassword',
  permission: 'stations:manage',
  schema: stationId.extend({ password: z.string().max(40).default('') }),
  run: async (user, input) => {
    const password = await setStationPassword(getDb(), user, input.id, input.password);
    return { data: { password }, message: 'New password set' };
  },
});

export const deleteStationAction = defineFormAction({
  name: 'deleteStation',
  permission: 'stations:manage',
  schema: stationId,
  revalidate: ['/stations', '/map'],
  run: async (user, input) => {
    await deleteStation(getDb(), user, input.id);
    redirect('/stations');
  },
});

export const resendLocalListAction = defineFormAction({
  name: 'resendLocalList',
  permission: 'stations:command',
  schema: stationId,
  revalidate: ['/drivers/local-lists'],
  run: async (user, { id }) => {
    await requestFullLocalList(getDb(), user, id);
    return {
      data: null,
      message: 'The whole list goes out within seconds; its state below follows live.',
    };
  },
});
