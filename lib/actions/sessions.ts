'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { reviewSession } from '@/lib/services/sessions';
import { defineFormAction } from './define-action';

/** Closes the review of a flagged session with the reviewer's note (the service checks the note). */
export const reviewSessionAction = defineFormAction({
  name: 'reviewSession',
  permission: 'stations:manage',
  schema: z.looseObject({ sessionId: z.uuid('Unknown session') }),
  run: async (user, { sessionId, ...input }) => {
    await reviewSession(getDb(), user, sessionId, input);
    revalidatePath(`/sessions/${sessionId}`);
    revalidatePath('/sessions');
    return { data: null, message: 'Review recorded' };
  },
});
