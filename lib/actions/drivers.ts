'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { clearStationPolicy, setAccessPolicy } from '@/lib/services/access-policies';
import { createGroup, deleteGroup, setGroupMembers, updateGroup } from '@/lib/services/driver-groups';
import {
  addToken,
  blockDriverTokens,
  blockToken,
  createDriver,
  unblockToken,
  updateDriver,
  updateToken,
} from '@/lib/services/drivers';
import { maxImportChars } from '@/lib/services/csv-import';
import { applyDriverImport, previewDriverImport } from '@/lib/services/driver-import';
import { applyTokenImport, previewTokenImport } from '@/lib/services/token-import';
import {
  blockInput,
  unblockInput,
  driverInput,
  grantsInput,
  groupInput,
  policyInput,
  tokenInput,
} from '@/lib/validation/drivers';
import { defineFormAction } from './define-action';

const driversPage = '/drivers';
const tokensPage = '/drivers/tokens';
const groupsPage = '/drivers/groups';
const accessPage = '/drivers/access';
const withId = z.object({ id: z.uuid() });

/** The page of the driver holding a token shows it too. */
function revalidateHolder(driverId: string | null): void {
  if (driverId) revalidatePath(`/drivers/${driverId}`);
}

export const createDriverAction = defineFormAction({
  name: 'createDriver',
  permission: 'drivers:manage',
  schema: driverInput,
  revalidate: [driversPage],
  run: async (user, input) => {
    const driver = await createDriver(getDb(), user, input);
    return { data: { id: driver.id }, message: `${driver.name} added` };
  },
});

export const updateDriverAction = defineFormAction({
  name: 'updateDriver',
  permission: 'drivers:manage',
  schema: driverInput.extend(withId.shape),
  revalidate: [driversPage, tokensPage, groupsPage],
  run: async (user, { id, ...input }) => {
    const driver = await updateDriver(getDb(), user, id, input);
    revalidatePath(`/drivers/${driver.id}`);
    return { data: { id: driver.id }, message: `${driver.name} saved` };
  },
});

export const addTokenAction = defineFormAction({
  name: 'addToken',
  permission: 'drivers:manage',
  schema: tokenInput,
  revalidate: [driversPage, tokensPage],
  run: async (user, input) => {
    const token = await addToken(getDb(), user, input);
    revalidateHolder(token.driverId);
    return { data: { id: token.id }, message: `Token ${token.idToken} registered` };
  },
});

export const updateTokenAction = defineFormAction({
  name: 'updateToken',
  permission: 'drivers:manage',
  schema: tokenInput.extend(withId.shape),
  revalidate: [driversPage, tokensPage],
  run: async (user, { id, ...input }) => {
    const token = await updateToken(getDb(), user, id, input);
    revalidateHolder(token.driverId);
    return { data: { id: token.id }, message: `Token ${token.idToken} saved` };
  },
});

/** The CSV as the import dialog sends it: the file's text in one hidden field. */
const importInput = z.object({
  csv: z.string().min(1, 'Choose a CSV file').max(maxImportChars, 'At most 1 MB'),
});

export const previewTokenImportAction = defineFormAction({
  name: 'previewTokenImport',
  permission: 'drivers:manage',
  schema: importInput,
  run: async (user, { csv }) => ({ data: await previewTokenImport(getDb(), user, csv) }),
});

export const importTokensAction = defineFormAction({
  name: 'importTokens',
  permission: 'drivers:manage',
  schema: importInput,
  revalidate: [tokensPage, driversPage],
  run: async (user, { csv }) => {
    const result = await applyTokenImport(getDb(), user, csv);
    const drivers = result.driversCreated === 1 ? '1 new driver' : `${result.driversCreated} new drivers`;
    return {
      data: result,
      message: `Imported: ${result.created} tokens added, ${result.updated} updated, ${drivers}`,
    };
  },
});

export const previewDriverImportAction = defineFormAction({
  name: 'previewDriverImport',
  permission: 'drivers:manage',
  schema: importInput,
  run: async (user, { csv }) => ({ data: await previewDriverImport(getDb(), user, csv) }),
});

export const importDriversAction = defineFormAction({
  name: 'importDrivers',
  permission: 'drivers:manage',
  schema: importInput,
  revalidate: [driversPage, groupsPage],
  run: async (user, { csv }) => {
    const result = await applyDriverImport(getDb(), user, csv);
    // Every driver's and group's page may show what changed.
    revalidatePath('/drivers/[id]', 'page');
    revalidatePath('/drivers/groups/[id]', 'page');
    const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    return {
      data: result,
      message: `Imported: ${count(result.created, 'driver', 'drivers')} added, ${result.updated} updated, ${count(result.membershipsAdded, 'group membership', 'group memberships')} added`,
    };
  },
});

export const blockTokenAction = defineFormAction({
  name: 'blockToken',
  permission: 'drivers:manage',
  schema: blockInput.extend(withId.shape),
  revalidate: [driversPage, tokensPage],
  run: async (user, { id, reason }) => {
    const token = await blockToken(getDb(), user, id, { reason });
    revalidateHolder(token.driverId);
    return {
      data: { id: token.id },
      message: `Token ${token.idToken} blocked: stations refuse it from now on`,
    };
  },
});

export const blockDriverTokensAction = defineFormAction({
  name: 'blockDriverTokens',
  permission: 'drivers:manage',
  schema: blockInput.extend({ id: z.uuid('Unknown driver') }),
  revalidate: [driversPage, tokensPage],
  run: async (user, { id, reason }) => {
    const count = await blockDriverTokens(getDb(), user, id, { reason });
    revalidateHolder(id);
    return {
      data: { id },
      message: count === 1 ? '1 card blocked' : `${count} cards blocked`,
    };
  },
});

export const unblockTokenAction = defineFormAction({
  name: 'unblockToken',
  permission: 'drivers:manage',
  schema: unblockInput.extend(withId.shape),
  revalidate: [driversPage, tokensPage],
  run: async (user, { id, reason }) => {
    const token = await unblockToken(getDb(), user, id, { reason });
    revalidateHolder(token.driverId);
    return { data: { id: token.id }, message: `Token ${token.idToken} can charge again` };
  },
});

export const createGroupAction = defineFormAction({
  name: 'createGroup',
  permission: 'drivers:manage',
  schema: groupInput,
  revalidate: [groupsPage, driversPage],
  run: async (user, input) => {
    const group = await createGroup(getDb(), user, input);
    return { data: { id: group.id }, message: `Group “${group.name}” created` };
  },
});

export const updateGroupAction = defineFormAction({
  name: 'updateGroup',
  permission: 'drivers:manage',
  schema: groupInput.extend(withId.shape),
  revalidate: [groupsPage, driversPage],
  run: async (user, { id, ...input }) => {
    const group = await updateGroup(getDb(), user, id, input);
    revalidatePath(`/drivers/groups/${group.id}`);
    return { data: { id: group.id }, message: `Group “${group.name}” saved` };
  },
});

export const deleteGroupAction = defineFormAction({
  name: 'deleteGroup',
  permission: 'drivers:manage',
  schema: withId,
  revalidate: [groupsPage, driversPage],
  run: async (user, { id }) => {
    await deleteGroup(getDb(), user, id);
    return { data: null, message: 'Group deleted' };
  },
});

export const setGroupMembersAction = defineFormAction({
  name: 'setGroupMembers',
  permission: 'drivers:manage',
  // Checkboxes named `driverIds[]`; none ticked sends no field at all, which means "no members".
  schema: z.object({
    groupId: z.uuid(),
    driverIds: z.array(z.uuid('Choose drivers of your organisation')).default([]),
  }),
  revalidate: [groupsPage, driversPage],
  run: async (user, { groupId, driverIds }) => {
    const { added, removed } = await setGroupMembers(getDb(), user, groupId, driverIds);
    revalidatePath(`/drivers/groups/${groupId}`);
    return {
      data: { groupId, added, removed },
      message: added + removed === 0 ? 'No change' : `Members saved: ${added} added, ${removed} removed`,
    };
  },
});

/** The grants as the policy form sends them: one hidden field holding JSON. */
const grantsJson = z
  .string()
  .default('[]')
  .transform((value, ctx): unknown => {
    try {
      return JSON.parse(value.trim() === '' ? '[]' : value);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'The groups could not be read; reload the page and try again',
      });
      return z.NEVER;
    }
  })
  .pipe(grantsInput);

export const setAccessPolicyAction = defineFormAction({
  name: 'setAccessPolicy',
  permission: 'stations:manage',
  schema: z.object({
    targetKind: z.enum(['site', 'station']),
    targetId: z.uuid(),
    mode: policyInput.shape.mode,
    grants: grantsJson,
  }),
  revalidate: [groupsPage, accessPage],
  run: async (user, { targetKind, targetId, mode, grants }) => {
    await setAccessPolicy(
      getDb(),
      user,
      targetKind === 'site' ? { siteId: targetId } : { stationId: targetId },
      { mode, grants },
    );
    if (targetKind === 'station') revalidatePath(`/stations/${targetId}/access`);
    return {
      data: null,
      message:
        mode === 'public'
          ? 'Access saved: every valid token may charge here'
          : grants.length === 0
            ? 'Access saved: no group may charge here'
            : `Access saved: restricted to ${grants.length === 1 ? '1 group' : `${grants.length} groups`}`,
    };
  },
});

export const clearStationPolicyAction = defineFormAction({
  name: 'clearStationPolicy',
  permission: 'stations:manage',
  schema: z.object({ stationId: z.uuid() }),
  revalidate: [groupsPage, accessPage],
  run: async (user, { stationId }) => {
    await clearStationPolicy(getDb(), user, stationId);
    revalidatePath(`/stations/${stationId}/access`);
    return { data: null, message: "The station now follows its site's access policy" };
  },
});
