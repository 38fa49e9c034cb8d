'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import {
  adjustStock,
  createPart,
  createStockLocation,
  receiveStock,
  setMinimum,
  transferStock,
  updatePart,
} from '@/lib/services/parts';
import {
  adjustInput,
  minimumInput,
  partInput,
  receiveInput,
  stockLocationInput,
  transferInput,
} from '@/lib/validation/parts';
import { defineFormAction } from './define-action';

const partsPage = '/maintenance/parts';
const withId = z.object({ id: z.uuid() });
const units = (n: number) => (n === 1 ? '1 unit' : `${n.toLocaleString('en-US')} units`);

/** A part's page and the pages of the locations whose stock changed show the new levels. */
function revalidateStock(partId: string, locationIds: string[]): void {
  revalidatePath(`${partsPage}/${partId}`);
  for (const id of locationIds) revalidatePath(`${partsPage}/locations/${id}`);
}

export const createPartAction = defineFormAction({
  name: 'createPart',
  permission: 'parts:manage',
  schema: partInput,
  revalidate: [partsPage],
  run: async (user, input) => {
    const part = await createPart(getDb(), user, input);
    return { data: { id: part.id }, message: `${part.name} (${part.sku}) added` };
  },
});

export const updatePartAction = defineFormAction({
  name: 'updatePart',
  permission: 'parts:manage',
  schema: partInput.extend(withId.shape),
  revalidate: [partsPage],
  run: async (user, { id, ...input }) => {
    const part = await updatePart(getDb(), user, id, input);
    revalidatePath(`${partsPage}/${part.id}`);
    return { data: { id: part.id }, message: `${part.name} (${part.sku}) saved` };
  },
});

export const createStockLocationAction = defineFormAction({
  name: 'createStockLocation',
  permission: 'parts:manage',
  schema: stockLocationInput,
  revalidate: [partsPage],
  run: async (user, input) => {
    const location = await createStockLocation(getDb(), user, input);
    return { data: { id: location.id }, message: `${location.name} added` };
  },
});

export const receiveStockAction = defineFormAction({
  name: 'receiveStock',
  permission: 'parts:manage',
  schema: receiveInput,
  revalidate: [partsPage],
  run: async (user, input) => {
    const level = await receiveStock(getDb(), user, input);
    revalidateStock(input.partId, [input.locationId]);
    return { data: null, message: `${units(input.quantity)} received; ${units(level.quantity)} there now` };
  },
});

export const transferStockAction = defineFormAction({
  name: 'transferStock',
  permission: 'parts:manage',
  schema: transferInput,
  revalidate: [partsPage],
  run: async (user, input) => {
    await transferStock(getDb(), user, input);
    revalidateStock(input.partId, [input.fromLocationId, input.toLocationId]);
    return { data: null, message: `${units(input.quantity)} moved` };
  },
});

export const adjustStockAction = defineFormAction({
  name: 'adjustStock',
  permission: 'parts:manage',
  schema: adjustInput,
  revalidate: [partsPage],
  run: async (user, input) => {
    const { difference } = await adjustStock(getDb(), user, input);
    revalidateStock(input.partId, [input.locationId]);
    return {
      data: { difference },
      message:
        difference === 0
          ? 'Count saved: it matches the stock'
          : `Count saved: ${difference > 0 ? '+' : '−'}${units(Math.abs(difference))}`,
    };
  },
});

export const setMinimumAction = defineFormAction({
  name: 'setMinimum',
  permission: 'parts:manage',
  schema: minimumInput,
  revalidate: [partsPage],
  run: async (user, input) => {
    await setMinimum(getDb(), user, input);
    revalidateStock(input.partId, [input.locationId]);
    return {
      data: null,
      message: input.minimum === 0 ? 'Minimum removed' : `Minimum set to ${units(input.minimum)}`,
    };
  },
});
