'use server';

import { getDb } from '@/lib/db';
import { createSite, updateSite } from '@/lib/services/sites';
import { siteInput, updateSiteInput } from '@/lib/validation/sites';
import { defineFormAction } from './define-action';

export const createSiteAction = defineFormAction({
  name: 'createSite',
  permission: 'sites:manage',
  schema: siteInput,
  revalidate: ['/settings/sites', '/stations'],
  run: async (user, input) => {
    const site = await createSite(getDb(), user, input);
    return { data: { id: site.id }, message: `Site “${site.name}” created` };
  },
});

export const updateSiteAction = defineFormAction({
  name: 'updateSite',
  permission: 'sites:manage',
  schema: updateSiteInput,
  revalidate: ['/settings/sites', '/stations'],
  run: async (user, input) => {
    const site = await updateSite(getDb(), user, input);
    return { data: { id: site.id }, message: `Site “${site.name}” saved` };
  },
});
